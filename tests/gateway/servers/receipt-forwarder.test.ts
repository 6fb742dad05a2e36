import { nullObserver } from '../../../gateway/binders/observer';
import { ReceiptForwarder } from '../../../gateway/servers/receipt-forwarder';
import type { ReceiptSink } from '../../../gateway/servers/receipt-forwarder';
import { SqliteMessageStore } from '../../../gateway/store/sqlite/sqlite-store';
import type { DeliverSm } from '../../../protocols/smpp/pdu';
import { FakeClock } from '../../../protocols/wire/clock';
import type { OwedReceipt } from '../../../routing/ports';
import { testMessage } from '../binders/fake-link';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
async function settle(): Promise<void> {
  for (let i = 0; i < 6; i++) await turn();
}

class Sink implements ReceiptSink {
  readonly sent: DeliverSm[] = [];
  private pending: Array<() => void> = [];
  constructor(
    private readonly window: number,
    private readonly auto = true,
  ) {}
  get canSend(): boolean {
    return this.pending.length < this.window;
  }
  send(pdu: DeliverSm): Promise<unknown> {
    this.sent.push(pdu);
    if (this.auto) return Promise.resolve();
    return new Promise((r) => this.pending.push(() => r(undefined)));
  }
  answerAll(): void {
    const p = this.pending;
    this.pending = [];
    for (const f of p) f();
  }
}

async function setup(n: number) {
  const clock = new FakeClock(Date.now());
  const store = new SqliteMessageStore({ path: ':memory:', synchronous: 'NORMAL', groupCommitMaxDelayMs: 0, groupCommitMaxBatch: 100, clock });
  const owed: OwedReceipt[] = [];
  for (let i = 0; i < n; i++) {
    const m = testMessage(store.nextId(), clock.now());
    await store.insert(m);
    const o: OwedReceipt = { messageId: m.id, partnerId: 'p', source: m.source, destination: m.destination, outcome: 'delivered', submittedAt: clock.now(), doneAt: clock.now() };
    await store.recordReceipt({ messageId: m.id, partSeq: 1, outcome: 'delivered', final: true, receivedAt: clock.now() }, o);
    owed.push(o);
  }
  const sinks: Sink[] = [];
  const forwarder = new ReceiptForwarder({
    store,
    clock,
    obs: nullObserver,
    sinksFor: () => sinks,
    maxAgeMs: () => 3_600_000,
    pendingMax: 100,
    sweepBatch: 100,
  });
  return { clock, store, owed, sinks, forwarder };
}

