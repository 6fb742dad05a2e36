import { bindClient } from '../../../protocols/smpp/client-session';
import type { SmppBindParams } from '../../../protocols/smpp/client-session';
import { decodePdu, encodePdu } from '../../../protocols/smpp/codec';
import { CommandStatus } from '../../../protocols/smpp/constants';
import { SmppFramer } from '../../../protocols/smpp/framing';
import type { SmppPdu } from '../../../protocols/smpp/pdu';
import { acceptServerSession } from '../../../protocols/smpp/server-session';
import type { BindAuthenticator } from '../../../protocols/smpp/server-session';
import type { SmppSession, SmppSessionEvent, SmppSessionOptions } from '../../../protocols/smpp/session';
import { memoryPair } from '../../../protocols/transport/memory';
import type { MemoryTransport } from '../../../protocols/transport/memory';
import { FakeClock } from '../../../protocols/wire/clock';

/** Lets queued microtasks and immediates run (MemoryTransport delivers on microtasks). */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

export const auth: BindAuthenticator = (req) => {
  if (req.systemId !== 'esme1') return { ok: false, status: CommandStatus.ESME_RINVSYSID };
  if (req.password !== 'secret') return { ok: false, status: CommandStatus.ESME_RINVPASWD };
  return { ok: true, systemId: 'SMSC' };
};

export const goodBind: SmppBindParams = { systemId: 'esme1', password: 'secret', bindType: 'transceiver' };

/** Options that keep timers out of the way unless a test wants them. */
export const quiet: SmppSessionOptions = { enquireLinkIntervalMs: 0, inboundTimeoutMs: 0 };

export interface Pair {
  clock: FakeClock;
  a: MemoryTransport;
  b: MemoryTransport;
  client: SmppSession;
  server: SmppSession;
  clientEvents: SmppSessionEvent[];
  serverEvents: SmppSessionEvent[];
}

/** A bound ESME/SMSC pair over memory transports on a fake clock. */
export async function boundPair(
  o: { client?: SmppSessionOptions; server?: SmppSessionOptions; bind?: Partial<SmppBindParams> } = {},
): Promise<Pair> {
  const clock = new FakeClock();
  const [a, b] = memoryPair(() => new SmppFramer());
  const server = acceptServerSession(b, auth, { clock, ...quiet, ...o.server });
  const serverEvents = record(server);
  const client = await bindClient(a, { ...goodBind, ...o.bind }, { clock, ...quiet, ...o.client });
  const clientEvents = record(client);
  await settle();
  return { clock, a, b, client, server, clientEvents, serverEvents };
}

export function record(s: SmppSession): SmppSessionEvent[] {
  const events: SmppSessionEvent[] = [];
  s.events$.subscribe((e) => events.push(e));
  return events;
}

/** Every PDU a transport has written, decoded (frames are whole PDUs or batches of them). */
export function writtenPdus(t: MemoryTransport): SmppPdu[] {
  const framer = new SmppFramer();
  const out: SmppPdu[] = [];
  for (const chunk of t.written) {
    for (const f of framer.push(chunk)) {
      const r = decodePdu(f);
      if (!r.ok) throw r.error;
      out.push(r.pdu);
    }
  }
  return out;
}

export { deliverSm, submitSm } from '../../helpers/smpp-pdus';

/** A bare 16-octet SMPP header, for frames no encoder would write. */
export function header(commandLength: number, commandId: number, status: number, seq: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32BE(commandLength, 0);
  b.writeUInt32BE(commandId, 4);
  b.writeUInt32BE(status, 8);
  b.writeUInt32BE(seq, 12);
  return b;
}

export function raw(pdu: SmppPdu): Buffer {
  return encodePdu(pdu);
}
