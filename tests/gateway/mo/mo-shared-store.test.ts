import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../../gateway/store/store-error';
import { openMoDb } from '../../../gateway/store/sqlite/mo-db';
import { SqliteMoDeliveryStore } from '../../../gateway/store/sqlite/mo-delivery-store';
import { SqliteMoPartStore } from '../../../gateway/store/sqlite/mo-part-store';
import { SqliteMessageStore } from '../../../gateway/store/sqlite/sqlite-store';
import type { MoPartInput } from '../../../routing/mo-reassembly';
import { mtMessage } from '../store/helpers';

const part = (seq: number): MoPartInput => ({
  partId: String(100 + seq), connectorId: 'op1', source: '467', destination: '4455', sourceTon: 1, sourceNpi: 1, destTon: 0, destNpi: 1,
  refKind: 'udh8', ref: 7, total: 2, seq, payload: Buffer.from([seq]), dataCoding: 0, receivedAt: 1000 + seq,
});

const dead = { moId: '5', partnerId: 'p', serviceId: 's', state: 'dead' as const, attempts: 1, queuedAt: 1, updatedAt: 2 };

// worker: the store's connection lives in its worker thread (ops cross by structured clone); else on this thread.
describe.each([true, false])('MO tables on the message store ops (one transaction and fsync stream), worker=%s', (worker) => {
  let dir: string;
  let file: string;
  let store: SqliteMessageStore | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tollgate-mo-shared-'));
    file = path.join(dir, 'store.sqlite');
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = (): SqliteMessageStore =>
    new SqliteMessageStore({ path: file, synchronous: 'FULL', groupCommitMaxDelayMs: 0, groupCommitMaxBatch: 100, worker });

  it('part writes are ops of the store committer, durable (resolved after its fsync) and back after a restart', async () => {
    store = open();
    const mo = openMoDb({ committer: store.shared() });
    expect(mo.ops).toBe(store.shared());
    const parts = new SqliteMoPartStore(mo);
    const before = store.commitStats();
    const ops0 = before.ops;
    const syncs0 = before.syncs;
    await Promise.all([parts.save('k', part(1)), parts.save('k', part(2))]);
    expect(store.commitStats().ops - ops0).toBe(2);
    expect(store.commitStats().syncs).toBeGreaterThan(syncs0);
    mo.close(); // leaves the store's committer and connection open
    await new SqliteMoDeliveryStore(mo).put(dead);
    await store.close();

    store = open();
    const mo2 = openMoDb({ committer: store.shared() });
    const loaded = await new SqliteMoPartStore(mo2).loadAll();
    expect(loaded).toEqual([part(1), part(2)]);
    expect(loaded.every((p) => Buffer.isBuffer(p.payload))).toBe(true);
    expect(await new SqliteMoDeliveryStore(mo2).get('5')).toEqual(dead);
  });

  it('MO writes and message writes queued together land in one commit', async () => {
    store = open();
    const deliveries = new SqliteMoDeliveryStore(openMoDb({ committer: store.shared() }));
    const id = store.nextId();
    const tx0 = store.commitStats().transactions;
    await Promise.all([store.insert(mtMessage(id)), deliveries.put(dead)]);
    expect(store.commitStats().transactions - tx0).toBe(1);
    const other = new Database(file, { readonly: true });
    try {
      expect(other.prepare('SELECT count(*) FROM messages WHERE id = ?').pluck().get(Number(id))).toBe(1);
      expect(other.prepare('SELECT count(*) FROM mo_delivery WHERE mo_id = 5').pluck().get()).toBe(1);
    } finally {
      other.close();
    }
  });

  it('after the store closes, MO writes are refused with StoreError', async () => {
    store = open();
    const parts = new SqliteMoPartStore(openMoDb({ committer: store.shared() }));
    await store.close();
    store = undefined;
    await expect(parts.save('k', part(1))).rejects.toBeInstanceOf(StoreError);
  });
});
