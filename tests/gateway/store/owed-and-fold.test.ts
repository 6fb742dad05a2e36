import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { OwedReceipt, StoredReceipt } from '../../../routing/ports';
import { StoreFixture, T0, longMessage, mtMessage } from './helpers';

const receipt = (messageId: string, partSeq: number, outcome = 'delivered', final = true): StoredReceipt => ({
  messageId,
  partSeq,
  outcome,
  final,
  receivedAt: T0 + 10,
  doneAt: T0 + 9,
});

const owed = (m: { id: string; source: OwedReceipt['source']; destination: OwedReceipt['destination']; createdAt: number; partnerRef?: string }, partSeq?: number, outcome = 'delivered'): OwedReceipt => ({
  messageId: m.id,
  partnerId: 'p1',
  ...(m.partnerRef === undefined ? {} : { partnerRef: m.partnerRef }),
  source: m.source,
  destination: m.destination,
  outcome,
  submittedAt: m.createdAt,
  doneAt: T0 + 9,
  ...(partSeq === undefined ? {} : { partSeq }),
});

describe.each([
  ['main thread', false],
  ['worker thread', true],
])('SqliteMessageStore: SMSC id writes folded into the receipt of the same batch (%s)', (_where, worker) => {
  let fx: StoreFixture;
  beforeEach(() => {
    fx = new StoreFixture(worker);
  });
  afterEach(async () => {
    await fx.cleanup();
  });

  it('an SMSC id and the receipt queued in one turn end in one row write, both applied', async () => {
    const store = fx.open();
    const m = mtMessage(store.nextId(), { state: 'routed', connectorId: 'a', partnerId: 'p1' });
    await store.insert(m);
    const ops0 = store.commitStats().ops;
    await Promise.all([
      store.updatePart(m.id, 1, { state: 'submitted', smscMessageId: '0A1B', connectorId: 'b' }),
      store.recordReceipt(receipt(m.id, 1), owed(m)),
    ]);
    expect(store.commitStats().ops - ops0).toBe(2);
    expect(store.foldedSmscWrites).toBe(1);
    const got = await store.get(m.id);
    expect(got).toMatchObject({ state: 'delivered', receiptOwed: true });
    expect(got!.parts[0]).toMatchObject({ state: 'delivered', smscMessageId: '0A1B' });
    // Indexed under the connector that took the submit, with the id normalised.
    expect(await store.findBySmscId('b', '0a1b')).toEqual({ id: m.id, seq: 1 });
    expect(await store.findBySmscId('a', '0a1b')).toBeUndefined();
    expect(store.stats().unfinished).toBe(0);
    expect(await store.owedReceipts('p1', 10)).toEqual([owed(m)]);
  });

  it('an interim receipt folds the SMSC id too and leaves the part submitted', async () => {
    const store = fx.open();
    const m = mtMessage(store.nextId(), { state: 'routed', partnerId: 'p1' });
    await store.insert(m);
    await Promise.all([
      store.updatePart(m.id, 1, { state: 'submitted', smscMessageId: '77' }),
      store.recordReceipt(receipt(m.id, 1, 'buffered', false), undefined),
    ]);
    const got = await store.get(m.id);
    expect(got!.state).toBe('routed');
    expect(got!.parts[0]).toMatchObject({ state: 'submitted', smscMessageId: '77' });
    expect(store.foldedSmscWrites).toBe(1);
    expect(store.stats().unfinished).toBe(1);
  });

  it('a read queued between the two stops the fold, so the read sees the SMSC id', async () => {
    const store = fx.open();
    const m = mtMessage(store.nextId(), { state: 'routed', connectorId: 'a' });
    await store.insert(m);
    const w1 = store.updatePart(m.id, 1, { state: 'submitted', smscMessageId: '42' });
    const read = store.findBySmscId('a', '42');
    const w2 = store.recordReceipt(receipt(m.id, 1), undefined);
    await Promise.all([w1, w2]);
    expect(await read).toEqual({ id: m.id, seq: 1 });
    expect(store.foldedSmscWrites).toBe(0);
    expect((await store.get(m.id))!.parts[0]).toMatchObject({ state: 'delivered', smscMessageId: '42' });
  });

  it('writes queued in different batches are not folded', async () => {
    const store = fx.open();
    const m = mtMessage(store.nextId(), { state: 'routed', connectorId: 'a' });
    await store.insert(m);
    const w1 = store.updatePart(m.id, 1, { state: 'submitted', smscMessageId: '43' });
    store.flush();
    await Promise.all([w1, store.recordReceipt(receipt(m.id, 1), undefined)]);
    expect(store.foldedSmscWrites).toBe(0);
    expect((await store.get(m.id))!.parts[0]).toMatchObject({ state: 'delivered', smscMessageId: '43' });
    expect(await store.findBySmscId('a', '43')).toEqual({ id: m.id, seq: 1 });
  });

  it('two messages of one batch in the same slot both fold; an older batch in the slot does not', async () => {
    const store = fx.open();
    // 8192 apart: the same slot of the queued SMSC id writes.
    const [a, b, c] = ['100', '8292', '16484'].map((id) => mtMessage(id, { state: 'routed', connectorId: 'a' }));
    await Promise.all([a, b, c].map((m) => store.insert(m!)));
    const old = store.updatePart(c!.id, 1, { state: 'submitted', smscMessageId: '9' });
    store.flush();
    await Promise.all([
      old,
      store.updatePart(a!.id, 1, { state: 'submitted', smscMessageId: '7' }),
      store.updatePart(b!.id, 1, { state: 'submitted', smscMessageId: '8' }),
      store.recordReceipt(receipt(b!.id, 1), undefined),
      store.recordReceipt(receipt(a!.id, 1), undefined),
      store.recordReceipt(receipt(c!.id, 1), undefined),
    ]);
    expect(store.foldedSmscWrites).toBe(2);
    for (const [m, id] of [[a, '7'], [b, '8'], [c, '9']] as const) {
      expect((await store.get(m!.id))!.parts[0]).toMatchObject({ state: 'delivered', smscMessageId: id });
      expect(await store.findBySmscId('a', id)).toEqual({ id: m!.id, seq: 1 });
    }
  });

  it('part 1 of a multi-part message: the folded SMSC id goes to its part row before the receipt', async () => {
    const store = fx.open();
    const m = longMessage(store.nextId());
    await store.insert(m);
    await Promise.all([
      store.updatePart(m.id, 1, { state: 'submitted', smscMessageId: 'P1' }),
      store.recordReceipt(receipt(m.id, 1), owed(m, 1)),
    ]);
    const got = await store.get(m.id);
    expect(store.foldedSmscWrites).toBe(1);
    expect(got!.parts[0]).toMatchObject({ state: 'delivered', smscMessageId: 'P1' });
    expect(got!.state).toBe('submitted');
    expect(await store.findBySmscId('sim', 'p1')).toEqual({ id: m.id, seq: 1 });
    expect((await store.owedReceipts('p1', 10)).map((o) => o.partSeq)).toEqual([1]);
  });

  it('a receipt for a message that is gone drops the folded write with it', async () => {
    const store = fx.open();
    await Promise.all([
      store.updatePart('12345', 1, { state: 'submitted', smscMessageId: 'X' }),
      store.recordReceipt(receipt('12345', 1), owed(mtMessage('12345'))),
    ]);
    expect(await store.get('12345')).toBeUndefined();
    expect(await store.owedReceipts('p1', 10)).toEqual([]);
  });
});

