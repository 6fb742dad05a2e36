import { loginCimd2Client } from '../../../protocols/cimd2/client';
import { ErrorCode } from '../../../protocols/cimd2/constants';
import { deliverMessage, readMessage, submit, submitResponse } from '../../../protocols/cimd2/message';
import { login, type Cimd2Packet } from '../../../protocols/cimd2/packet';
import { receiptFromStatusReport, statusReport } from '../../../protocols/cimd2/receipt';
import { acceptCimd2ServerSession } from '../../../protocols/cimd2/server';
import type { Cimd2Session } from '../../../protocols/cimd2/session';
import type { Cimd2Authenticator, Cimd2SessionEvent, Cimd2SessionOptions } from '../../../protocols/cimd2/session-types';
import { FakeClock } from '../../../protocols/wire/clock';
import { RemoteError, SessionStateError } from '../../../protocols/wire/errors';
import { cimd2Pair, RawPeer, settle } from './helpers';

const auth: Cimd2Authenticator = (r) => (r.user === 'acme' && r.password === 'secret' ? { ok: true } : { ok: false, errorCode: ErrorCode.INVALID_LOGIN });

function server(opts: Cimd2SessionOptions = {}, a: Cimd2Authenticator = auth) {
  const clock = new FakeClock();
  const [c, s] = cimd2Pair();
  const sme = new RawPeer(c);
  const session = acceptCimd2ServerSession(s, a, { clock, aliveIntervalMs: 0, ...opts });
  const events: Cimd2SessionEvent[] = [];
  session.events$.subscribe((e) => events.push(e));
  return { clock, c, s, sme, session, events };
}

const sessions: Cimd2Session[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) if (s.state !== 'closed') s.transport.destroy();
});

describe('Cimd2Session as server (MC side)', () => {
  it('accepts a login through the authenticator and emits bound', async () => {
    const { sme, session, events } = server();
    sessions.push(session);
    sme.send(login({ user: 'acme', password: 'secret' }));
    await settle();
    expect(sme.last()).toEqual({ opCode: 51, packetNumber: 1, params: [] });
    expect(session.state).toBe('logged_in');
    expect(events.some((e) => e.type === 'bound' && e.systemId === 'acme')).toBe(true);
  });

  it('refuses a bad login with 51 900:100 and closes with bind_failed', async () => {
    const { sme, session, events } = server();
    sme.send(login({ user: 'acme', password: 'wrong' }));
    await settle();
    expect(sme.last()).toEqual({ opCode: 51, packetNumber: 1, params: [{ code: '900', value: '100' }] });
    expect(session.state).toBe('closed');
    expect(events.some((e) => e.type === 'closed' && e.reason.kind === 'bind_failed' && e.reason.status === 100)).toBe(true);
  });

  it('answers 100 when the authenticator throws', async () => {
    const { sme } = server({}, () => {
      throw new Error('db down');
    });
    sme.send(login({ user: 'acme', password: 'secret' }));
    await settle();
    expect(sme.last()).toMatchObject({ opCode: 51, params: [{ code: '900', value: '100' }] });
  });

  it('rejects anything but 01 before login with the 5x response and 900:1', async () => {
    const { sme, session } = server();
    sessions.push(session);
    sme.send(submit({ destinations: ['4477'], text: 'early' }, 3));
    sme.send({ opCode: 40, packetNumber: 5, params: [] });
    await settle();
    expect(sme.got).toEqual([
      { opCode: 53, packetNumber: 3, params: [{ code: '900', value: '1' }] },
      { opCode: 90, packetNumber: 5, params: [{ code: '900', value: '1' }] },
    ]);
    expect(session.state).toBe('open');
  });

  it('answers a second login with 51 900:1', async () => {
    const { sme, session } = server();
    sessions.push(session);
    sme.send(login({ user: 'acme', password: 'secret' }));
    await settle();
    sme.send(login({ user: 'acme', password: 'secret' }, 3));
    await settle();
    expect(sme.last()).toEqual({ opCode: 51, packetNumber: 3, params: [{ code: '900', value: '1' }] });
    expect(session.state).toBe('logged_in');
  });

  it('closes a connection that does not log in within loginTimeoutMs', async () => {
    const { session, clock, events } = server({ loginTimeoutMs: 5000 });
    clock.advance(5000);
    await settle();
    expect(session.state).toBe('closed');
    expect(events.some((e) => e.type === 'closed' && e.reason.kind === 'error')).toBe(true);
  });

  it('answers a submit with an over-long 027 with 53 900:322 and one with a bad 021 with 300', async () => {
    const { sme, session } = server();
    sessions.push(session);
    sme.send(login({ user: 'acme', password: 'secret' }));
    await settle();
    sme.sendText('<STX>03:003<TAB>021:447700900123<TAB>027:ACMECORPORATION<TAB><ETX>');
    sme.sendText('<STX>03:005<TAB>021:44770O<TAB><ETX>');
    await settle();
    expect(sme.got.slice(1)).toEqual([
      { opCode: 53, packetNumber: 3, params: [{ code: '900', value: '322' }] },
      { opCode: 53, packetNumber: 5, params: [{ code: '900', value: '300' }] },
    ]);
  });

  it('answers 20 from a client with 98 900:1 and a bad checksum with 99', async () => {
    const { sme, session } = server();
    sessions.push(session);
    sme.send(login({ user: 'acme', password: 'secret' }));
    await settle();
    sme.send(deliverMessage({ destinations: ['1'], text: 'x' }, 3));
    sme.sendText('<STX>03:005<TAB>021:1<TAB>FF<ETX>');
    await settle();
    expect(sme.got.slice(1)).toEqual([
      { opCode: 98, packetNumber: 3, params: [{ code: '900', value: '1' }] },
      { opCode: 99, packetNumber: 5, params: [] },
    ]);
  });

  it('answers the client logout with 52 and closes as remote', async () => {
    const { sme, session, events } = server();
    sme.send(login({ user: 'acme', password: 'secret' }));
    await settle();
    sme.send({ opCode: 2, packetNumber: 3, params: [] });
    await settle();
    expect(sme.last()).toEqual({ opCode: 52, packetNumber: 3, params: [] });
    expect(session.state).toBe('closed');
    expect(events.some((e) => e.type === 'closed' && e.reason.kind === 'remote')).toBe(true);
  });

  it('server requests use even numbers 000, 002, ... and refuse client-only ops', async () => {
    const { sme, session } = server({ windowSize: 5 });
    sessions.push(session);
    sme.send(login({ user: 'acme', password: 'secret' }));
    await settle();
    const ps = [0, 1, 2].map((i) => session.send(deliverMessage({ destinations: ['4477'], originator: '447700900123', text: `mo${i}` })));
    await settle();
    expect(sme.got.slice(1).map((p) => [p.opCode, p.packetNumber])).toEqual([[20, 0], [20, 2], [20, 4]]);
    for (const p of sme.got.slice(1)) sme.send({ opCode: 70, packetNumber: p.packetNumber, params: [] });
    await Promise.all(ps);
    await expect(session.send(submit({ destinations: ['1'], text: 'x' }))).rejects.toBeInstanceOf(SessionStateError);
  });
});

