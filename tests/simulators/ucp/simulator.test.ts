import { loginUcpClient, connectUcpClient } from '../../../protocols/ucp/client';
import { contentOf } from '../../../protocols/ucp/content';
import { submitsFromText } from '../../../protocols/ucp/message';
import type { UcpOperation } from '../../../protocols/ucp/pdu';
import { messageIdFromSubmitAck, receiptFromNotification } from '../../../protocols/ucp/receipt';
import type { UcpSession } from '../../../protocols/ucp/session';
import type { Receipt } from '../../../protocols/session/receipt';
import { FakeClock } from '../../../protocols/wire/clock';
import { ConnectionClosedError, PduDecodeError, RemoteError, TimeoutError } from '../../../protocols/wire/errors';
import { UcpPersonas, type UcpPersona } from '../../../simulators/ucp/personas';
import { UcpSimulator, startUcpSimulator, type RunningUcpSimulator } from '../../../simulators/ucp/simulator';
import { pair, settle } from '../../protocols/ucp/helpers';
import { selfSignedCert } from '../../helpers/test-cert';

const USER = '4477009000';
const PASSWORD = 'secret';

/** Waits for `n` items pushed into `list` by a subscription; bounded by `rounds` event-loop turns. */
async function waitFor<T>(list: T[], n: number, rounds = 2000): Promise<T[]> {
  for (let i = 0; i < rounds && list.length < n; i++) await new Promise<void>((r) => setImmediate(r));
  return list;
}

