import type { RuntimeObserver } from '../../../gateway/binders/observer';
import { nullObserver } from '../../../gateway/binders/observer';
import { ReceiptCorrelator } from '../../../gateway/dlr/receipt-correlator';
import { SqliteMessageStore } from '../../../gateway/store/sqlite/sqlite-store';
import type { Receipt } from '../../../protocols/session/receipt';
import { FakeClock } from '../../../protocols/wire/clock';
import type { OwedReceipt } from '../../../routing/ports';
import { testMessage } from '../binders/fake-link';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
async function settle(): Promise<void> {
  for (let i = 0; i < 6; i++) await turn();
}

function receipt(id: string, outcome: Receipt['outcome'] = 'delivered'): Receipt {
  return { smscMessageId: id, outcome, final: outcome !== 'buffered' && outcome !== 'accepted' && outcome !== 'unknown' };
}

function setup(mode: 'perPart' | 'whole' = 'perPart') {
  const clock = new FakeClock(Date.now());
  const store = new SqliteMessageStore({ path: ':memory:', synchronous: 'NORMAL', groupCommitMaxDelayMs: 0, groupCommitMaxBatch: 100, clock });
  const forwarded: OwedReceipt[] = [];
  let unmatched = 0;
  const obs: RuntimeObserver = { ...nullObserver, unmatchedReceipt: () => unmatched++ };
  const correlator = new ReceiptCorrelator(
    { store, clock, obs, idFormat: () => 'auto', receiptMode: () => mode, forward: (o) => forwarded.push(o) },
    { earlyHoldMs: 1000, earlyMax: 10, indexMax: 100 },
  );
  return { clock, store, correlator, forwarded, unmatched: () => unmatched };
}

async function stored(store: SqliteMessageStore, parts = 1, registeredDelivery = 1) {
  const msg = testMessage(store.nextId(), Date.now(), parts);
  msg.registeredDelivery = registeredDelivery;
  await store.insert(msg);
  return msg;
}

