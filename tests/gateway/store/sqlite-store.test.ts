import Database from 'better-sqlite3';
import { StoreError } from '../../../gateway/store/store-error';
import type { OwedReceipt, StoreStats, StoredReceipt } from '../../../routing/ports';
import type { SqliteMessageStore } from '../../../gateway/store/sqlite/sqlite-store';
import { StoreFixture, T0, longMessage, mtMessage } from './helpers';

/** stats() once its background read of the oldest unfinished age (started by a first call) has come back. */
async function settledStats(store: SqliteMessageStore): Promise<StoreStats> {
  store.stats();
  await store.get('1');
  return store.stats();
}

// Every case runs twice: on the test's own thread, and through the store's worker thread (the daemon's default).
describe.each([
  ['main thread', false],
  ['worker thread', true],
])('SqliteMessageStore (%s)', (_where, worker) => {
  let fx: StoreFixture;
  beforeEach(() => {
    fx = new StoreFixture(worker);
  });
  afterEach(async () => {
    await fx.cleanup();
  });

  it('round-trips a single-part message', async () => {
    const store = fx.open();
    const m = mtMessage(store.nextId());
    await store.insert(m);
    expect(await store.get(m.id)).toEqual(m);
  });

  it('round-trips every field of a multi-part message, parts and Buffers included', async () => {
    const store = fx.open();
    const m = longMessage(store.nextId());
    await store.insert(m);
    const got = await store.get(m.id);
    expect(got).toEqual(m);
    expect(Buffer.isBuffer(got!.parts[1]!.body)).toBe(true);
  });

  it('round-trips a message without parts and an MO message', async () => {
    const store = fx.open();
    const a = mtMessage(store.nextId(), { parts: [], direction: 'mo', connectorId: 'opA' });
    await store.insert(a);
    expect(await store.get(a.id)).toEqual(a);
  });

  it('returns undefined for an unknown id', async () => {
    const store = fx.open();
    expect(await store.get('12345')).toBeUndefined();
  });

  it('resolves a write only once a second connection can read it (durable)', async () => {
    const store = fx.open();
    const m = mtMessage(store.nextId());
    const other = new Database(fx.path, { readonly: true });
    try {
      const q = other.prepare('SELECT count(*) FROM messages WHERE id = ?').pluck();
      const p = store.insert(m);
      // Queued, not committed: nobody else can see it yet.
      expect(q.get(Number(m.id))).toBe(0);
      await p;
      expect(q.get(Number(m.id))).toBe(1);
    } finally {
      other.close();
    }
  });

  it('commits every call made in one turn in one transaction', async () => {
    const store = fx.open();
    const before = store.commitStats().transactions;
    const ids = Array.from({ length: 50 }, () => store.nextId());
    const ps = ids.map((id) => store.insert(mtMessage(id)));
    ps.push(store.update(ids[0]!, { state: 'routed', connectorId: 'sim' }));
    ps.push(store.updatePart(ids[1]!, 1, { state: 'submitted', smscMessageId: 'ab' }));
    expect(store.stats().queueDepth).toBe(52);
    await Promise.all(ps);
    expect(store.commitStats().transactions - before).toBe(1);
    expect(store.stats().queueDepth).toBe(0);
    const got = await store.get(ids[0]!);
    expect(got).toMatchObject({ state: 'routed', connectorId: 'sim' });
  });

  it('flushes at once when a batch reaches groupCommitMaxBatch', async () => {
    const store = fx.open({ groupCommitMaxBatch: 10 });
    const ps = Array.from({ length: 25 }, () => store.insert(mtMessage(store.nextId())));
    if (worker) {
      // Two full batches posted to the worker at once, five ops left for the end of the turn; the worker may
      // commit batches that wait for it together.
      expect(store.pendingOps).toBe(5);
      expect(store.stats().queueDepth).toBe(25);
      await Promise.all(ps);
      expect(store.commitStats().ops).toBe(25);
      expect(store.commitStats().transactions).toBeLessThanOrEqual(3);
    } else {
      // Two full batches committed synchronously, five ops left for the end of the turn.
      expect(store.commitStats().transactions).toBe(2);
      expect(store.pendingOps).toBe(5);
      expect(store.stats().queueDepth).toBe(5);
      await Promise.all(ps);
      expect(store.commitStats().transactions).toBe(3);
    }
    expect(store.stats().queueDepth).toBe(0);
  });

  it('waits groupCommitMaxDelayMs when it is set, then commits', async () => {
    const store = fx.open({ groupCommitMaxDelayMs: 5 });
    await Promise.all([store.insert(mtMessage(store.nextId())), store.insert(mtMessage(store.nextId()))]);
    expect(store.commitStats()).toMatchObject({ transactions: 1, ops: 2 });
  });

  it('reads see writes queued before them', async () => {
    const store = fx.open();
    const id = store.nextId();
    void store.insert(mtMessage(id));
    void store.update(id, { state: 'routed' });
    const got = await store.get(id);
    expect(got?.state).toBe('routed');
  });

  it('hands out increasing ids that stay above every stored id after a restart', async () => {
    let store = fx.open();
    const ids = [store.nextId(), store.nextId(), store.nextId()];
    expect(ids.map(Number)).toEqual([1, 2, 3]);
    await store.insert(mtMessage(ids[0]!));
    await store.insert(mtMessage(ids[2]!));
    await store.close();
    store = fx.open();
    expect(Number(store.nextId())).toBe(4);
  });

  it('keeps ids monotonic after the newest messages are purged', async () => {
    let store = fx.open();
    const id = store.nextId();
    await store.insert(mtMessage(id, { state: 'delivered', updatedAt: T0 }));
    expect(await store.purgeFinished(T0 + 1)).toBe(1);
    await store.close();
    store = fx.open();
    expect(Number(store.nextId())).toBeGreaterThan(Number(id));
  });

  it('applies a patch to top-level fields and clears optional ones set to undefined', async () => {
    const store = fx.open();
    const m = longMessage(store.nextId());
    await store.insert(m);
    fx.now = T0 + 99;
    await store.update(m.id, {
      state: 'routed',
      attempts: 3,
      nextAttemptAt: undefined,
      lastError: undefined,
      possibleDuplicate: false,
      destination: { addr: '999', ton: 2, npi: 3 },
      concat: undefined,
      extras: {},
    });
    const got = await store.get(m.id);
    const { nextAttemptAt: _n, lastError: _l, concat: _c, extras: _e, ...rest } = m;
    expect(got).toEqual({
      ...rest,
      state: 'routed',
      attempts: 3,
      possibleDuplicate: false,
      destination: { addr: '999', ton: 2, npi: 3 },
      updatedAt: T0 + 99,
    });
  });

  it('updates parts and finds them by normalised SMSC id, single- and multi-part', async () => {
    const store = fx.open();
    const a = mtMessage(store.nextId(), { connectorId: 'sim' });
    const b = longMessage(store.nextId());
    await Promise.all([store.insert(a), store.insert(b)]);
    await store.updatePart(a.id, 1, { state: 'submitted', smscMessageId: '5F3A9C01' });
    await store.updatePart(b.id, 2, { state: 'submitted', smscMessageId: '000123', connectorId: 'other' });
    expect(await store.findBySmscId('sim', '1597676545')).toEqual({ id: a.id, seq: 1 });
    expect(await store.findBySmscId('sim', '5f3a9c01')).toEqual({ id: a.id, seq: 1 });
    expect(await store.findBySmscId('other', '123')).toEqual({ id: b.id, seq: 2 });
    // Part 1 of b was inserted with its SMSC id under b's connector.
    expect(await store.findBySmscId('sim', '0a1b')).toEqual({ id: b.id, seq: 1 });
    expect(await store.findBySmscId('other', '1597676545')).toBeUndefined();
    expect(await store.findBySmscId('sim', '123')).toBeUndefined();
    const got = await store.get(a.id);
    expect(got!.parts[0]).toMatchObject({ state: 'submitted', smscMessageId: '5F3A9C01' });
    await store.updatePart(b.id, 1, { state: 'delivered' });
    expect((await store.get(b.id))!.parts.map((p) => p.state)).toEqual(['delivered', 'submitted']);
  });

  it('prefers the newest message when an SMSC id is reused', async () => {
    const store = fx.open();
    const a = mtMessage(store.nextId(), { connectorId: 'sim' });
    const b = mtMessage(store.nextId(), { connectorId: 'sim' });
    await Promise.all([store.insert(a), store.insert(b)]);
    await store.updatePart(a.id, 1, { smscMessageId: '77' });
    await store.updatePart(b.id, 1, { smscMessageId: '77' });
    expect(await store.findBySmscId('sim', '77')).toEqual({ id: b.id, seq: 1 });
  });

  it('unfinished() returns only non-final messages of the direction, oldest first, paged by afterId', async () => {
    const store = fx.open();
    const states = ['accepted', 'delivered', 'routed', 'rejected', 'submitted', 'expired', 'undeliverable'] as const;
    const ms = states.map((state) => mtMessage(store.nextId(), { state }));
    const mo = mtMessage(store.nextId(), { direction: 'mo', state: 'accepted' });
    await Promise.all([...ms, mo].map((m) => store.insert(m)));
    const all = await store.unfinished('mt', 100);
    expect(all.map((m) => m.state)).toEqual(['accepted', 'routed', 'submitted']);
    expect(all[0]).toEqual(ms[0]);
    const page1 = await store.unfinished('mt', 2);
    const page2 = await store.unfinished('mt', 2, page1[1]!.id);
    expect([...page1, ...page2].map((m) => m.id)).toEqual(all.map((m) => m.id));
    expect((await store.unfinished('mo', 10)).map((m) => m.id)).toEqual([mo.id]);
    expect(store.stats().unfinished).toBe(4);
  });

  it('keeps the unfinished count and oldest age from transitions and across restarts', async () => {
    let store = fx.open();
    const a = mtMessage(store.nextId(), { createdAt: T0 - 5000 });
    const b = mtMessage(store.nextId(), { createdAt: T0 - 1000 });
    await Promise.all([store.insert(a), store.insert(b)]);
    expect(await settledStats(store)).toEqual({ queueDepth: 0, unfinished: 2, oldestUnfinishedAt: T0 - 5000 });
    await store.update(a.id, { state: 'undeliverable' });
    await store.update(a.id, { state: 'undeliverable' });
    // Within the cache's second the age is the one read before; past it, the next stats() refreshes it.
    expect(await settledStats(store)).toEqual({ queueDepth: 0, unfinished: 1, oldestUnfinishedAt: T0 - 5000 });
    fx.now += 2000;
    expect(await settledStats(store)).toEqual({ queueDepth: 0, unfinished: 1, oldestUnfinishedAt: T0 - 1000 });
    await store.close();
    store = fx.open();
    expect(store.stats().unfinished).toBe(1);
    await store.update(b.id, { state: 'routed' });
    expect(store.stats().unfinished).toBe(1);
    await store.update(b.id, { state: 'delivered' });
    expect(store.stats()).toEqual({ queueDepth: 0, unfinished: 0 });
  });

  const receipt = (messageId: string, partSeq: number, outcome: string, final = true): StoredReceipt => ({
    messageId,
    partSeq,
    outcome,
    final,
    receivedAt: T0 + 10,
    doneAt: T0 + 9,
    errorCode: outcome === 'delivered' ? undefined : '011',
  });
  // Owed receipts are read back from the message row: partner, reference, addresses and submit time are the message's.
  const owedFor = (m: { id: string; source: OwedReceipt['source']; destination: OwedReceipt['destination']; partnerRef?: string; createdAt: number }, partSeq?: number): OwedReceipt => ({
    messageId: m.id,
    partnerId: 'p1',
    ...(m.partnerRef === undefined ? {} : { partnerRef: m.partnerRef }),
    source: m.source,
    destination: m.destination,
    outcome: 'delivered',
    submittedAt: m.createdAt,
    doneAt: T0 + 9,
    ...(partSeq === undefined ? {} : { partSeq }),
  });

  it('recordReceipt finishes a single-part message and owes the partner a receipt until forwarded', async () => {
    const store = fx.open();
    const m = mtMessage(store.nextId(), { state: 'submitted', connectorId: 'sim', partnerId: 'p1' });
    await store.insert(m);
    fx.now = T0 + 50;
    await store.recordReceipt(receipt(m.id, 1, 'buffered', false), undefined);
    expect((await store.get(m.id))!.state).toBe('submitted');
    await store.recordReceipt(receipt(m.id, 1, 'delivered'), owedFor(m));
    const got = await store.get(m.id);
    expect(got).toMatchObject({ state: 'delivered', receiptOwed: true, updatedAt: T0 + 50 });
    expect(got!.parts[0]!.state).toBe('delivered');
    expect(store.stats().unfinished).toBe(0);
    expect(await store.owedReceipts('p1', 10)).toEqual([owedFor(m)]);
    expect(await store.owedReceipts('p2', 10)).toEqual([]);
    await store.receiptForwarded(m.id);
    expect(await store.owedReceipts('p1', 10)).toEqual([]);
    expect((await store.get(m.id))!.receiptOwed).toBe(false);
  });

  it('a multi-part message is final when every part is; per-part receipts are owed and forwarded one by one', async () => {
    const store = fx.open();
    const m = longMessage(store.nextId());
    await store.insert(m);
    await store.updatePart(m.id, 2, { state: 'submitted', smscMessageId: '0a1c' });
    await store.recordReceipt(receipt(m.id, 1, 'delivered'), owedFor(m, 1));
    expect((await store.get(m.id))!.state).toBe('submitted');
    expect(store.stats().unfinished).toBe(1);
    await store.recordReceipt(receipt(m.id, 2, 'undeliverable'), owedFor(m, 2));
    const got = await store.get(m.id);
    expect(got!.state).toBe('undeliverable');
    expect(got!.parts.map((p) => p.state)).toEqual(['delivered', 'undeliverable']);
    expect(store.stats().unfinished).toBe(0);
    expect((await store.owedReceipts('p1', 10)).map((o) => o.partSeq)).toEqual([1, 2]);
    await store.receiptForwarded(m.id, 1);
    expect((await store.get(m.id))!.receiptOwed).toBe(true);
    expect((await store.owedReceipts('p1', 10)).map((o) => o.partSeq)).toEqual([2]);
    await store.receiptForwarded(m.id, 2);
    expect((await store.get(m.id))!.receiptOwed).toBe(false);
  });

  it('a second final receipt does not finish a message twice', async () => {
    const store = fx.open();
    const m = mtMessage(store.nextId(), { state: 'submitted' });
    await store.insert(m);
    await store.recordReceipt(receipt(m.id, 1, 'delivered'), undefined);
    await store.recordReceipt(receipt(m.id, 1, 'expired'), undefined);
    expect((await store.get(m.id))!.state).toBe('delivered');
    expect(store.stats().unfinished).toBe(0);
  });

  it('a receipt for an unknown (purged) message changes nothing and owes nothing', async () => {
    const store = fx.open();
    await store.recordReceipt(receipt('999', 1, 'delivered'), owedFor(mtMessage('999')));
    expect(await store.owedReceipts('p1', 10)).toEqual([]);
    expect(store.stats().unfinished).toBe(0);
  });

  it('lists owed receipts oldest first, bounded by limit', async () => {
    const store = fx.open();
    const ms = [1, 2, 3].map(() => mtMessage(store.nextId(), { state: 'submitted', partnerId: 'p1' }));
    await Promise.all(ms.map((m) => store.insert(m)));
    for (const m of [...ms].reverse()) await store.recordReceipt(receipt(m.id, 1, 'delivered'), owedFor(m));
    expect((await store.owedReceipts('p1', 2)).map((o) => o.messageId)).toEqual([ms[0]!.id, ms[1]!.id]);
  });

  it('purgeFinished deletes final messages older than the cutoff with their parts and owed receipts', async () => {
    const store = fx.open();
    const oldDone = longMessage(store.nextId());
    const oldOpen = mtMessage(store.nextId(), { createdAt: T0 - 10, updatedAt: T0 - 10 });
    const recentDone = mtMessage(store.nextId(), { createdAt: T0 - 10, updatedAt: T0 - 10, state: 'submitted' });
    const newer = mtMessage(store.nextId(), { createdAt: T0 + 1000, updatedAt: T0 + 1000, state: 'delivered' });
    oldDone.createdAt = T0 - 20;
    await Promise.all([oldDone, oldOpen, recentDone, newer].map((m) => store.insert(m)));
    fx.now = T0 - 5;
    await store.update(oldDone.id, { state: 'expired' });
    await store.recordReceipt(receipt(oldDone.id, 1, 'delivered'), owedFor(oldDone, 1));
    fx.now = T0 + 500;
    await store.recordReceipt(receipt(recentDone.id, 1, 'delivered'), undefined);
    expect(await store.purgeFinished(T0)).toBe(1);
    expect(await store.get(oldDone.id)).toBeUndefined();
    expect(await store.owedReceipts('p1', 10)).toEqual([]);
    expect(await store.get(oldOpen.id)).toBeDefined();
    expect(await store.get(recentDone.id)).toBeDefined();
    expect(await store.get(newer.id)).toBeDefined();
    const db = new Database(fx.path, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM message_parts WHERE message_id = ?').pluck().get(Number(oldDone.id))).toBe(0);
    } finally {
      db.close();
    }
  });

  it('purgeFinished works through more messages than one chunk', async () => {
    const store = fx.open();
    const n = 4500;
    const ps: Promise<void>[] = [];
    for (let i = 0; i < n; i++) ps.push(store.insert(mtMessage(store.nextId(), { state: 'delivered', createdAt: T0 - 100, updatedAt: T0 - 100 })));
    await Promise.all(ps);
    expect(await store.purgeFinished(T0)).toBe(n);
    expect(await store.unfinished('mt', 10)).toEqual([]);
  });

  it('rejects every promise of a failed batch with a StoreError and keeps the rest of the store usable', async () => {
    const store = fx.open();
    const id = store.nextId();
    await store.insert(mtMessage(id));
    const dup = store.insert(mtMessage(id)); // primary key violation fails the batch
    const other = store.insert(mtMessage(store.nextId()));
    const read = store.get(id);
    await expect(dup).rejects.toBeInstanceOf(StoreError);
    await expect(other).rejects.toMatchObject({ code: 'STORE' });
    if (worker) {
      // Inserts travel in the worker's first lane, a batch apart from the read, which the failure leaves alone.
      await expect(read).resolves.toMatchObject({ id });
    } else await expect(read).rejects.toBeInstanceOf(StoreError);
    expect(store.commitStats().failures).toBe(1);
    expect(store.stats().unfinished).toBe(1);
    const next = mtMessage(store.nextId());
    await store.insert(next);
    expect(await store.get(next.id)).toEqual(next);
  });

  it('rejects calls after close with a StoreError, and close flushes what was queued', async () => {
    const store = fx.open();
    const m = mtMessage(store.nextId());
    const p = store.insert(m);
    await store.close();
    await p;
    await expect(store.insert(mtMessage(store.nextId()))).rejects.toBeInstanceOf(StoreError);
    await expect(store.get(m.id)).rejects.toMatchObject({ code: 'STORE' });
    const again = fx.open();
    expect(await again.get(m.id)).toEqual(m);
  });

  it('rejects ids it did not make without failing the batch they would have joined', async () => {
    const store = fx.open();
    const good = mtMessage(store.nextId());
    const ok = store.insert(good);
    await expect(store.insert(mtMessage('abc'))).rejects.toBeInstanceOf(StoreError);
    await expect(store.update('01', { state: 'routed' })).rejects.toBeInstanceOf(StoreError);
    await expect(store.updatePart('-1', 1, { state: 'routed' })).rejects.toBeInstanceOf(StoreError);
    await expect(store.receiptForwarded('1.5')).rejects.toBeInstanceOf(StoreError);
    await expect(store.unfinished('mt', 1, 'x')).rejects.toBeInstanceOf(StoreError);
    expect(await store.get('abc')).toBeUndefined();
    await ok;
    expect(store.commitStats().failures).toBe(0);
  });

  it('treats undefined in a patch as "unchanged" for required fields and "cleared" for optional ones', async () => {
    const store = fx.open();
    const m = longMessage(store.nextId());
    await store.insert(m);
    await store.update(m.id, { state: undefined, attempts: undefined, updatedAt: undefined, routeId: undefined });
    const got = await store.get(m.id);
    expect(got).toMatchObject({ state: m.state, attempts: m.attempts });
    expect(got!.routeId).toBeUndefined();
    expect(store.commitStats().failures).toBe(0);
  });

  it('runs in WAL mode; FULL resolves writes after an fsync of the WAL, NORMAL at commit', async () => {
    const full = fx.open();
    await Promise.all([full.insert(mtMessage(full.nextId())), full.insert(mtMessage(full.nextId()))]);
    const other = new Database(fx.path, { readonly: true });
    try {
      expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      other.close();
    }
    expect(full.commitStats()).toMatchObject({ transactions: 1, syncs: 1 });
    await full.close();
    const normal = fx.open({ synchronous: 'NORMAL' });
    await normal.insert(mtMessage(normal.nextId()));
    expect(normal.commitStats()).toMatchObject({ transactions: 1, syncs: 0 });
  });

});
