import { FakeClock, systemClock } from '../../../protocols/wire/clock';
import { gsm7Encode } from '../../../protocols/wire/gsm7';
import { ucs2Encode } from '../../../protocols/wire/ucs2';
import { compileMoServices } from '../../../routing/operators/route-mo';
import type { Message } from '../../../routing/message';
import { openMoDb, type MoDb } from '../../../gateway/store/sqlite/mo-db';
import { SqliteMoPartStore } from '../../../gateway/store/sqlite/mo-part-store';
import { SqliteMoDeliveryStore } from '../../../gateway/store/sqlite/mo-delivery-store';
import { MoFlow, type MoService, type SubmitMtResult } from '../../../gateway/mo/mo-flow';
import { CountingMoObserver } from '../../../gateway/mo/observer';
import { PartnerHandlers, type ServiceHandlerSpec } from '../../../gateway/partners/registry';
import type { MoDelivery } from '../../../gateway/partners/handler';
import { startPartnerSimulator, type PartnerSimulator } from '../../../simulators/partner/server';
import { FakeMessageStore } from './fake-store';
import { ascii, mkMo } from './helpers';

const SECRET = 'acme-secret-0123456789';
const handlerDefaults = { timeoutMs: 2000, concurrency: 8, retries: 1, backoffMinMs: 1, backoffMaxMs: 2, maxQueued: 100 };

interface Rig {
  flow: MoFlow;
  store: FakeMessageStore;
  mo: MoDb;
  mts: Message[];
  obs: CountingMoObserver;
  handlers: PartnerHandlers;
  smppBound: Set<string>;
  smppGot: MoDelivery[];
}