describe('ReceiptForwarder', () => {
  it('keeps receipts owed while the partner has no bind, sends them on the sweep, and clears them once answered', async () => {
    const t = await setup(3);
    for (const o of t.owed) t.forwarder.offer(o);
    await t.forwarder.sweep('p');
    expect(await t.store.owedReceipts('p', 10)).toHaveLength(3);
    const sink = new Sink(10);
    t.sinks.push(sink);
    await t.forwarder.sweep('p');
    await settle();
    expect(sink.sent).toHaveLength(3);
    expect(await t.store.owedReceipts('p', 10)).toHaveLength(0);
    await t.store.close();
  });

  it('never sends a receipt twice when a sweep overlaps live forwarding', async () => {
    const t = await setup(20);
    const sink = new Sink(5, false);
    t.sinks.push(sink);
    for (const o of t.owed) t.forwarder.offer(o);
    expect(sink.sent).toHaveLength(5); // window of 5
    const sweeping = t.forwarder.sweep('p');
    for (let i = 0; i < 10; i++) {
      sink.answerAll();
      await settle();
    }
    await sweeping;
    for (let i = 0; i < 10; i++) {
      sink.answerAll();
      await settle();
      await t.forwarder.sweep('p');
    }
    const ids = sink.sent.map((p) => p.tlvs?.[0]?.value.toString('latin1'));
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    expect(await t.store.owedReceipts('p', 100)).toHaveLength(0);
    await t.store.close();
  });

  it('drops receipts older than the age limit instead of sending them', async () => {
    const t = await setup(2);
    t.clock.advance(2 * 3_600_000);
    const sink = new Sink(10);
    t.sinks.push(sink);
    await t.forwarder.sweep('p');
    await settle();
    expect(sink.sent).toHaveLength(0);
    expect(t.forwarder.expired).toBe(2);
    expect(await t.store.owedReceipts('p', 10)).toHaveLength(0);
    await t.store.close();
  });

  describe('forwardFirst (the partner gets a receipt before the store has it)', () => {
    /** A message stored and its receipt not: what the correlator has when a receipt comes in. */
    async function fresh() {
      const clock = new FakeClock(Date.now());
      const store = new SqliteMessageStore({ path: ':memory:', synchronous: 'NORMAL', groupCommitMaxDelayMs: 0, groupCommitMaxBatch: 100, clock });
      const m = testMessage(store.nextId(), clock.now());
      await store.insert(m);
      const o: OwedReceipt = { messageId: m.id, partnerId: 'p', source: m.source, destination: m.destination, outcome: 'delivered', submittedAt: clock.now(), doneAt: clock.now() };
      const sinks: ReceiptSink[] = [];
      const forwarder = new ReceiptForwarder({ store, clock, obs: nullObserver, sinksFor: () => sinks, maxAgeMs: () => 3_600_000, pendingMax: 100, sweepBatch: 100, firstWaitMs: 20 });
      const storeReceipt = (owed: OwedReceipt | undefined): Promise<void> =>
        store.recordReceipt({ messageId: m.id, partSeq: 1, outcome: 'delivered', final: true, receivedAt: clock.now() }, owed);
      return { clock, store, o, sinks, forwarder, storeReceipt };
    }

    it('answered in time: true, nothing owed and nothing written by the forwarder', async () => {
      const t = await fresh();
      const sink = new Sink(10);
      t.sinks.push(sink);
      const ops0 = t.store.commitStats().ops;
      expect(await t.forwarder.forwardFirst(t.o)).toBe(true);
      expect(sink.sent).toHaveLength(1);
      expect(t.forwarder.inFlight).toBe(0);
      await settle();
      expect(t.store.commitStats().ops).toBe(ops0);
      await t.storeReceipt(undefined);
      expect(await t.store.owedReceipts('p', 10)).toEqual([]);
      await t.store.close();
    });

    it('no answer in time: false, stored as owed, not sent twice, cleared when the answer comes', async () => {
      const t = await fresh();
      const sink = new Sink(10, false);
      t.sinks.push(sink);
      let taken: boolean | undefined;
      void t.forwarder.forwardFirst(t.o).then((v) => (taken = v));
      await settle();
      expect(taken).toBeUndefined();
      t.clock.advance(25);
      await settle();
      expect(taken).toBe(false);
      await t.storeReceipt(t.o);
      t.forwarder.offer(t.o); // what the correlator does once it is stored
      expect(sink.sent).toHaveLength(1);
      expect(await t.store.owedReceipts('p', 10)).toHaveLength(1);
      sink.answerAll();
      await settle();
      expect(await t.store.owedReceipts('p', 10)).toEqual([]);
      expect(t.forwarder.inFlight).toBe(0);
      await t.store.close();
    });

    it('cannot go now: false at once (not bound, window full, an HTTP sink)', async () => {
      const t = await fresh();
      expect(await t.forwarder.forwardFirst(t.o)).toBe(false);
      const full = new Sink(0);
      t.sinks.push(full);
      expect(await t.forwarder.forwardFirst(t.o)).toBe(false);
      t.sinks.length = 0;
      t.sinks.push({ canSend: true, send: () => Promise.resolve(), sendOwed: () => Promise.resolve() });
      expect(await t.forwarder.forwardFirst(t.o)).toBe(false);
      expect(full.sent).toHaveLength(0);
      await t.store.close();
    });

    it('a refused send: false, and an offer later sends it again', async () => {
      const t = await fresh();
      let fail = true;
      const sent: DeliverSm[] = [];
      t.sinks.push({ canSend: true, send: (pdu) => (sent.push(pdu), fail ? Promise.reject(new Error('nack')) : Promise.resolve()) });
      expect(await t.forwarder.forwardFirst(t.o)).toBe(false);
      await t.storeReceipt(t.o);
      fail = false;
      t.forwarder.offer(t.o);
      await settle();
      expect(sent).toHaveLength(2);
      expect(await t.store.owedReceipts('p', 10)).toEqual([]);
      await t.store.close();
    });

    it('stop() ends the waits: false', async () => {
      const t = await fresh();
      t.sinks.push(new Sink(10, false));
      const p = t.forwarder.forwardFirst(t.o);
      t.forwarder.stop();
      expect(await p).toBe(false);
      await t.store.close();
    });
  });
});
