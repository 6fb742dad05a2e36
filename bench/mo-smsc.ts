/**
 * bench:mo child: the SMPP simulator (our production SmppServer). On `inject`, it sends `count` deliver_sm MOs to the
 * gateway's bind with at most `window` unacknowledged, and counts the reply submit_sm coming back.
 */
import type { DeliverSm } from '../protocols/smpp/pdu';
import { Personas } from '../simulators/smpp/personas';
import { startSmppSimulator } from '../simulators/smpp/simulator';
import { send, type SmscStats, type ToChild } from './mo-ipc';

const stats: SmscStats = { injected: 0, acked: 0, nacked: 0, nackReasons: {}, firstSentAt: 0, lastAckAt: 0, replySubmits: 0, lastSubmitAt: 0, cpuUs: 0 };

function mo(i: number): DeliverSm {
  const text = `JOKE ${i}`;
  return {
    command: 'deliver_sm', commandStatus: 0, sequenceNumber: 0, serviceType: '', sourceAddrTon: 1, sourceAddrNpi: 1,
    sourceAddr: String(46700000000 + (i % 1_000_000)), destAddrTon: 0, destAddrNpi: 1, destinationAddr: '4455', esmClass: 0,
    protocolId: 0, priorityFlag: 0, scheduleDeliveryTime: '', validityPeriod: '', registeredDelivery: 0, replaceIfPresentFlag: 0,
    dataCoding: 0, smDefaultMsgId: 0, shortMessage: Buffer.from(text, 'latin1'),
  };
}

async function main(): Promise<void> {
  const sim = await startSmppSimulator({
    port: 0,
    host: '127.0.0.1',
    systemId: 'gw',
    password: 'gwpass',
    persona: Personas.happy,
    sessionOptions: { windowSize: 5000, inboundPauseAt: 20_000, inboundResumeAt: 10_000 },
    log: (line) => {
      if (line.startsWith('submit ')) {
        stats.replySubmits++;
        stats.lastSubmitAt = Date.now();
      }
    },
  });
  send({ ev: 'ready', port: sim.port });
  process.on('message', (m: ToChild) => {
    if (m.cmd === 'inject') void inject(sim.sessions, m.count, m.window);
    if (m.cmd === 'stats') send({ ev: 'stats', smsc: { ...stats, cpuUs: cpuUs() } });
    if (m.cmd === 'stop') void sim.close().then(() => process.exit(0));
  });
}

async function inject(sessions: ReadonlySet<{ state: string; send(p: DeliverSm): Promise<unknown> }>, count: number, window: number): Promise<void> {
  const session = [...sessions].find((s) => s.state === 'bound_trx' || s.state === 'bound_rx');
  if (!session) throw new Error('no bound gateway session');
  stats.firstSentAt = Date.now();
  let next = 0;
  let settled = 0;
  await new Promise<void>((resolve) => {
    let inFlight = 0;
    const pump = (): void => {
      while (inFlight < window && next < count) {
        const i = next++;
        inFlight++;
        stats.injected++;
        session.send(mo(i)).then(
          () => {
            stats.acked++;
            stats.lastAckAt = Date.now();
            inFlight--;
            if (++settled === count) resolve();
            else pump();
          },
          (e: unknown) => {
            const k = e instanceof Error ? `${e.name}:${String((e as { status?: unknown }).status ?? '')}` : 'unknown';
            stats.nackReasons[k] = (stats.nackReasons[k] ?? 0) + 1;
            stats.nacked++;
            inFlight--;
            if (++settled === count) resolve();
            else pump();
          },
        );
      }
    };
    pump();
  });
  send({ ev: 'injected', stats: { ...stats, cpuUs: cpuUs() } });
}

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

void main();
