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
});