describe('UCP client against the simulator over loopback', () => {
  let sim: RunningUcpSimulator | undefined;
  let client: UcpSession | undefined;

  async function start(persona: UcpPersona, sessionOpts = {}): Promise<UcpSession> {
    sim = await startUcpSimulator({ port: 0, user: USER, password: PASSWORD, persona });
    client = await connectUcpClient({ host: '127.0.0.1', port: sim.port, login: { oadc: USER, password: PASSWORD } }, { keepAliveIntervalMs: 0, ...sessionOpts });
    return client;
  }

  afterEach(async () => {
    await client?.close();
    await sim?.close();
    client = undefined;
    sim = undefined;
  });

  it('happy: ACK with AdC:SCTS, then a 53 that maps to the same message id', async () => {
    const c = await start(UcpPersonas.happy);
    const receipts: Receipt[] = [];
    c.requests$.subscribe((r) => {
      if (r.pdu.ot === '53') receipts.push(receiptFromNotification(r.pdu));
      r.respond({ ack: true });
    });
    const [op] = submitsFromText({ to: '447700900123', from: 'ACME', text: 'Hello world €', fields: { nrq: '1', nt: '3' } });
    const res = await c.send(op!);
    const id = res.result.ack ? messageIdFromSubmitAck(res.result, '447700900123') : undefined;
    expect(id).toMatch(/^447700900123:\d{12}$/);
    await waitFor(receipts, 1);
    expect(receipts[0]).toMatchObject({ smscMessageId: id, outcome: 'delivered', final: true, destination: '447700900123' });
    expect(sim!.stats).toMatchObject({ logins: 1, submits: 1, notificationsSent: 1 });
  });

  it('injectNotification sends a 53 for a given id (e.g. a late buffered receipt)', async () => {
    const c = await start(UcpPersonas.happy);
    const receipts: Receipt[] = [];
    c.requests$.subscribe((r) => {
      if (r.pdu.ot === '53') receipts.push(receiptFromNotification(r.pdu));
      r.respond({ ack: true });
    });
    await sim!.simulator.injectNotification({ adc: '447700900123', scts: '150124123005' }, 'buffered');
    expect(receipts).toEqual([expect.objectContaining({ smscMessageId: '447700900123:150124123005', outcome: 'buffered', final: false, source: USER })]);
  });

  it('two submits to one number in the same second get distinct ids', async () => {
    const c = await start(UcpPersonas.happy);
    const [op] = submitsFromText({ to: '447700900123', from: '4477009000', text: 'x' });
    const rs = await Promise.all([c.send(op!), c.send(op!), c.send(op!)]);
    const ids = rs.map((r) => r.result.sm);
    expect(new Set(ids).size).toBe(3);
  });

  it('long UCS2 submit goes as concatenated MT 4 parts; the simulator ACKs each', async () => {
    const c = await start(UcpPersonas.happy);
    const text = 'Привет мир! '.repeat(10); // 120 UCS2 units -> 2 parts
    const parts = submitsFromText({ to: '447700900123', from: '+447700900001', text, ref: 9 });
    expect(parts).toHaveLength(2);
    const rs = await Promise.all(parts.map((p) => c.send(p)));
    expect(rs.every((r) => r.result.ack)).toBe(true);
    expect(parts.map((p) => contentOf(p).text).join('')).toBe(text);
  });

  it('injected long MOs (52) arrive in parts with concat info and are answered', async () => {
    const c = await start(UcpPersonas.happy);
    const mos: UcpOperation[] = [];
    c.requests$.subscribe((r) => {
      mos.push(r.pdu);
      r.respond({ ack: true });
    });
    const text = 'Ünïcødé ✓ '.repeat(8); // non-GSM, 80 units -> 2 parts
    const results = await sim!.injectMo('447700900123', USER, text);
    expect(results).toHaveLength(2);
    expect(mos.map((m) => m.ot)).toEqual(['52', '52']);
    const contents = mos.map((m) => (m.ot === '52' ? contentOf(m) : undefined));
    expect(contents.map((x) => x?.concat?.seq)).toEqual([1, 2]);
    expect(contents.map((x) => x?.text).join('')).toBe(text);
  });

  it('nackOnSubmit(24) -> RemoteError 24', async () => {
    const c = await start(UcpPersonas.nackOnSubmit('24'));
    const [op] = submitsFromText({ to: '1', from: '2', text: 'x' });
    await expect(c.send(op!)).rejects.toBeInstanceOf(RemoteError);
    await expect(c.send(op!)).rejects.toMatchObject({ status: '24' });
  });

  it('noResponseOnSubmit -> TimeoutError with a short timeout', async () => {
    const c = await start(UcpPersonas.noResponseOnSubmit);
    const [op] = submitsFromText({ to: '1', from: '2', text: 'x' });
    await expect(c.send(op!, { timeoutMs: 100 })).rejects.toBeInstanceOf(TimeoutError);
    expect(c.inFlight).toBe(0);
  });

  it('dropAfterLogin -> the client sees the session close', async () => {
    const c = await start(UcpPersonas.dropAfterLogin);
    await expect(c.closed).resolves.toEqual({ kind: 'remote' });
    const [op] = submitsFromText({ to: '1', from: '2', text: 'x' });
    await expect(c.send(op!)).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('corruptChecksum -> the submit fails with a decode error (EC 01) and the session lives', async () => {
    const c = await start(UcpPersonas.corruptChecksum);
    const [op] = submitsFromText({ to: '1', from: '2', text: 'x' });
    const err = await c.send(op!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PduDecodeError);
    expect((err as PduDecodeError).status).toBe('01');
    await expect(c.send(op!)).resolves.toMatchObject({ result: { ack: true } });
  });

  it('a wrong password is refused with RemoteError 07', async () => {
    sim = await startUcpSimulator({ port: 0, user: USER, password: PASSWORD });
    await expect(connectUcpClient({ host: '127.0.0.1', port: sim.port, login: { oadc: USER, password: 'nope' } })).rejects.toMatchObject({ status: '07' });
    expect(sim.stats.loginFailures).toBe(1);
  });
});

describe('UCP simulator personas on a fake clock', () => {
  async function attached(persona: UcpPersona, clientOpts = {}) {
    const clock = new FakeClock(Date.UTC(2024, 0, 15, 12, 30, 5));
    const sim = new UcpSimulator({ user: USER, password: PASSWORD, persona, clock });
    const [ct, st] = pair();
    sim.attach(st);
    const client = await loginUcpClient(ct, { oadc: USER, password: PASSWORD }, { clock, keepAliveIntervalMs: 0, ...clientOpts });
    return { clock, sim, client };
  }

  it('slow(2): results are spaced 500 ms apart', async () => {
    const { clock, client, sim } = await attached(UcpPersonas.slow(2));
    const [op] = submitsFromText({ to: '1', from: '2', text: 'x' });
    const done: number[] = [];
    const ps = [0, 1, 2].map((i) => client.send(op!).then(() => done.push(i)));
    await settle();
    expect(done).toEqual([0]);
    clock.advance(499);
    await settle();
    expect(done).toEqual([0]);
    clock.advance(1);
    await settle();
    expect(done).toEqual([0, 1]);
    clock.advance(500);
    await Promise.all(ps);
    expect(done).toEqual([0, 1, 2]);
    await sim.close();
  });

  it('dlrAfter(1000, undeliverable): the 53 comes a second later with Dst 2', async () => {
    const { clock, client, sim } = await attached(UcpPersonas.dlrAfter(1000, 'undeliverable'));
    const receipts: Receipt[] = [];
    client.requests$.subscribe((r) => {
      if (r.pdu.ot === '53') receipts.push(receiptFromNotification(r.pdu));
      r.respond({ ack: true });
    });
    const [op] = submitsFromText({ to: '447700900123', from: '4477009000', text: 'x', fields: { nrq: '1', nt: '3' } });
    const res = await client.send(op!);
    clock.advance(999);
    await settle();
    expect(receipts).toHaveLength(0);
    clock.advance(1);
    await settle();
    expect(receipts).toEqual([expect.objectContaining({ smscMessageId: res.result.sm, outcome: 'undeliverable', errorCode: '108', final: true, source: '4477009000' })]);
    await sim.close();
  });

  it('a buffered notification is not sent when NT does not ask for it', async () => {
    const { clock, client, sim } = await attached(UcpPersonas.dlrAfter(10, 'buffered'));
    let got = 0;
    client.requests$.subscribe((r) => {
      got++;
      r.respond({ ack: true });
    });
    const [op] = submitsFromText({ to: '1', from: '2', text: 'x', fields: { nrq: '1', nt: '3' } });
    await client.send(op!);
    clock.advance(20);
    await settle();
    expect(got).toBe(0);
    expect(sim.stats.notificationsSent).toBe(0);
    await sim.close();
  });

  it('blackHole: keep-alives go unanswered and the client closes with keepalive_timeout', async () => {
    const { clock, client } = await attached(UcpPersonas.blackHole, { keepAliveIntervalMs: 1000, keepAliveTimeoutMs: 500 });
    clock.advance(1000);
    await settle();
    expect(client.inFlight).toBe(1);
    clock.advance(500);
    await expect(client.closed).resolves.toEqual({ kind: 'keepalive_timeout' });
  });
});

describe('UCP over TLS', () => {
  let sim: RunningUcpSimulator | undefined;
  let client: UcpSession | undefined;

  afterAll(async () => {
    await client?.close();
    await sim?.close();
  });

  it('logs in and submits over TLS with a self-signed certificate generated for the test', async () => {
    const { key, cert: certPem } = selfSignedCert();
    sim = await startUcpSimulator({ port: 0, user: USER, password: PASSWORD, tls: { key, cert: certPem } });
    client = await connectUcpClient({ host: '127.0.0.1', port: sim.port, tls: { ca: certPem, servername: 'localhost' }, login: { oadc: USER, password: PASSWORD } }, { keepAliveIntervalMs: 0 });
    const [op] = submitsFromText({ to: '447700900123', from: USER, text: 'over TLS' });
    await expect(client.send(op!)).resolves.toMatchObject({ result: { ack: true } });
    await client.close();
    await expect(client.closed).resolves.toEqual({ kind: 'local' });
  });
});
