import { memoryPair, type MemoryTransport } from '../../../protocols/transport/memory';
import { decodeUcp, encodeUcp } from '../../../protocols/ucp/codec';
import { UcpFramer } from '../../../protocols/ucp/framing';
import type { UcpOperation, UcpPdu, UcpSubmit } from '../../../protocols/ucp/pdu';
import { loginUcpClient } from '../../../protocols/ucp/client';
import { acceptUcpServerSession, type UcpAuthenticator } from '../../../protocols/ucp/server';
import type { UcpSession, UcpSessionEvent, UcpSessionOptions } from '../../../protocols/ucp/session';
import { FakeClock } from '../../../protocols/wire/clock';
import { blank5x } from '../../fixtures/ucp/blank';

export const LOGIN = { oadc: '4477009000', password: 'secret' };
export const auth: UcpAuthenticator = (r) => (r.oadc === LOGIN.oadc && r.password === LOGIN.password ? { ok: true } : { ok: false });

/** Lets queued microtasks and immediates run (MemoryTransport delivers on a microtask). */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

export function pair(): [MemoryTransport, MemoryTransport] {
  return memoryPair(() => new UcpFramer());
}

export function submit(adc = '447700900123', text = '48656C6C6F'): Omit<UcpSubmit, 'trn'> {
  return { kind: 'O', ot: '51', ...blank5x(), adc, oadc: '4477009000', mt: '3', msg: text };
}

export function events(s: UcpSession): UcpSessionEvent[] {
  const out: UcpSessionEvent[] = [];
  s.events$.subscribe((e) => out.push(e));
  return out;
}

/** A client and a server session logged in to each other over memory, on one fake clock. */
export async function loggedIn(clientOpts: UcpSessionOptions = {}, serverOpts: UcpSessionOptions = {}) {
  const clock = new FakeClock();
  const [ct, st] = pair();
  const server = acceptUcpServerSession(st, auth, { clock, ...serverOpts });
  const serverEvents = events(server);
  const client = await loginUcpClient(ct, LOGIN, { clock, keepAliveIntervalMs: 0, ...clientOpts });
  return { clock, ct, st, client, server, serverEvents };
}

/** A raw peer: decodes what the session writes and lets a test write any frame. */
export function rawPeer(t: MemoryTransport) {
  const got: UcpPdu[] = [];
  t.frames$.subscribe((f) => {
    const r = decodeUcp(f);
    if (r.ok) got.push(r.pdu);
  });
  return {
    got,
    send(pdu: UcpPdu): void {
      t.send(encodeUcp(pdu));
    },
    raw(text: string): void {
      t.send(Buffer.from(text, 'latin1'));
    },
    ops(): UcpOperation[] {
      return got.filter((p): p is UcpOperation => p.kind === 'O');
    },
  };
}
