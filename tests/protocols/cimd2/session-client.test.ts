import { loginCimd2Client } from '../../../protocols/cimd2/client';
import { ErrorCode, NACK_STATUS } from '../../../protocols/cimd2/constants';
import { submit } from '../../../protocols/cimd2/message';
import { responseTo, type Cimd2Packet } from '../../../protocols/cimd2/packet';
import type { Cimd2Session } from '../../../protocols/cimd2/session';
import type { Cimd2SessionEvent, Cimd2SessionOptions } from '../../../protocols/cimd2/session-types';
import { FakeClock } from '../../../protocols/wire/clock';
import { ConnectionClosedError, RemoteError, SessionStateError, TimeoutError, WindowFullError } from '../../../protocols/wire/errors';
import { cimd2Pair, RawPeer, settle } from './helpers';

const msg = (n = 1): Cimd2Packet => submit({ destinations: ['447700900123'], text: `m${n}` });

/** Our client against a hand-driven MC. */
async function loggedIn(opts: Cimd2SessionOptions = {}) {
  const clock = new FakeClock();
  const [a, b] = cimd2Pair();
  const mc = new RawPeer(b);
  const p = loginCimd2Client(a, { user: 'acme', password: 'secret' }, { clock, aliveIntervalMs: 0, ...opts });
  await settle();
  const login = mc.last()!;
  mc.send(responseTo(login));
  const session = await p;
  const events: Cimd2SessionEvent[] = [];
  session.events$.subscribe((e) => events.push(e));
  return { clock, a, b, mc, session, events, login };
}

let open: Cimd2Session[] = [];
afterEach(async () => {
  for (const s of open) if (s.state !== 'closed') s.transport.destroy();
  open = [];
});