describe.each([
  ['main thread', false],
  ['worker thread', true],
])('SqliteMessageStore: owed receipts (%s)', (_where, worker) => {
  let fx: StoreFixture;
  beforeEach(() => {
    fx = new StoreFixture(worker);
  });
  afterEach(async () => {
    await fx.cleanup();
  });

  it('a whole-message receipt of a multi-part message is owed on the message, per-part ones on the parts', async () => {
    const store = fx.open();
    const whole = longMessage(store.nextId());
    const perPart = longMessage(store.nextId());
    await Promise.all([store.insert(whole), store.insert(perPart)]);
    await store.recordReceipt(receipt(whole.id, 1), undefined);
    await store.recordReceipt(receipt(whole.id, 2, 'expired'), owed(whole, undefined, 'expired'));
    await store.recordReceipt(receipt(perPart.id, 2), owed(perPart, 2));
    const list = await store.owedReceipts('p1', 10);
    expect(list).toEqual([owed(whole, undefined, 'expired'), owed(perPart, 2)]);
    expect(await store.owedReceipts('p1', 1)).toEqual([owed(whole, undefined, 'expired')]);
    await store.receiptForwarded(perPart.id, 2);
    await store.receiptForwarded(whole.id);
    expect(await store.owedReceipts('p1', 10)).toEqual([]);
    expect((await store.get(whole.id))!.receiptOwed).toBe(false);
  });

  it('a per-part receipt of a single-part message is owed as part 1 and forwarded as part 1', async () => {
    const store = fx.open();
    const m = mtMessage(store.nextId(), { state: 'submitted', partnerId: 'p1' });
    await store.insert(m);
    await store.recordReceipt(receipt(m.id, 1), owed(m, 1));
    expect(await store.owedReceipts('p1', 10)).toEqual([owed(m, 1)]);
    await store.receiptForwarded(m.id); // the message-level receipt is not the one owed
    expect(await store.owedReceipts('p1', 10)).toHaveLength(1);
    await store.receiptForwarded(m.id, 1);
    expect(await store.owedReceipts('p1', 10)).toEqual([]);
  });

  it('a duplicate final receipt owes the receipt again without changing the final state', async () => {
    const store = fx.open();
    const m = mtMessage(store.nextId(), { state: 'submitted', partnerId: 'p1' });
    await store.insert(m);
    await store.recordReceipt(receipt(m.id, 1), owed(m));
    await store.receiptForwarded(m.id);
    await store.recordReceipt(receipt(m.id, 1, 'expired'), owed(m, undefined, 'expired'));
    expect((await store.get(m.id))!.state).toBe('delivered');
    expect(await store.owedReceipts('p1', 10)).toEqual([owed(m, undefined, 'expired')]);
    expect(store.stats().unfinished).toBe(0);
  });
});