describe('ReceiptCorrelator', () => {
  it.each([true, false])('with forwardFirst (taken: %s): the SMSC is acknowledged once stored, owed only if not taken', async (taken) => {
    const clock = new FakeClock(Date.now());
    const store = new SqliteMessageStore({ path: ':memory:', synchronous: 'NORMAL', groupCommitMaxDelayMs: 0, groupCommitMaxBatch: 100, clock });
    const first: OwedReceipt[] = [];
    const forwarded: OwedReceipt[] = [];
    let answer: (v: boolean) => void = () => undefined;
    const correlator = new ReceiptCorrelator(
      {
        store, clock, obs: nullObserver, idFormat: () => 'auto', receiptMode: () => 'perPart',
        forward: (o) => forwarded.push(o),
        forwardFirst: (o) => (first.push(o), new Promise<boolean>((r) => (answer = r))),
      },
      { earlyHoldMs: 1000, earlyMax: 10, indexMax: 100 },
    );
    const msg = await stored(store);
    correlator.onSubmitted('c', '77', msg, 1);
    const acks: boolean[] = [];
    correlator.onReceipt('c', receipt('77'), (ok) => acks.push(ok));
    await settle();
    // Sent to the partner, not stored yet, so the SMSC waits.
    expect(first.map((o) => o.messageId)).toEqual([msg.id]);
    expect(acks).toEqual([]);
    expect((await store.get(msg.id))?.state).not.toBe('delivered');
    answer(taken);
    await settle();
    expect(acks).toEqual([true]);
    expect((await store.get(msg.id))?.state).toBe('delivered');
    expect(await store.owedReceipts('p', 10)).toHaveLength(taken ? 0 : 1);
    expect(forwarded).toHaveLength(taken ? 0 : 1);
    await store.close();
  });

  it('matches a receipt to its submit through the in-memory index, stores it and owes the partner a receipt', async () => {
    const t = setup();
    const msg = await stored(t.store);
    t.correlator.onSubmitted('c', '5F3A9C01', msg, 1);
    const acks: boolean[] = [];
    // the SMSC writes the id in decimal in its receipt
    t.correlator.onReceipt('c', receipt('1597676545'), (ok) => acks.push(ok));
    await settle();
    expect(acks).toEqual([true]);
    expect(t.forwarded).toHaveLength(1);
    expect(t.forwarded[0]).toMatchObject({ messageId: msg.id, partnerId: 'p', outcome: 'delivered' });
    expect(t.forwarded[0]!.partSeq).toBeUndefined();
    expect((await t.store.get(msg.id))?.state).toBe('delivered');
    expect(await t.store.owedReceipts('p', 10)).toHaveLength(1);
    expect(t.correlator.index.size).toBe(0);
    await t.store.close();
  });

  it('parks a receipt that arrives before its submit_sm_resp and applies it when the id shows up', async () => {
    const t = setup();
    const msg = await stored(t.store);
    const acks: boolean[] = [];
    t.correlator.onReceipt('c', receipt('00ABC'), (ok) => acks.push(ok));
    await settle();
    expect(t.correlator.parked).toBe(1);
    expect(acks).toEqual([]);
    t.correlator.onSubmitted('c', 'abc', msg, 1);
    await settle();
    expect(acks).toEqual([true]);
    expect(t.correlator.parked).toBe(0);
    expect((await t.store.get(msg.id))?.state).toBe('delivered');
    await t.store.close();
  });

  it("falls back to the store with the connector's id format: a hex SMSC's all-digit id is found after a restart", async () => {
    const clock = new FakeClock(Date.now());
    const store = new SqliteMessageStore({
      path: ':memory:', synchronous: 'NORMAL', groupCommitMaxDelayMs: 0, groupCommitMaxBatch: 100, clock,
      smscIdFormat: (c) => (c === 'h' ? 'hex' : 'auto'),
    });
    const forwarded: OwedReceipt[] = [];
    const correlator = new ReceiptCorrelator(
      { store, clock, obs: nullObserver, idFormat: (c) => (c === 'h' ? 'hex' : 'auto'), receiptMode: () => 'perPart', forward: (o) => forwarded.push(o) },
      { earlyHoldMs: 1000, earlyMax: 10, indexMax: 100 },
    );
    const msg = await stored(store);
    // Written at submit_sm_resp before the restart; this correlator's index is empty.
    await store.updatePart(msg.id, 1, { state: 'submitted', smscMessageId: '123', connectorId: 'h' });
    const acks: boolean[] = [];
    correlator.onReceipt('h', receipt('0123'), (ok) => acks.push(ok));
    await settle();
    expect(acks).toEqual([true]);
    expect(correlator.parked).toBe(0);
    expect((await store.get(msg.id))?.state).toBe('delivered');
    expect(forwarded).toHaveLength(1);
    expect(await store.findBySmscId('h', '123')).toEqual({ id: msg.id, seq: 1 });
    expect(await store.findBySmscId('h', '291')).toBeUndefined(); // 0x291, another message
    await store.close();
  });

  it('falls back to the store when the index does not know the id (after a restart)', async () => {
    const t = setup();
    const msg = await stored(t.store);
    await t.store.updatePart(msg.id, 1, { state: 'submitted', smscMessageId: '77', connectorId: 'c' });
    const acks: boolean[] = [];
    t.correlator.onReceipt('c', receipt('077', 'undeliverable'), (ok) => acks.push(ok));
    await settle();
    expect(acks).toEqual([true]);
    expect(t.forwarded[0]).toMatchObject({ messageId: msg.id, outcome: 'undeliverable' });
    expect((await t.store.get(msg.id))?.state).toBe('undeliverable');
    await t.store.close();
  });

  it('counts an unmatched receipt after the hold time and acknowledges it', async () => {
    const t = setup();
    const acks: boolean[] = [];
    t.correlator.onReceipt('c', receipt('dead'), (ok) => acks.push(ok));
    await settle();
    expect(acks).toEqual([]);
    t.clock.advance(1000);
    expect(acks).toEqual([true]);
    expect(t.unmatched()).toBe(1);
    expect(t.correlator.unmatched).toBe(1);
    await t.store.close();
  });

  it('ids are per connector: the same SMSC id on another connector does not match', async () => {
    const t = setup();
    const msg = await stored(t.store);
    t.correlator.onSubmitted('c1', '10', msg, 1);
    t.correlator.onReceipt('c2', receipt('10'), () => undefined);
    await settle();
    expect(t.correlator.parked).toBe(1);
    expect(t.forwarded).toHaveLength(0);
    await t.store.close();
  });

  it('honours registered_delivery: failure-only partners get no receipt for a delivered message', async () => {
    const t = setup();
    const ok = await stored(t.store, 1, 2);
    const bad = await stored(t.store, 1, 2);
    t.correlator.onSubmitted('c', '1', ok, 1);
    t.correlator.onSubmitted('c', '2', bad, 1);
    t.correlator.onReceipt('c', receipt('1', 'delivered'), () => undefined);
    t.correlator.onReceipt('c', receipt('2', 'expired'), () => undefined);
    await settle();
    expect(t.forwarded.map((f) => f.messageId)).toEqual([bad.id]);
    await t.store.close();
  });

  it('a non-final receipt is stored but owes nothing and keeps the index entry', async () => {
    const t = setup();
    const msg = await stored(t.store);
    t.correlator.onSubmitted('c', '9', msg, 1);
    t.correlator.onReceipt('c', receipt('9', 'buffered'), () => undefined);
    await settle();
    expect(t.forwarded).toHaveLength(0);
    expect(t.correlator.index.size).toBe(1);
    await t.store.close();
  });

  it('perPart: one receipt per part; whole: one receipt once every part is final, worst outcome', async () => {
    const per = setup('perPart');
    const m1 = await stored(per.store, 2);
    per.correlator.onSubmitted('c', 'a1', m1, 1);
    per.correlator.onSubmitted('c', 'a2', m1, 2);
    per.correlator.onReceipt('c', receipt('a1'), () => undefined);
    per.correlator.onReceipt('c', receipt('a2'), () => undefined);
    await settle();
    expect(per.forwarded.map((f) => f.partSeq)).toEqual([1, 2]);
    await per.store.close();

    const whole = setup('whole');
    const m2 = await stored(whole.store, 2);
    whole.correlator.onSubmitted('c', 'b1', m2, 1);
    whole.correlator.onSubmitted('c', 'b2', m2, 2);
    whole.correlator.onReceipt('c', receipt('b1', 'delivered'), () => undefined);
    await settle();
    expect(whole.forwarded).toHaveLength(0);
    whole.correlator.onReceipt('c', receipt('b2', 'undeliverable'), () => undefined);
    await settle();
    expect(whole.forwarded).toHaveLength(1);
    expect(whole.forwarded[0]).toMatchObject({ outcome: 'undeliverable' });
    expect(whole.forwarded[0]!.partSeq).toBeUndefined();
    await whole.store.close();
  });

  it('failPart records a negative final outcome and owes it to the partner', async () => {
    const t = setup();
    const msg = await stored(t.store);
    t.correlator.failPart(msg, 1, 'rejected', 'ESME_RINVDSTADR');
    await settle();
    expect(t.forwarded[0]).toMatchObject({ messageId: msg.id, outcome: 'rejected', errorCode: 'ESME_RINVDSTADR' });
    expect((await t.store.get(msg.id))?.state).toBe('rejected');
    await t.store.close();
  });
});