describe('Cimd2Session as client against a scripted MC', () => {
  it('logs in with 01:001 carrying 010/011, then numbers requests odd from 003', async () => {
    const { session, mc, login } = await loggedIn({ windowSize: 10 });
    open.push(session);
    expect(login).toEqual({ opCode: 1, packetNumber: 1, params: [{ code: '010', value: 'acme' }, { code: '011', value: 'secret' }] });
    expect(session.state).toBe('logged_in');
    const sends = [session.send(msg(1)), session.send(msg(2))];
    await settle();
    expect(mc.got.slice(1).map((p) => [p.opCode, p.packetNumber])).toEqual([[3, 3], [3, 5]]);
    mc.send({ opCode: 53, packetNumber: 5, params: [{ code: '021', value: '447700900123' }, { code: '060', value: '240115123005' }] });
    mc.send({ opCode: 53, packetNumber: 3, params: [] });
    const [r1, r2] = await Promise.all(sends);
    expect(r1!.packetNumber).toBe(3);
    expect(r2!.params[1]).toEqual({ code: '060', value: '240115123005' });
  });

  it('rejects a refused login with RemoteError(100) and closes with bind_failed', async () => {
    const clock = new FakeClock();
    const [a, b] = cimd2Pair();
    const mc = new RawPeer(b);
    const p = loginCimd2Client(a, { user: 'acme', password: 'bad' }, { clock });
    const caught = p.catch((e: unknown) => e);
    await settle();
    mc.send({ opCode: 51, packetNumber: 1, params: [{ code: '900', value: '100' }] });
    const err = await caught;
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).status).toBe(ErrorCode.INVALID_LOGIN);
    expect(a.isOpen).toBe(false);
  });

  it('fails login with TimeoutError when the MC never answers', async () => {
    const clock = new FakeClock();
    const [a, b] = cimd2Pair();
    new RawPeer(b);
    const caught = loginCimd2Client(a, { user: 'u', password: 'p' }, { clock, loginTimeoutMs: 1000 }).catch((e: unknown) => e);
    await settle();
    clock.advance(1000);
    expect(await caught).toBeInstanceOf(TimeoutError);
  });

  it('wraps packet numbers 255 -> 001 and never uses an even number', async () => {
    const { session, mc } = await loggedIn({ windowSize: 1 });
    open.push(session);
    for (let i = 0; i < 130; i++) {
      const p = session.send(msg(i));
      await settle(1);
      const req = mc.last()!;
      mc.send(responseTo(req));
      await p;
    }
    const nums = mc.got.slice(1).map((p) => p.packetNumber);
    expect(nums.every((n) => n % 2 === 1 && n >= 1 && n <= 255)).toBe(true);
    expect(nums.slice(125, 130)).toEqual([253, 255, 1, 3, 5]);
  });

  it('throws WindowFullError at windowSize + 1 and emits windowFull', async () => {
    const { session, events } = await loggedIn({ windowSize: 2 });
    open.push(session);
    void session.send(msg()).catch(() => undefined);
    void session.send(msg()).catch(() => undefined);
    await expect(session.send(msg())).rejects.toBeInstanceOf(WindowFullError);
    expect(events.some((e) => e.type === 'windowFull')).toBe(true);
    expect(session.inFlight).toBe(2);
  });

  it('times out a request and frees its slot', async () => {
    const { session, clock } = await loggedIn({ windowSize: 1 });
    open.push(session);
    const p = session.send(msg(), { timeoutMs: 500 }).catch((e: unknown) => e);
    clock.advance(499);
    expect(session.inFlight).toBe(1);
    clock.advance(1);
    expect(await p).toBeInstanceOf(TimeoutError);
    expect(session.inFlight).toBe(0);
  });

  it('rejects with RemoteError(900 code) on a negative response', async () => {
    const { session, mc } = await loggedIn();
    open.push(session);
    const p = session.send(msg()).catch((e: unknown) => e);
    await settle();
    mc.send({ opCode: 53, packetNumber: 3, params: [{ code: '900', value: '300' }, { code: '901', value: 'bad address' }] });
    const e = await p;
    expect(e).toBeInstanceOf(RemoteError);
    expect((e as RemoteError).status).toBe(300);
  });

  it('rejects with RemoteError(99) on a NACK and with the 900 code on a 98', async () => {
    const { session, mc } = await loggedIn({ windowSize: 2 });
    open.push(session);
    const p1 = session.send(msg()).catch((e: unknown) => e);
    const p2 = session.send(msg()).catch((e: unknown) => e);
    await settle();
    mc.send({ opCode: 99, packetNumber: 3, params: [] });
    mc.send({ opCode: 98, packetNumber: 5, params: [{ code: '900', value: '1' }] });
    expect(((await p1) as RemoteError).status).toBe(NACK_STATUS);
    expect(((await p2) as RemoteError).status).toBe(1);
  });

  it('resolves a positive response with a malformed value (the MC accepted it: no resend)', async () => {
    const { session, mc, events } = await loggedIn();
    open.push(session);
    const p = session.send(msg());
    await settle();
    mc.sendText('<STX>53:003<TAB>021:<TAB>060:notatime<TAB><ETX>');
    await expect(p).resolves.toMatchObject({ opCode: 53, params: [{ code: '021', value: '' }, { code: '060', value: 'notatime' }] });
    expect(events.some((e) => e.type === 'decodeError')).toBe(true);
    expect(session.state).toBe('logged_in');
  });

  it('rejects a negative response with a malformed value by its 900 code', async () => {
    const { session, mc } = await loggedIn();
    open.push(session);
    const p = session.send(msg()).catch((e: unknown) => e);
    await settle();
    mc.sendText('<STX>53:003<TAB>900:300<TAB>060:notatime<TAB><ETX>');
    expect(await p).toBeInstanceOf(RemoteError);
    expect(await p).toMatchObject({ status: 300 });
  });

  it('ignores a response that matches nothing in flight (event) and one with the wrong op', async () => {
    const { session, mc, events } = await loggedIn();
    open.push(session);
    const p = session.send(msg());
    await settle();
    mc.send({ opCode: 53, packetNumber: 99, params: [] });
    mc.send({ opCode: 54, packetNumber: 3, params: [] });
    await settle();
    expect(events.filter((e) => e.type === 'unexpectedPacket')).toHaveLength(2);
    expect(session.inFlight).toBe(1);
    mc.send({ opCode: 53, packetNumber: 3, params: [] });
    await expect(p).resolves.toMatchObject({ opCode: 53 });
  });

  it('NACKs a frame with a bad checksum, keeping the number, and lives on', async () => {
    const { session, mc, events } = await loggedIn();
    open.push(session);
    mc.sendText('<STX>20:002<TAB>021:4477<TAB>033:hi<TAB>00<ETX>');
    await settle();
    expect(mc.last()).toEqual({ opCode: 99, packetNumber: 2, params: [] });
    expect(events.some((e) => e.type === 'nackSent' && e.reason === 'checksum')).toBe(true);
    expect(session.state).toBe('logged_in');
  });

  it('answers an unknown op with 98 900:1, and an MC-only op the client cannot take too', async () => {
    const { session, mc } = await loggedIn();
    open.push(session);
    mc.send({ opCode: 7, packetNumber: 2, params: [] });
    await settle();
    expect(mc.last()).toEqual({ opCode: 98, packetNumber: 2, params: [{ code: '900', value: '1' }] });
    mc.send({ opCode: 3, packetNumber: 4, params: [{ code: '021', value: '1' }] });
    await settle();
    expect(mc.last()).toEqual({ opCode: 98, packetNumber: 4, params: [{ code: '900', value: '1' }] });
    expect(session.state).toBe('logged_in');
  });

  it('takes a 20 with a malformed value anyway (decodeError event) and lets the application answer', async () => {
    const { session, mc, events } = await loggedIn();
    open.push(session);
    const seen: Array<Array<{ code: string; value: string }>> = [];
    session.requests$.subscribe((r) => {
      seen.push(r.pdu.params);
      r.respond({});
    });
    mc.sendText('<STX>20:006<TAB>021:4477<TAB>060:bad<TAB>026:<TAB><ETX>');
    await settle();
    expect(seen).toEqual([[{ code: '021', value: '4477' }, { code: '060', value: 'bad' }, { code: '026', value: '' }]]);
    expect(events.filter((e) => e.type === 'decodeError')).toHaveLength(1);
    expect(mc.last()).toEqual({ opCode: 70, packetNumber: 6, params: [] });
  });

  it('surfaces 20 and 23 on requests$, answers 70/73 once, and a duplicate is answered again without surfacing', async () => {
    const { session, mc, events } = await loggedIn();
    open.push(session);
    const seen: number[] = [];
    session.requests$.subscribe((r) => {
      seen.push(r.pdu.opCode);
      expect(r.respond({})).toBe(true);
      expect(r.respond({ errorCode: 6 })).toBe(false);
    });
    mc.send({ opCode: 20, packetNumber: 2, params: [{ code: '021', value: '4477' }, { code: '033', value: 'hi' }] });
    mc.send({ opCode: 23, packetNumber: 4, params: [{ code: '021', value: '4477' }, { code: '060', value: '240115123005' }, { code: '061', value: '4' }] });
    mc.send({ opCode: 23, packetNumber: 4, params: [{ code: '021', value: '4477' }, { code: '060', value: '240115123005' }, { code: '061', value: '4' }] });
    await settle();
    expect(seen).toEqual([20, 23]);
    expect(mc.got.slice(1).map((p) => [p.opCode, p.packetNumber])).toEqual([[70, 2], [73, 4], [73, 4]]);
    expect(events.some((e) => e.type === 'duplicateRequest')).toBe(true);
  });

  it('answers with 900:6 when the application does not respond in time', async () => {
    const { session, mc, clock } = await loggedIn({ inboundTimeoutMs: 1000 });
    open.push(session);
    session.requests$.subscribe(() => undefined);
    mc.send({ opCode: 20, packetNumber: 2, params: [{ code: '021', value: '4477' }] });
    await settle();
    clock.advance(1000);
    await settle();
    expect(mc.last()).toEqual({ opCode: 70, packetNumber: 2, params: [{ code: '900', value: '6' }] });
  });

  it('pauses reads above inboundPauseAt and resumes at inboundResumeAt', async () => {
    const { session, mc, a, events } = await loggedIn({ inboundPauseAt: 2, inboundResumeAt: 1 });
    open.push(session);
    const pending: Array<{ respond: (r: object) => boolean }> = [];
    session.requests$.subscribe((r) => pending.push(r));
    mc.send({ opCode: 20, packetNumber: 2, params: [] });
    mc.send({ opCode: 20, packetNumber: 4, params: [] });
    await settle();
    expect(a.isPaused).toBe(true);
    expect(events.some((e) => e.type === 'paused')).toBe(true);
    pending[0]!.respond({});
    expect(a.isPaused).toBe(false);
    expect(events.some((e) => e.type === 'resumed')).toBe(true);
  });

  it('sends 40 when idle and closes with keepalive_timeout when no 90 comes', async () => {
    const { session, mc, clock, events } = await loggedIn({ aliveIntervalMs: 1000, aliveTimeoutMs: 300 });
    open.push(session);
    clock.advance(1000);
    await settle();
    expect(mc.last()).toMatchObject({ opCode: 40 });
    mc.send(responseTo(mc.last()!));
    await settle();
    clock.advance(1000);
    await settle();
    expect(mc.got.filter((p) => p.opCode === 40)).toHaveLength(2);
    clock.advance(300);
    await settle();
    expect(session.state).toBe('closed');
    expect(events.some((e) => e.type === 'closed' && e.reason.kind === 'keepalive_timeout')).toBe(true);
  });

  it('does not send 40 while traffic keeps arriving', async () => {
    const { session, mc, clock } = await loggedIn({ aliveIntervalMs: 1000 });
    open.push(session);
    for (let i = 0; i < 5; i++) {
      clock.advance(600);
      mc.send({ opCode: 90, packetNumber: 200, params: [] });
      await settle(1);
    }
    expect(mc.got.some((p) => p.opCode === 40)).toBe(false);
  });

  it('answers the MC alive with 90 immediately', async () => {
    const { session, mc } = await loggedIn();
    open.push(session);
    mc.send({ opCode: 40, packetNumber: 8, params: [] });
    await settle();
    expect(mc.last()).toEqual({ opCode: 90, packetNumber: 8, params: [] });
  });

  it('close() waits for in-flight responses, then logs out with 02 and closes', async () => {
    const { session, mc, events } = await loggedIn();
    const inflight = session.send(msg());
    await settle();
    const closing = session.close();
    await settle();
    expect(mc.ops()).toEqual([1, 3]);
    await expect(session.send(msg())).rejects.toBeInstanceOf(SessionStateError);
    mc.send(responseTo(mc.last()!));
    await inflight;
    await settle();
    expect(mc.last()).toMatchObject({ opCode: 2, packetNumber: 5 });
    mc.send(responseTo(mc.last()!));
    await closing;
    expect(session.state).toBe('closed');
    expect(events.some((e) => e.type === 'closed' && e.reason.kind === 'local')).toBe(true);
  });

  it('closes with frame_error on an unreadable header and fails what is in flight', async () => {
    const { session, mc, events } = await loggedIn();
    const p = session.send(msg()).catch((e: unknown) => e);
    await settle();
    mc.sendText('<STX>garbage<ETX>');
    await settle();
    expect(await p).toBeInstanceOf(ConnectionClosedError);
    expect(events.some((e) => e.type === 'closed' && e.reason.kind === 'frame_error')).toBe(true);
  });

  it('closes with frame_error when a frame outgrows maxFrameBytes', async () => {
    const { session, mc, events } = await loggedIn();
    mc.sendText('<STX>20:002<TAB>033:' + 'a'.repeat(5000));
    await settle();
    expect(session.state).toBe('closed');
    expect(events.some((e) => e.type === 'closed' && e.reason.kind === 'frame_error')).toBe(true);
  });

  it('fails in-flight with ConnectionClosedError when the MC drops the link', async () => {
    const { session, b, events } = await loggedIn();
    const p = session.send(msg()).catch((e: unknown) => e);
    await settle();
    b.destroy();
    await settle();
    expect(await p).toBeInstanceOf(ConnectionClosedError);
    expect(events.some((e) => e.type === 'closed' && e.reason.kind === 'remote')).toBe(true);
  });

  it('refuses sends before login, after close and of MC-only ops', async () => {
    const { session } = await loggedIn();
    await expect(session.send({ opCode: 20, packetNumber: 0, params: [] })).rejects.toBeInstanceOf(SessionStateError);
    session.transport.destroy();
    await settle();
    await expect(session.send(msg())).rejects.toBeInstanceOf(SessionStateError);
  });

  it('writes frames without checksum when the link says so', async () => {
    const { session, mc } = await loggedIn({ checksum: false });
    open.push(session);
    void session.send(msg()).catch(() => undefined);
    await settle();
    const raw = mc.raw[mc.raw.length - 1]!;
    expect(raw[raw.length - 2]).toBe(0x09);
  });
});