describe('our client against our server over a memory pair', () => {
  async function linked(clientOpts: Cimd2SessionOptions = {}, serverOpts: Cimd2SessionOptions = {}) {
    const clock = new FakeClock();
    const [c, s] = cimd2Pair();
    const srv = acceptCimd2ServerSession(s, auth, { clock, aliveIntervalMs: 0, ...serverOpts });
    const cli = await loginCimd2Client(c, { user: 'acme', password: 'secret' }, { clock, aliveIntervalMs: 0, ...clientOpts });
    sessions.push(srv, cli);
    return { clock, srv, cli };
  }

  it('submit -> 53 with 021 + 060, then 23 status report -> Receipt with the same id', async () => {
    const { srv, cli } = await linked({ windowSize: 10 }, { windowSize: 10 });
    let n = 0;
    srv.requests$.subscribe((r) => {
      const m = readMessage(r.pdu);
      const scts = `2401151230${String(n++).padStart(2, '0')}`;
      r.respond({ params: submitResponse(0, m.destinations[0]!, scts).params });
      void srv.send(statusReport({ destination: m.destinations[0]!, scts, statusCode: 4, dischargeTime: '240115123100' }));
    });
    const receipts: string[] = [];
    cli.requests$.subscribe((r) => {
      receipts.push(receiptFromStatusReport(r.pdu).smscMessageId);
      r.respond({});
    });
    const resp = await cli.send(submit({ destinations: ['447700900123'], originator: 'ACME', text: 'Hello € [x]', statusReportRequest: 14 }));
    await settle();
    const id = `${resp.params[0]!.value}:${resp.params[1]!.value}`;
    expect(receipts).toEqual([id]);
  });

  it('carries UCS2 text and the 064/065 billing parameters end to end', async () => {
    const { srv, cli } = await linked();
    const seen: Cimd2Packet[] = [];
    srv.requests$.subscribe((r) => {
      seen.push(r.pdu);
      r.respond({});
    });
    await cli.send(submit({ destinations: ['4477'], text: 'Привет 😀', tariffClass: 12, serviceDescription: 3 }));
    expect(readMessage(seen[0]!)).toMatchObject({ text: 'Привет 😀', dcs: 8, tariffClass: 12, serviceDescription: 3 });
  });

  it('a server-side refusal reaches the client as RemoteError(status)', async () => {
    const { srv, cli } = await linked();
    srv.requests$.subscribe((r) => r.respond({ errorCode: ErrorCode.TEMPORARY_CONGESTION, errorText: 'busy' }));
    const e = await cli.send(submit({ destinations: ['4477'], text: 'x' })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RemoteError);
    expect((e as RemoteError).status).toBe(10);
  });

  it('alive from the client is answered by the server session itself', async () => {
    const { clock, cli } = await linked({ aliveIntervalMs: 1000, aliveTimeoutMs: 500 });
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      await settle();
    }
    clock.advance(500);
    await settle();
    expect(cli.state).toBe('logged_in');
  });

  it('close() on the client logs out; both ends close', async () => {
    const { srv, cli } = await linked();
    await cli.close();
    await settle();
    expect(cli.state).toBe('closed');
    expect(srv.state).toBe('closed');
    expect(await srv.finished).toEqual({ kind: 'remote' });
    expect(await cli.finished).toEqual({ kind: 'local' });
  });

  it('checksum off on one side interoperates with checksum on the other', async () => {
    const { srv, cli } = await linked({ checksum: false }, { checksum: true });
    srv.requests$.subscribe((r) => r.respond({}));
    await expect(cli.send(submit({ destinations: ['4477'], text: 'x' }))).resolves.toMatchObject({ opCode: 53 });
  });
});
