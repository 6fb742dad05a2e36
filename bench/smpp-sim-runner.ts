/**
 * The SMSC side of bench/smpp.ts, run in its own process so client and server do not share one event loop.
 * `tsx bench/smpp-sim-runner.ts ours|npm`: prints `PORT <n>` once listening; exits when stdin closes or on SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import { startSmppSimulator } from '../simulators/smpp/simulator';
import { npmSmpp } from './lib/npm-smpp';
import type { NpmPdu } from './lib/npm-smpp';
import { runSimRunner } from './lib/sim-runner';

async function startOurs(): Promise<{ port: number; close: () => Promise<void> }> {
  const sim = await startSmppSimulator({
    port: 0,
    systemId: 'bench',
    password: 'bench',
    sessionOptions: { enquireLinkIntervalMs: 0 },
  });
  return { port: sim.port, close: () => sim.close() };
}

async function startNpm(): Promise<{ port: number; close: () => Promise<void> }> {
  let n = 0;
  const server = npmSmpp.createServer((session) => {
    session.on('error', () => undefined);
    session.on('bind_transceiver', (pdu: NpmPdu) => session.send(pdu.response({ system_id: 'NPM' })));
    session.on('submit_sm', (pdu: NpmPdu) => session.send(pdu.response({ message_id: (++n).toString(16) })));
    session.on('enquire_link', (pdu: NpmPdu) => session.send(pdu.response()));
    session.on('unbind', (pdu: NpmPdu) => {
      session.send(pdu.response());
      session.close();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of [...server.sessions]) s.destroy();
        server.close(() => r());
      }),
  };
}

runSimRunner(async () => {
  const mode = process.argv[2];
  if (mode !== 'ours' && mode !== 'npm') throw new Error('usage: smpp-sim-runner.ts ours|npm');
  return mode === 'ours' ? startOurs() : startNpm();
});
