import { connectCimd2Client } from '../../../protocols/cimd2/client';
import { ErrorCode } from '../../../protocols/cimd2/constants';
import { readMessage, submit, submitsForText } from '../../../protocols/cimd2/message';
import { getParam } from '../../../protocols/cimd2/packet';
import { receiptFromStatusReport } from '../../../protocols/cimd2/receipt';
import type { Cimd2Session } from '../../../protocols/cimd2/session';
import type { Cimd2SessionEvent } from '../../../protocols/cimd2/session-types';
import type { Receipt } from '../../../protocols/session/receipt';
import { FakeClock } from '../../../protocols/wire/clock';
import { RemoteError, TimeoutError } from '../../../protocols/wire/errors';
import { parseUdh } from '../../../protocols/wire/udh';
import { Cimd2PersonaParseError, Cimd2Personas, parseCimd2Persona, type Cimd2Persona } from '../../../simulators/cimd2/personas';
import { startCimd2Simulator, type Cimd2Simulator } from '../../../simulators/cimd2/simulator';

let sim: Cimd2Simulator | undefined;
let client: Cimd2Session | undefined;
let lines: string[] = [];

afterEach(async () => {
  if (client && client.state !== 'closed') await client.close();
  if (sim) await sim.close();
  sim = undefined;
  client = undefined;
  lines = [];
});

async function start(persona: Cimd2Persona = Cimd2Personas.happy, clock?: FakeClock) {
  sim = await startCimd2Simulator({ user: 'acme', password: 'secret', persona, clock, log: (l) => lines.push(l) });
  return sim;
}

async function connect(windowSize = 10, responseTimeoutMs = 5000): Promise<Cimd2Session> {
  client = await connectCimd2Client(
    { host: '127.0.0.1', port: sim!.port, login: { user: 'acme', password: 'secret' } },
    { windowSize, responseTimeoutMs, aliveIntervalMs: 0 },
  );
  return client;
}

/** Collects receipts the client receives, answering each 23. */
function receiptsOf(c: Cimd2Session): { list: Receipt[]; wait: (n: number) => Promise<void> } {
  const list: Receipt[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  c.requests$.subscribe((r) => {
    if (r.pdu.opCode === 23) list.push(receiptFromStatusReport(r.pdu));
    r.respond({});
    for (const w of waiters) if (list.length >= w.n) w.resolve();
  });
  return { list, wait: (n) => (list.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))) };
}

