import { firstValueFrom } from 'rxjs';
import { take, toArray } from 'rxjs/operators';
import { loginOperation, loginUcpClient, passwordHex } from '../../../protocols/ucp/client';
import { encodeUcp } from '../../../protocols/ucp/codec';
import * as U1 from '../../fixtures/ucp/60.login';
import type { UcpPdu } from '../../../protocols/ucp/pdu';
import { acceptUcpServerSession } from '../../../protocols/ucp/server';
import { UcpSession, type UcpInboundRequest } from '../../../protocols/ucp/session';
import { FakeClock } from '../../../protocols/wire/clock';
import {
  ConnectionClosedError,
  RemoteError,
  SessionStateError,
  TimeoutError,
  WindowFullError,
} from '../../../protocols/wire/errors';
import { blank5x } from '../../fixtures/ucp/blank';
import { LOGIN, auth, events, loggedIn, pair, rawPeer, settle, submit } from './helpers';

function collect(s: UcpSession): UcpInboundRequest[] {
  const out: UcpInboundRequest[] = [];
  s.requests$.subscribe((r) => out.push(r));
  return out;
}

describe('UCP login', () => {
  it('builds the U1 login frame (password as IRA hex)', () => {
    expect(passwordHex('secret')).toBe('736563726574');
    expect(encodeUcp(loginOperation(LOGIN), 1).toString('latin1')).toBe(U1.frame);
    expect(loginOperation({ ...LOGIN, styp: '3', newPassword: 'new' })).toMatchObject({ styp: '3', npwd: '6E6577' });
  });

  it('logs in with OT 60 (TRN 00, the frame Kannel sends) and gets A//', async () => {
    const { client, server, ct, st, serverEvents } = await loggedIn();
    expect(client.state).toBe('logged_in');
    expect(server.state).toBe('logged_in');
    expect(server.account).toBe('4477009000');
    expect(ct.written[0]!.toString('latin1')).toBe('\x0200/00057/O/60/4477009000/6/5/1/736563726574//0100//////DA\x03');
    expect(st.written[0]!.toString('latin1')).toBe('\x0200/00019/R/60/A//6D\x03');
    expect(serverEvents).toContainEqual({ type: 'bound', systemId: '4477009000', state: 'logged_in' });
    await client.close();
  });

  it('refused login: NACK 07, RemoteError(07), both sides closed', async () => {
    const clock = new FakeClock();
    const [ct, st] = pair();
    const server = acceptUcpServerSession(st, auth, { clock });
    const p = loginUcpClient(ct, { ...LOGIN, password: 'wrong' }, { clock });
    await expect(p).rejects.toBeInstanceOf(RemoteError);
    await expect(p).rejects.toMatchObject({ status: '07' });
    expect(st.written[0]!.toString('latin1')).toMatch(/^\x0200\/\d{5}\/R\/60\/N\/07\//);
    await settle();
    expect(server.state).toBe('closed');
    await expect(server.closed).resolves.toEqual({ kind: 'local' });
  });

  it('an authenticator may answer asynchronously and choose the EC', async () => {
    const clock = new FakeClock();
    const [ct, st] = pair();
    acceptUcpServerSession(st, async () => ({ ok: false, ec: '04' }), { clock });
    await expect(loginUcpClient(ct, LOGIN, { clock })).rejects.toMatchObject({ status: '04' });
  });

  it('no answer to the login -> TimeoutError and the session closes', async () => {
    const clock = new FakeClock();
    const [ct] = pair();
    const p = loginUcpClient(ct, LOGIN, { clock, loginTimeoutMs: 1000 });
    await settle();
    clock.advance(1001);
    await expect(p).rejects.toBeInstanceOf(TimeoutError);
    expect(ct.isOpen).toBe(false);
  });

  it('server: operations before login get NACK 04, alerts are answered, a second STYP gets 04', async () => {
    const clock = new FakeClock();
    const [ct, st] = pair();
    const server = acceptUcpServerSession(st, auth, { clock });
    const peer = rawPeer(ct);
    peer.send({ ...submit(), trn: 3 } as UcpPdu);
    peer.send({ kind: 'O', ot: '31', trn: 4, adc: '4477009000', pid: '0539' });
    peer.send({ kind: 'O', ot: '60', trn: 5, oadc: '4477009000', oton: '6', onpi: '5', styp: '3', pwd: '', npwd: '', vers: '0100', ladc: '', lton: '', lnpi: '', opid: '', res1: '' });
    await settle();
    expect(peer.got).toEqual([
      { kind: 'R', ot: '51', trn: 3, result: { ack: false, ec: '04', sm: 'Operation not allowed' } },
      { kind: 'R', ot: '31', trn: 4, result: { ack: true, sm: '' } },
      { kind: 'R', ot: '60', trn: 5, result: { ack: false, ec: '04', sm: 'Operation not allowed' } },
    ]);
    expect(server.state).toBe('open');
    await server.close();
  });

  it('server closes a connection that does not log in within loginTimeoutMs', async () => {
    const clock = new FakeClock();
    const [, st] = pair();
    const server = acceptUcpServerSession(st, auth, { clock, loginTimeoutMs: 500 });
    clock.advance(501);
    await expect(server.closed).resolves.toEqual({ kind: 'local' });
  });

  it('send before login -> SessionStateError', async () => {
    const [ct] = pair();
    const s = new UcpSession(ct, 'client', { clock: new FakeClock() });
    await expect(s.send(submit())).rejects.toBeInstanceOf(SessionStateError);
    s.finish({ kind: 'local' });
  });
});

describe('UCP window and results', () => {
  it('submit -> server requests$ -> ACK with AdC:SCTS resolves the send', async () => {
    const { client, server } = await loggedIn();
    const reqs = collect(server);
    const p = client.send(submit());
    await settle();
    expect(reqs).toHaveLength(1);
    expect(reqs[0]!.pdu).toMatchObject({ ot: '51', trn: 1, adc: '447700900123' });
    expect(reqs[0]!.respond({ ack: true, sm: '447700900123:150124123005' })).toBe(true);
    expect(reqs[0]!.respond({ ack: true })).toBe(false);
    const r = await p;
    expect(r).toEqual({ kind: 'R', ot: '51', trn: 1, result: { ack: true, mvp: '', sm: '447700900123:150124123005' } });
    expect(client.inFlight).toBe(0);
    await client.close();
  });

  it('NACK -> RemoteError with the EC', async () => {
    const { client, server } = await loggedIn();
    server.requests$.subscribe((r) => r.respond({ ack: false, ec: '06' }));
    await expect(client.send(submit())).rejects.toMatchObject({ status: '06', code: 'REMOTE' });
    await client.close();
  });

  it('window full at N+1 with a windowFull event; TRNs are distinct', async () => {
    const { client, server, st } = await loggedIn({ windowSize: 100 }, { inboundPauseAt: 1000, inboundResumeAt: 500 });
    const ev = events(client);
    const reqs = collect(server);
    const ps = Array.from({ length: 100 }, () => client.send(submit()));
    ps.forEach((p) => p.catch(() => undefined));
    await expect(client.send(submit())).rejects.toBeInstanceOf(WindowFullError);
    expect(ev).toContainEqual({ type: 'windowFull', inFlight: 100 });
    await settle();
    expect(new Set(reqs.map((r) => r.pdu.trn)).size).toBe(100);
    // Answer one: exactly one slot frees and the next send reuses that TRN only.
    reqs[10]!.respond({ ack: true });
    await ps[10];
    const next = client.send(submit());
    await settle();
    expect(reqs[100]!.pdu.trn).toBe(reqs[10]!.pdu.trn);
    for (const r of reqs.slice(0)) r.respond({ ack: true });
    await Promise.all([...ps, next]);
    expect(client.inFlight).toBe(0);
    expect(st.isOpen).toBe(true);
    await client.close();
  });

  it('TRNs run 00-99 and wrap to 00, skipping any still in flight', async () => {
    const { client, server } = await loggedIn(); // the login took TRN 00
    const reqs = collect(server);
    const held = client.send(submit()); // TRN 01 stays in flight
    for (let i = 1; i <= 98; i++) {
      const p = client.send(submit());
      await settle(1);
      reqs[i]!.respond({ ack: true });
      await p;
    }
    const wrapped = [client.send(submit()), client.send(submit())];
    await settle(1);
    expect(reqs.slice(0, 3).map((r) => r.pdu.trn)).toEqual([1, 2, 3]);
    expect(reqs[98]!.pdu.trn).toBe(99);
    expect(reqs.slice(99).map((r) => r.pdu.trn)).toEqual([0, 2]);
    for (const r of [reqs[0]!, ...reqs.slice(99)]) r.respond({ ack: true });
    await Promise.all([held, ...wrapped]);
    await client.close();
  });

  it('a smaller window refuses at its own size; windowSize is capped at 100', async () => {
    const { client } = await loggedIn({ windowSize: 2 });
    const ps = [client.send(submit()), client.send(submit())];
    ps.forEach((p) => p.catch(() => undefined));
    await expect(client.send(submit())).rejects.toBeInstanceOf(WindowFullError);
    client.finish({ kind: 'local' });
    const s = new UcpSession(pair()[0], 'client', { windowSize: 500, clock: new FakeClock() });
    expect(s.options.windowSize).toBe(100);
    s.finish({ kind: 'local' });
  });

  it('TRN timeout -> TimeoutError and the slot is freed; a late result is an unexpectedResult', async () => {
    const { client, server, clock } = await loggedIn({ responseTimeoutMs: 1000 });
    const reqs = collect(server);
    const ev = events(client);
    const p = client.send(submit());
    await settle();
    clock.advance(1001);
    await expect(p).rejects.toBeInstanceOf(TimeoutError);
    expect(client.inFlight).toBe(0);
    reqs[0]!.respond({ ack: true });
    await settle();
    expect(ev).toContainEqual({ type: 'unexpectedResult', trn: reqs[0]!.pdu.trn, ot: '51' });
    await client.close();
  });

  it('per-send timeoutMs overrides the default', async () => {
    const { client, clock } = await loggedIn({ responseTimeoutMs: 60_000 });
    const p = client.send(submit(), { timeoutMs: 50 });
    await settle();
    clock.advance(60);
    await expect(p).rejects.toBeInstanceOf(TimeoutError);
    await client.close();
  });

  it('peer closing mid-window fails everything in flight with ConnectionClosedError', async () => {
    const { client, st } = await loggedIn();
    const ps = [client.send(submit()), client.send(submit()), client.send(submit())];
    await settle();
    await st.close();
    for (const p of ps) await expect(p).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(client.closed).resolves.toEqual({ kind: 'remote' });
    await expect(client.send(submit())).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('close() drains: the in-flight result arrives before the connection closes', async () => {
    const { client, server } = await loggedIn();
    const reqs = collect(server);
    const p = client.send(submit());
    await settle();
    const closing = client.close();
    expect(client.state).toBe('closing');
    await expect(client.send(submit())).rejects.toBeInstanceOf(SessionStateError);
    reqs[0]!.respond({ ack: true, sm: 'x' });
    await expect(p).resolves.toMatchObject({ result: { ack: true } });
    await closing;
    await expect(client.closed).resolves.toEqual({ kind: 'local' });
  });

  it('close() gives up draining after closeTimeoutMs', async () => {
    const { client, clock } = await loggedIn({ closeTimeoutMs: 100, responseTimeoutMs: 10_000 });
    const p = client.send(submit());
    p.catch(() => undefined);
    await settle();
    const closing = client.close();
    await settle();
    clock.advance(101);
    await closing;
    await expect(p).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});

describe('UCP keep-alive', () => {
  it('sends OT 31 with the account after idle time; the SC answers it', async () => {
    const { client, clock, st } = await loggedIn({ keepAliveIntervalMs: 5000 });
    const peerFrames = st.written.length;
    clock.advance(4999);
    await settle();
    expect(client.inFlight).toBe(0);
    clock.advance(1);
    expect(client.inFlight).toBe(1);
    await settle();
    expect(client.inFlight).toBe(0);
    expect(st.written.slice(peerFrames).map((b) => b.toString('latin1'))).toEqual([expect.stringMatching(/\/R\/31\/A\/\/[0-9A-F]{2}\x03$/)]);
    await client.close();
  });

  it('traffic postpones the keep-alive', async () => {
    const { client, clock, server } = await loggedIn({ keepAliveIntervalMs: 5000 });
    server.requests$.subscribe((r) => r.respond({ ack: true }));
    clock.advance(3000);
    await client.send(submit());
    clock.advance(3000);
    expect(client.inFlight).toBe(0);
    clock.advance(2001);
    expect(client.inFlight).toBe(1);
    await client.close();
  });

  it('no answer to the keep-alive closes with keepalive_timeout', async () => {
    const clock = new FakeClock();
    const [ct, st] = pair();
    const peer = rawPeer(st);
    const p = loginUcpClient(ct, LOGIN, { clock, keepAliveIntervalMs: 1000, keepAliveTimeoutMs: 500 });
    await settle();
    peer.send({ kind: 'R', ot: '60', trn: 0, result: { ack: true, sm: '' } });
    const client = await p;
    const ev = events(client);
    clock.advance(1000);
    await settle();
    expect(peer.ops().map((o) => o.ot)).toEqual(['60', '31']);
    clock.advance(500);
    await expect(client.closed).resolves.toEqual({ kind: 'keepalive_timeout' });
    expect(ev).toContainEqual({ type: 'keepaliveTimeout' });
  });
});

describe('UCP inbound operations', () => {
  it('client receives 52 and 53, answers them; the server send resolves', async () => {
    const { client, server } = await loggedIn();
    client.requests$.subscribe((r) => r.respond({ ack: true, sm: '' }));
    const mo = { kind: 'O' as const, ot: '52' as const, ...blank5x(), adc: '4477009000', oadc: '447700900123', scts: '150124123500', mt: '3', msg: '4869' };
    const r = await server.send(mo);
    expect(r).toEqual({ kind: 'R', ot: '52', trn: 0, result: { ack: true, mvp: '', sm: '' } });
    const dlr = { ...mo, ot: '53' as const, dst: '0', rsn: '000', dscts: '150124123510' };
    await expect(server.send(dlr)).resolves.toMatchObject({ ot: '53', trn: 1 });
    await client.close();
  });

  it('client answers NACK 03 for operations it never takes (51, 55, unknown 99) and OT 31 with A//', async () => {
    const { client, st } = await loggedIn();
    const peer = rawPeer(st);
    peer.send({ ...submit(), trn: 20 } as UcpPdu);
    peer.send({ kind: 'O', ot: '55', trn: 21, fields: Object.values(blank5x()) });
    peer.send({ kind: 'O', ot: '31', trn: 22, adc: '4477009000', pid: '0539' });
    peer.raw(frame('23', 'O', '99', ['x']));
    await settle();
    expect(peer.got.map((p) => p.kind === 'R' && [p.trn, p.ot, p.result.ack ? 'A' : p.result.ec])).toEqual([
      [20, '51', '03'],
      [21, '55', '03'],
      [22, '31', 'A'],
      [23, '99', '03'],
    ]);
    expect(client.state).toBe('logged_in');
    await client.close();
  });

  it('server answers NACK 03 for SC-only (52) and generic (30) operations', async () => {
    const { server, ct } = await loggedIn();
    const peer = rawPeer(ct);
    peer.send({ kind: 'O', ot: '52', trn: 30, ...blank5x() });
    peer.send({ kind: 'O', ot: '30', trn: 31, fields: ['1', '2', '', '0', '', '', '0', '', '', '41'] });
    await settle();
    expect(peer.got.map((p) => p.kind === 'R' && !p.result.ack && p.result.ec)).toEqual(['03', '03']);
    await server.close();
  });

  it('client default reads an operation with trailing fields by its known fields (lenient toward SCs)', async () => {
    const { client, st } = await loggedIn();
    const peer = rawPeer(st);
    peer.raw(frame('26', 'O', '31', ['4477009000', '0539', 'extra']));
    await settle();
    expect(peer.got.map((p) => p.kind === 'R' && [p.trn, p.ot, p.result.ack])).toEqual([[26, '31', true]]);
    await client.close();
  });

  it('body errors with a readable header are NACKed (01 checksum, 02 syntax) and the session lives', async () => {
    const { client, st } = await loggedIn({ extraFields: 'reject' });
    const peer = rawPeer(st);
    const ev = events(client);
    peer.raw('\x0224/00032/O/31/4477009000/0539/00\x03');
    peer.raw(frame('25', 'O', '31', ['4477009000', '0539', 'extra']));
    await settle();
    expect(peer.got.map((p) => p.kind === 'R' && !p.result.ack && [p.trn, p.result.ec])).toEqual([[24, '01'], [25, '02']]);
    expect(ev.filter((e) => e.type === 'decodeError')).toHaveLength(2);
    expect(client.state).toBe('logged_in');
    await client.close();
  });

  it('a bad result for an operation in flight rejects that operation', async () => {
    const { client, st } = await loggedIn();
    const p = client.send(submit());
    await settle();
    rawPeer(st).raw(frame('01', 'R', '51', ['Q', '', '']));
    await expect(p).rejects.toMatchObject({ code: 'PDU_DECODE', status: '02' });
    await client.close();
  });

  it('an unreadable header is fatal: frame_error, in-flight fail', async () => {
    const { client, st } = await loggedIn();
    const p = client.send(submit());
    await settle();
    rawPeer(st).raw(frame('x1', 'R', '51', ['A', '', '']));
    await expect(p).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(client.closed).resolves.toMatchObject({ kind: 'frame_error' });
  });

  it('a framer error (ETX missing) is fatal too', async () => {
    const { client, st } = await loggedIn();
    rawPeer(st).raw('\x0201/00019/R/60/A//6E\x0201/00019/R/60/A//6E\x03');
    await expect(client.closed).resolves.toMatchObject({ kind: 'frame_error' });
  });

  it('an unanswered inbound operation gets NACK 55 after inboundTimeoutMs', async () => {
    const { client, server, clock } = await loggedIn({ inboundTimeoutMs: 2000 }, { responseTimeoutMs: 10_000 });
    const p = server.send({ kind: 'O', ot: '53', ...blank5x(), adc: '1', oadc: '2', scts: '150124123005', dst: '0' });
    await settle();
    clock.advance(2001);
    await expect(p).rejects.toMatchObject({ status: '55' });
    await client.close();
  });

  it('pauses reads at inboundPauseAt and resumes at inboundResumeAt', async () => {
    const { client, server, ct } = await loggedIn({ inboundPauseAt: 3, inboundResumeAt: 1 });
    const ev = events(client);
    const reqs = collect(client);
    const mo = { kind: 'O' as const, ot: '52' as const, ...blank5x(), adc: '1', oadc: '2', scts: '150124123005', mt: '3', msg: '41' };
    const ps = Array.from({ length: 3 }, () => server.send(mo));
    await settle();
    expect(ct.isPaused).toBe(true);
    expect(ev).toContainEqual({ type: 'paused', inboundInFlight: 3 });
    reqs[0]!.respond({ ack: true });
    expect(ct.isPaused).toBe(true);
    reqs[1]!.respond({ ack: true });
    expect(ct.isPaused).toBe(false);
    expect(ev).toContainEqual({ type: 'resumed', inboundInFlight: 1 });
    reqs[2]!.respond({ ack: true });
    await Promise.all(ps);
    await client.close();
  });

  it('requests$ completes and events$ ends with closed when the session closes', async () => {
    const { client } = await loggedIn();
    const all = firstValueFrom(client.events$.pipe(take(10), toArray()));
    await client.close();
    const ev = await all;
    expect(ev[ev.length - 1]).toEqual({ type: 'closed', reason: { kind: 'local' } });
  });

  it('a client cannot send an SC-only operation (52)', async () => {
    const { client } = await loggedIn();
    await expect(client.send({ kind: 'O', ot: '52', ...blank5x() })).rejects.toBeInstanceOf(SessionStateError);
    await client.close();
  });
});

/** Hand-made frame with a correct LEN and CK (ucp.md section 1). */
function frame(trn: string, kind: string, ot: string, fields: string[]): string {
  const body = `${kind}/${ot}/` + fields.map((f) => f + '/').join('');
  const text = `${trn}/${String(body.length + 11).padStart(5, '0')}/${body}`;
  let sum = 0;
  for (const c of Buffer.from(text, 'latin1')) sum += c;
  return `\x02${text}${(sum & 0xff).toString(16).toUpperCase().padStart(2, '0')}\x03`;
}
