import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { openMoDb, type MoDb } from '../../../gateway/store/sqlite/mo-db';
import { SqliteMoPartStore } from '../../../gateway/store/sqlite/mo-part-store';
import { SqliteMoDeliveryStore } from '../../../gateway/store/sqlite/mo-delivery-store';
import { SqliteApiMessageStore, SqliteIdempotencyStore } from '../../../gateway/store/sqlite/mo-api-stores';
import { LocalOpCommitter } from '../../../gateway/store/sqlite/op-committer';
import type { MoPartInput } from '../../../routing/mo-reassembly';

describe('MO SQLite stores', () => {
  let dir: string;
  let file: string;
  let mo: MoDb | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tollgate-mo-'));
    file = path.join(dir, 'db.sqlite');
    mo = openMoDb({ database: file });
  });
  afterEach(() => {
    mo?.close();
    mo = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const part = (seq: number): MoPartInput => ({
    partId: String(100 + seq),
    connectorId: 'op1',
    source: '467',
    destination: '4455',
    sourceTon: 1,
    sourceNpi: 1,
    destTon: 0,
    destNpi: 1,
    refKind: 'udh16',
    ref: 40000,
    total: 3,
    seq,
    payload: Buffer.from([seq, 0xff, 0]),
    dataCoding: 8,
    receivedAt: 1000 + seq,
  });

  it('parts are durable once save resolves, survive a reopen, and delete by group', async () => {
    const parts = new SqliteMoPartStore(mo!);
    await Promise.all([parts.save('g1', part(3)), parts.save('g1', part(1)), parts.save('g1', part(1))]);
    const other = new Database(file, { readonly: true });
    expect((other.prepare('SELECT count(*) AS n FROM mo_parts').get() as { n: number }).n).toBe(2);
    other.close();
    mo!.close();
    mo = openMoDb({ database: file });
    const again = new SqliteMoPartStore(mo);
    expect(await again.loadAll()).toEqual([part(1), part(3)]);
    await again.deleteGroup('g1');
    expect(await again.loadAll()).toEqual([]);
  });

  it('many writes in one turn share one transaction', async () => {
    const parts = new SqliteMoPartStore(mo!);
    // A connection of its own: the ops run through a LocalOpCommitter, whose counters are the GroupCommitter's.
    const ops = mo!.ops;
    if (!(ops instanceof LocalOpCommitter)) throw new Error('expected a LocalOpCommitter');
    const before = ops.stats.transactions;
    await Promise.all(Array.from({ length: 50 }, (_, i) => parts.save(`g${i}`, part(1))));
    expect(ops.stats.transactions - before).toBe(1);
  });

  it('delivery records: put, update, list by state and partner with paging, remove', async () => {
    const d = new SqliteMoDeliveryStore(mo!);
    const rec = (id: string, partnerId: string, state: 'pending' | 'dead') => ({ moId: id, partnerId, serviceId: 's', state, attempts: 1, queuedAt: 5, updatedAt: 6 });
    await Promise.all([d.put(rec('10', 'a', 'dead')), d.put(rec('11', 'a', 'pending')), d.put(rec('12', 'b', 'dead')), d.put(rec('13', 'a', 'dead'))]);
    await d.put({ ...rec('10', 'a', 'dead'), attempts: 4, lastError: 'http_500' });
    expect(await d.get('10')).toEqual({ ...rec('10', 'a', 'dead'), attempts: 4, lastError: 'http_500' });
    expect((await d.list({ state: 'dead', limit: 10 })).map((r) => r.moId)).toEqual(['10', '12', '13']);
    expect((await d.list({ state: 'dead', partnerId: 'a', limit: 10 })).map((r) => r.moId)).toEqual(['10', '13']);
    expect((await d.list({ partnerId: 'a', limit: 10, afterMoId: '10' })).map((r) => r.moId)).toEqual(['11', '13']);
    expect((await d.list({ limit: 2 })).map((r) => r.moId)).toEqual(['10', '11']);
    await d.remove('10');
    expect(await d.get('10')).toBeUndefined();
  });

  it('idempotency: first claim wins within the TTL, expires after it, release frees the key', async () => {
    const s = new SqliteIdempotencyStore(mo!);
    const ttl = 24 * 3600_000;
    const [a, b] = await Promise.all([
      s.claim({ partnerId: 'p', key: 'k', messageId: '1', createdAt: 1000 }, ttl),
      s.claim({ partnerId: 'p', key: 'k', messageId: '2', createdAt: 1001 }, ttl),
    ]);
    expect(a).toEqual({ claimed: true });
    expect(b).toEqual({ claimed: false, existing: { partnerId: 'p', key: 'k', messageId: '1', createdAt: 1000 } });
    expect(await s.claim({ partnerId: 'q', key: 'k', messageId: '3', createdAt: 1002 }, ttl)).toEqual({ claimed: true });
    expect(await s.claim({ partnerId: 'p', key: 'k', messageId: '4', createdAt: 1000 + ttl }, ttl)).toEqual({ claimed: true });
    await s.release('p', 'k');
    expect(await s.claim({ partnerId: 'p', key: 'k', messageId: '5', createdAt: 1000 + ttl }, ttl)).toEqual({ claimed: true });
    expect(await s.purge(1003)).toBe(1);
  });

  it('api messages: put/get and lookup by MO reference', async () => {
    const s = new SqliteApiMessageStore(mo!);
    await s.put({ messageId: '7', partnerId: 'p', callbackUrl: 'http://x/cb', moRef: '3', createdAt: 9 });
    await s.put({ messageId: '8', partnerId: 'p', createdAt: 10 });
    expect(await s.get('7')).toEqual({ messageId: '7', partnerId: 'p', callbackUrl: 'http://x/cb', moRef: '3', createdAt: 9 });
    expect(await s.get('8')).toEqual({ messageId: '8', partnerId: 'p', createdAt: 10 });
    expect((await s.byMoRef('3')).map((r) => r.messageId)).toEqual(['7']);
  });
});