describe('MO flow', () => {
  let sim: PartnerSimulator;
  const rigs: Rig[] = [];
  beforeEach(async () => {
    sim = await startPartnerSimulator({ secret: SECRET });
  });
  afterEach(async () => {
    for (const r of rigs.splice(0)) {
      await r.flow.close();
      r.handlers.close();
      r.mo.close();
    }
    await sim.close();
  });

  function rig(opts: { clock?: FakeClock; store?: FakeMessageStore; mo?: MoDb; partialPolicy?: 'deliver' | 'drop'; noReply?: boolean; redriveIntervalMs?: number } = {}): Rig {
    const services: (MoService & ServiceHandlerSpec)[] = [
      { id: 'jokes', shortNumber: '4455', keyword: 'JOKE', partner: 'acme', handler: { kind: 'httpPost', url: sim.url, ...handlerDefaults } },
      { id: 'quiz-get', shortNumber: '4455', keyword: 'QUIZ', partner: 'acme', handler: { kind: 'httpGet', url: sim.url, ...handlerDefaults } },
      { id: 'vote-async', shortNumber: '4455', keyword: 'VOTE', partner: 'acme', handler: { kind: 'httpPostAsync', url: sim.url, ...handlerDefaults } },
      { id: 'default', shortNumber: '4455', partner: 'acme', handler: { kind: 'httpPost', url: sim.url, ...handlerDefaults } },
      { id: 'chat-smpp', shortNumber: '7777', partner: 'esme', handler: { kind: 'smpp', ...handlerDefaults, maxAgeMs: 3_600_000 } },
    ];
    const table = compileMoServices(services);
    if (!table.ok) throw new Error(table.issues.join());
    const smppBound = new Set<string>();
    const smppGot: MoDelivery[] = [];
    const handlers = new PartnerHandlers(
      services,
      { secretFor: (p) => (p === 'acme' ? SECRET : undefined) },
      { isBound: (p) => smppBound.has(p), deliverMo: async (m) => void smppGot.push(m) },
      systemClock,
    );
    const store = opts.store ?? new FakeMessageStore();
    const mo = opts.mo ?? openMoDb({ database: ':memory:' });
    const mts: Message[] = [];
    const obs = new CountingMoObserver();
    const flow = new MoFlow({
      store,
      parts: new SqliteMoPartStore(mo),
      deliveries: new SqliteMoDeliveryStore(mo),
      services: table.table,
      handlers,
      submitMt: async (m): Promise<SubmitMtResult> => {
        await store.insert(m);
        mts.push(m);
        return { ok: true, id: m.id };
      },
      noMatch: opts.noReply ? {} : { reply: 'Unknown service' },
      settings: { reassemblyTimeoutMs: 60_000, partialPolicy: opts.partialPolicy ?? 'deliver', maxOpenGroups: 1000, redriveIntervalMs: opts.redriveIntervalMs },
      clock: opts.clock ?? new FakeClock(),
      observer: obs,
    });
    const r = { flow, store, mo, mts, obs, handlers, smppBound, smppGot };
    rigs.push(r);
    return r;
  }

  it('sync POST: MO stored, partner answered, reply MT from the short number on the same operator', async () => {
    const r = rig();
    const msg = mkMo({ body: ascii('joke please'), connectorId: 'opA' });
    await r.flow.accept(msg);
    expect(r.store.rows.get(msg.id)?.direction).toBe('mo');
    await r.flow.idle();
    expect(sim.received).toHaveLength(1);
    expect(sim.received[0]!.signatureOk).toBe(true);
    expect(sim.received[0]!.fields).toMatchObject({ id: msg.id, text: 'joke please', keyword: 'JOKE', service: 'jokes', operator: 'opA' });
    expect(r.mts).toHaveLength(1);
    const mt = r.mts[0]!;
    expect(mt).toMatchObject({ direction: 'mt', connectorId: 'opA', partnerId: 'acme', routeId: 'jokes', partnerRef: msg.id });
    expect(mt.source.addr).toBe('4455');
    expect(mt.destination.addr).toBe('46700000001');
    expect(mt.body.toString('latin1')).toBe('Re: joke please');
    const stored = r.store.rows.get(msg.id)!;
    expect(stored).toMatchObject({ state: 'delivered', partnerId: 'acme', routeId: 'jokes', connectorId: 'opA' });
  });

  it('GET handler and a long reply split into parts', async () => {
    const r = rig();
    const long = 'x'.repeat(200);
    await sim.close();
    sim = await startPartnerSimulator({ secret: SECRET, port: sim.port, reply: () => long });
    await r.flow.accept(mkMo({ body: ascii('QUIZ 1') }));
    await r.flow.idle();
    expect(sim.received[0]!.method).toBe('GET');
    expect(r.mts[0]!.parts).toHaveLength(2);
    expect(r.mts[0]!.parts.every((p) => p.udhi)).toBe(true);
    expect(r.mts[0]!.body.toString()).toBe(long);
  });

  it('async POST: accepted, no reply MT, MO delivered', async () => {
    const r = rig();
    sim.setMode({ kind: 'async', delayMs: 60_000 });
    const msg = mkMo({ body: ascii('vote 3') });
    await r.flow.accept(msg);
    await r.flow.idle();
    expect(r.mts).toHaveLength(0);
    expect(r.store.rows.get(msg.id)!.state).toBe('delivered');
    expect(r.obs.count('handled.accepted')).toBe(1);
  });

  it('decodes GSM7 with the extension table, UCS2 and Latin-1 for the partner and keeps the raw bytes', async () => {
    const r = rig();
    const gsm = gsm7Encode('joke 10€ [ok]');
    await r.flow.accept(mkMo({ body: gsm, dataCoding: 0 }));
    await r.flow.accept(mkMo({ body: ucs2Encode('joke Привет 😀'), dataCoding: 8 }));
    await r.flow.accept(mkMo({ body: Buffer.from('joke café', 'latin1'), dataCoding: 3 }));
    await r.flow.idle();
    const texts = sim.received.map((x) => x.fields['text']).sort();
    expect(texts).toEqual(['joke 10€ [ok]', 'joke café', 'joke Привет 😀'].sort());
    const g = sim.received.find((x) => x.fields['dataCoding'] === 0)!;
    expect(g.fields['hex']).toBe(gsm.toString('hex'));
  });

  it.each([
    ['8-bit UDH', (seq: number) => ({ udh: { ref: 200, total: 3, seq, refBits: 8 as const } })],
    ['16-bit UDH', (seq: number) => ({ udh: { ref: 51234, total: 3, seq, refBits: 16 as const } })],
    ['SAR', (seq: number) => ({ sar: { ref: 51234, total: 3, seq } })],
  ])('long MO by %s in out-of-order parts with a duplicate: one delivery with the whole text', async (_n, concat) => {
    const r = rig();
    const texts = ['joke part one, ', 'part two, ', 'part three'];
    for (const seq of [3, 1, 3, 2]) await r.flow.accept(mkMo({ body: ascii(texts[seq - 1]!), ...concat(seq) }));
    await r.flow.idle();
    expect(sim.received).toHaveLength(1);
    expect(sim.received[0]!.fields).toMatchObject({ text: texts.join(''), partial: false, service: 'jokes' });
    expect(r.obs.count('part.duplicate')).toBe(1);
    expect(r.store.byDirection('mo')).toHaveLength(1);
    expect(r.store.byDirection('mo')[0]!.source).toEqual({ addr: '46700000001', ton: 1, npi: 1 });
    expect(await new SqliteMoPartStore(r.mo).loadAll()).toEqual([]);
  });

  it('reassembly timeout, policy deliver: partial MO delivered marked partial with the missing parts', async () => {
    const clock = new FakeClock();
    const r = rig({ clock });
    await r.flow.accept(mkMo({ body: ascii('joke a'), udh: { ref: 1, total: 3, seq: 1, refBits: 8 }, createdAt: clock.now() }));
    await r.flow.accept(mkMo({ body: ascii(' c'), udh: { ref: 1, total: 3, seq: 3, refBits: 8 }, createdAt: clock.now() }));
    await r.flow.idle();
    expect(sim.received).toHaveLength(0);
    clock.advance(60_000);
    await r.flow.idle();
    expect(sim.received).toHaveLength(1);
    expect(sim.received[0]!.fields).toMatchObject({ text: 'joke a c', partial: true, missingParts: [2] });
    expect(r.obs.count('partial.delivered')).toBe(1);
  });

  it('reassembly timeout, policy drop: nothing delivered, parts removed, counted', async () => {
    const clock = new FakeClock();
    const r = rig({ clock, partialPolicy: 'drop' });
    await r.flow.accept(mkMo({ body: ascii('joke a'), udh: { ref: 1, total: 2, seq: 1, refBits: 8 }, createdAt: clock.now() }));
    clock.advance(60_000);
    await r.flow.idle();
    expect(sim.received).toHaveLength(0);
    expect(r.obs.count('partial.dropped')).toBe(1);
    expect(await new SqliteMoPartStore(r.mo).loadAll()).toEqual([]);
  });

  it('parts survive a restart and the message completes afterwards', async () => {
    const mo = openMoDb({ database: ':memory:' });
    const store = new FakeMessageStore();
    const a = rig({ mo, store });
    await a.flow.accept(mkMo({ body: ascii('joke 1 '), udh: { ref: 9, total: 2, seq: 2, refBits: 8 } }));
    await a.flow.close();
    rigs.splice(rigs.indexOf(a), 1);
    a.handlers.close();
    const b = rig({ mo, store });
    expect(await b.flow.start()).toEqual({ parts: 1, resumed: 0 });
    await b.flow.accept(mkMo({ body: ascii('JOKE 0 '), udh: { ref: 9, total: 2, seq: 1, refBits: 8 } }));
    await b.flow.idle();
    expect(sim.received.map((x) => x.fields['text'])).toEqual(['JOKE 0 joke 1 ']);
  });

  it('an MO stored but not delivered before a crash is delivered on start', async () => {
    const store = new FakeMessageStore();
    const crashed = mkMo({ body: ascii('joke after crash') });
    crashed.id = store.nextId();
    await store.insert(crashed);
    const r = rig({ store });
    expect(await r.flow.start()).toEqual({ parts: 0, resumed: 1 });
    await r.flow.idle();
    expect(sim.received.map((x) => x.fields['id'])).toEqual([crashed.id]);
    expect(store.rows.get(crashed.id)!.state).toBe('delivered');
  });

  it('no match: configured reply sent from the short number, MO rejected, counted', async () => {
    const r = rig();
    const msg = mkMo({ body: ascii('hello'), to: '9999' });
    await r.flow.accept(msg);
    await r.flow.idle();
    expect(r.mts.map((m) => m.body.toString())).toEqual(['Unknown service']);
    expect(r.mts[0]!.source.addr).toBe('9999');
    expect(r.store.rows.get(msg.id)).toMatchObject({ state: 'rejected', lastError: 'unknown_short_number' });
    expect(r.obs.count('noMatch.reply')).toBe(1);
  });

  it('no match without a reply: dropped and counted', async () => {
    const r = rig({ noReply: true });
    await r.flow.accept(mkMo({ body: ascii('hello'), to: '9999' }));
    await r.flow.idle();
    expect(r.mts).toHaveLength(0);
    expect(r.obs.count('noMatch.drop')).toBe(1);
  });

  it('partner down then up: dead-lettered, listed, replayed once up, nothing lost and nothing twice', async () => {
    const r = rig();
    sim.setMode({ kind: 'fail' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const m = mkMo({ body: ascii(`joke ${i}`) });
      await r.flow.accept(m);
      ids.push(m.id);
    }
    await r.flow.idle();
    const dead = await r.flow.listDeadLetters({ limit: 100 });
    expect(dead.map((d) => d.moId)).toEqual(ids);
    expect(dead.every((d) => d.lastError === 'http_500' && d.attempts === 2)).toBe(true);
    expect(r.mts).toHaveLength(0);
    sim.setMode({ kind: 'sync', format: 'json' });
    expect(await r.flow.replayAll('acme')).toBe(5);
    await r.flow.idle();
    expect(r.mts.map((m) => m.body.toString()).sort()).toEqual(ids.map((_, i) => `Re: joke ${i}`).sort());
    expect(await r.flow.listDeadLetters({ limit: 100 })).toEqual([]);
    expect(ids.every((id) => r.store.rows.get(id)!.state === 'delivered')).toBe(true);
    expect(await r.flow.replay(ids[0]!)).toBe(false);
  });

  it('dead letters are redriven automatically on the redrive interval', async () => {
    const clock = new FakeClock();
    const r = rig({ clock, redriveIntervalMs: 30_000 });
    await r.flow.start();
    sim.setMode({ kind: 'fail' });
    const m = mkMo({ body: ascii('joke x') });
    await r.flow.accept(m);
    await r.flow.idle();
    expect(r.obs.count('dead')).toBe(1);
    sim.setMode({ kind: 'sync', format: 'text' });
    clock.advance(30_000);
    // The redrive lists the dead letters asynchronously; wait until the replay has run.
    for (let i = 0; i < 200 && r.mts.length === 0; i++) await new Promise((res) => setTimeout(res, 5));
    await r.flow.idle();
    expect(r.mts.map((x) => x.body.toString())).toEqual(['Re: joke x']);
  });

  it('SMPP pass-through: queued while the partner is not bound, delivered on bind, too old expires', async () => {
    const clock = new FakeClock();
    const r = rig({ clock });
    const old = mkMo({ body: ascii('old'), to: '7777', createdAt: clock.now() });
    await r.flow.accept(old);
    clock.advance(3_600_001);
    const fresh = mkMo({ body: ascii('hi there'), to: '7777', createdAt: clock.now() });
    await r.flow.accept(fresh);
    await r.flow.idle();
    expect(r.smppGot).toHaveLength(0);
    expect(r.obs.count('handled.queued')).toBe(2);
    r.smppBound.add('esme');
    await r.flow.partnerBound('esme');
    await r.flow.idle();
    expect(r.smppGot.map((m) => m.text)).toEqual(['hi there']);
    expect(r.store.rows.get(old.id)!.state).toBe('expired');
    expect(r.store.rows.get(fresh.id)!.state).toBe('delivered');
    expect(r.obs.count('expired')).toBe(1);
  });

  it('a store failure rejects accept (the link answers a temporary error)', async () => {
    const store = new FakeMessageStore();
    const r = rig({ store });
    store.failInserts = true;
    await expect(r.flow.accept(mkMo({ body: ascii('joke') }))).rejects.toThrow();
    expect(sim.received).toHaveLength(0);
  });
});