describe('store schema 2 -> 3 migration', () => {
  let fx: StoreFixture;
  beforeEach(() => {
    fx = new StoreFixture();
  });
  afterEach(async () => {
    await fx.cleanup();
  });

  it('moves owed receipts from the old table into the rows and keeps every message', async () => {
    mkdirSync(dirname(fx.path), { recursive: true });
    const db = new Database(fx.path);
    db.pragma('journal_mode = WAL');
    db.exec(readFileSync(join(__dirname, 'fixtures', 'schema-v2.sql'), 'utf8'));
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', '2')").run();
    const ins = db.prepare(`INSERT INTO messages (id, direction, partner_id, partner_ref, src_addr, src_ton, src_npi, dst_addr,
      dst_ton, dst_npi, data_coding, esm_class, protocol_id, priority, registered_delivery, body, state, created_at,
      updated_at, valid_until, receipt_owed, parts_inline, part_state, open)
      VALUES (?, 'mt', 'p1', ?, 'Tollgate', 5, 0, '41790000001', 1, 1, 0, 0, 0, 0, 1, x'6869', ?, ?, ?, ?, ?, ?, ?, ?)`);
    ins.run(1, 'r1', 'delivered', T0, T0, T0 + 1000, 1, 1, 'delivered', null);
    ins.run(2, 'r2', 'delivered', T0 + 1, T0, T0 + 1000, 0, 1, 'delivered', null);
    ins.run(3, null, 'submitted', T0 + 2, T0, T0 + 1000, 1, 0, null, 1);
    db.prepare("INSERT INTO message_parts (message_id, seq, body, udhi, state) VALUES (3, 1, NULL, 0, 'undeliverable'), (3, 2, NULL, 0, 'submitted')").run();
    const owedIns = db.prepare(`INSERT INTO owed_receipts (message_id, part_seq, partner_id, outcome, error_code, done_at,
      submitted_at, partner_ref, src_addr, src_ton, src_npi, dst_addr, dst_ton, dst_npi)
      VALUES (?, ?, 'p1', ?, ?, ?, ?, NULL, 'Tollgate', 5, 0, '41790000001', 1, 1)`);
    owedIns.run(1, 0, 'delivered', null, T0 + 5, T0);
    owedIns.run(3, 1, 'undeliverable', '011', T0 + 6, T0 + 2);
    db.close();

    const store = fx.open();
    const list = await store.owedReceipts('p1', 10);
    expect(list.map((o) => [o.messageId, o.partSeq, o.outcome, o.errorCode, o.doneAt, o.partnerRef])).toEqual([
      ['1', undefined, 'delivered', undefined, T0 + 5, 'r1'],
      ['3', 1, 'undeliverable', '011', T0 + 6, undefined],
    ]);
    expect((await store.get('2'))!.receiptOwed).toBe(false);
    expect(store.stats().unfinished).toBe(1);
    await store.receiptForwarded('3', 1);
    await store.receiptForwarded('1');
    expect(await store.owedReceipts('p1', 10)).toEqual([]);
    await store.close();

    const check = new Database(fx.path, { readonly: true });
    expect(check.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe('3');
    expect(check.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'owed_receipts'").pluck().get()).toBe(0);
    check.close();
  });

  it('refuses a store of an unknown schema version with a readable error', async () => {
    mkdirSync(dirname(fx.path), { recursive: true });
    const db = new Database(fx.path);
    db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID; INSERT INTO meta VALUES ('schema_version', '9')");
    db.close();
    expect(() => fx.open()).toThrow(/schema version 9, this build needs 3/);
  });
});