describe('CIMD2 client <-> simulator over loopback', () => {
  it('happy: 53 carries 021 + 060, unique per message, and each 23 correlates to its submit', async () => {
    await start();
    const c = await connect();
    const rec = receiptsOf(c);
    const resps = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => c.send(submit({ destinations: ['447700900123'], originator: 'ACME', text: `msg ${i} €`, statusReportRequest: 14 }))),
    );
    const ids = resps.map((r) => `${getParam(r, '021')}:${getParam(r, '060')}`);
    expect(new Set(ids).size).toBe(5);
    await rec.wait(5);
    expect(rec.list.map((r) => r.smscMessageId).sort()).toEqual([...ids].sort());
    expect(rec.list.every((r) => r.outcome === 'delivered' && r.final)).toBe(true);
    expect(sim!.stats).toMatchObject({ logins: 1, submits: 5, statusReports: 5 });
  });

  it('sends no 23 when 056 does not ask for it', async () => {
    await start();
    const c = await connect();
    const rec = receiptsOf(c);
    await c.send(submit({ destinations: ['4477'], text: 'no report' }));
    await c.send(submit({ destinations: ['4477'], text: 'only temp errors', statusReportRequest: 1 }));
    expect(rec.list).toHaveLength(0);
    expect(sim!.stats.statusReports).toBe(0);
  });

  it('long GSM and long UCS2 messages go as concatenated parts, each answered and reported', async () => {
    await start();
    const c = await connect();
    const rec = receiptsOf(c);
    const gsm = submitsForText('Long text with € and [brackets] '.repeat(10), 42, { destinations: ['4477'], statusReportRequest: 14 });
    const ucs = submitsForText('Длинное сообщение '.repeat(8), 43, { destinations: ['4477'], statusReportRequest: 14 });
    expect(gsm.length).toBeGreaterThan(2);
    expect(ucs.length).toBeGreaterThan(2);
    const all = [...gsm, ...ucs];
    const resps = await Promise.all(all.map((p) => c.send(p)));
    expect(resps).toHaveLength(all.length);
    await rec.wait(all.length);
    expect(rec.list).toHaveLength(all.length);
  });

  it('dlrAfter(500, undeliverable): the 23 comes when the MC clock passes 500 ms', async () => {
    const clock = new FakeClock();
    await start(Cimd2Personas.dlrAfter(500, 'undeliverable'), clock);
    const c = await connect();
    const rec = receiptsOf(c);
    const resp = await c.send(submit({ destinations: ['4477'], text: 'x', statusReportRequest: 14 }));
    clock.advance(499);
    expect(sim!.stats.statusReports).toBe(0);
    clock.advance(1);
    await rec.wait(1);
    expect(rec.list[0]).toMatchObject({ outcome: 'undeliverable', final: true, errorCode: '1', smscMessageId: `4477:${getParam(resp, '060')}` });
  });

  it('nackOnSubmit(300) rejects with RemoteError(300)', async () => {
    await start(Cimd2Personas.nackOnSubmit(300));
    const c = await connect();
    const e = await c.send(submit({ destinations: ['4477'], text: 'x' })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RemoteError);
    expect((e as RemoteError).status).toBe(300);
  });

  it('noResponseOnSubmit makes the client time out', async () => {
    await start(Cimd2Personas.noResponseOnSubmit);
    const c = await connect(1, 150);
    await expect(c.send(submit({ destinations: ['4477'], text: 'x' }))).rejects.toBeInstanceOf(TimeoutError);
    expect(c.inFlight).toBe(0);
  });

  it('slow(2): the third submit in the same second gets 900:10', async () => {
    const clock = new FakeClock();
    await start(Cimd2Personas.slow(2), clock);
    const c = await connect(1);
    await c.send(submit({ destinations: ['4477'], text: '1' }));
    await c.send(submit({ destinations: ['4477'], text: '2' }));
    const e = await c.send(submit({ destinations: ['4477'], text: '3' })).catch((x: unknown) => x);
    expect((e as RemoteError).status).toBe(ErrorCode.TEMPORARY_CONGESTION);
    clock.advance(1000);
    await expect(c.send(submit({ destinations: ['4477'], text: '4' }))).resolves.toMatchObject({ opCode: 53 });
  });

  it('dropAfterLogin: the client sees the link close as remote', async () => {
    await start(Cimd2Personas.dropAfterLogin);
    const c = await connect();
    const events: Cimd2SessionEvent[] = [];
    c.events$.subscribe((e) => events.push(e));
    expect(await c.finished).toEqual({ kind: 'remote' });
  });

  it('a wrong password is refused with 100', async () => {
    await start();
    const e = await connectCimd2Client({ host: '127.0.0.1', port: sim!.port, login: { user: 'acme', password: 'nope' } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RemoteError);
    expect((e as RemoteError).status).toBe(ErrorCode.INVALID_LOGIN);
    expect(sim!.stats.loginFailures).toBe(1);
    expect(lines.some((l) => l.includes('refused'))).toBe(true);
  });

  it('injects MOs: short GSM, long UCS2 with UDH, tariff class carried', async () => {
    await start();
    const c = await connect();
    const mos: ReturnType<typeof readMessage>[] = [];
    c.requests$.subscribe((r) => {
      mos.push(readMessage(r.pdu));
      r.respond({});
    });
    const acks = await sim!.injectMo({ from: '447700900123', to: '4477', text: 'STOP @ £', tariffClass: 5, serviceDescription: 1 });
    expect(acks.map((a) => a.opCode)).toEqual([70]);
    expect(mos[0]).toMatchObject({ text: 'STOP @ £', originator: '447700900123', destinations: ['4477'], tariffClass: 5, serviceDescription: 1 });
    const long = 'Ответ '.repeat(20);
    const acks2 = await sim!.injectMo({ from: '447700900123', to: '4477', text: long });
    expect(acks2.length).toBeGreaterThan(1);
    const parts = mos.slice(1);
    expect(parts.map((m) => m.text).join('')).toBe(long);
    const udh = parseUdh(parts[0]!.udh!);
    expect(udh.ok && udh.udh.concat?.total).toBe(parts.length);
  });

  it('logout closes both sides and the simulator logs it', async () => {
    await start();
    const c = await connect();
    await c.close();
    expect(await c.finished).toEqual({ kind: 'local' });
    for (let i = 0; i < 50 && sim!.stats.closes === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(sim!.stats.closes).toBe(1);
    expect(lines.some((l) => l.startsWith('close remote'))).toBe(true);
  });
});

describe('CIMD2 personas', () => {
  it.each([
    ['happy', { kind: 'happy' }],
    ['dlrAfter(500,delivered)', { kind: 'dlrAfter', ms: 500, outcome: 'delivered' }],
    ['dlrAfter(10, expired)', { kind: 'dlrAfter', ms: 10, outcome: 'expired' }],
    ['nackOnSubmit(300)', { kind: 'nackOnSubmit', code: 300 }],
    ['noResponseOnSubmit', { kind: 'noResponseOnSubmit' }],
    ['slow(100)', { kind: 'slow', perSec: 100 }],
    ['dropAfterLogin', { kind: 'dropAfterLogin' }],
  ])('parses %s', (text, persona) => {
    expect(parseCimd2Persona(text)).toEqual(persona);
  });

  it.each(['nope', 'slow', 'slow(0)', 'dlrAfter(5,maybe)', 'happy(1)', 'nackOnSubmit(x)'])('rejects %s', (text) => {
    expect(() => parseCimd2Persona(text)).toThrow(Cimd2PersonaParseError);
  });
});
