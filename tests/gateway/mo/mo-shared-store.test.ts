import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StoreError } from '../../../gateway/store/store-error';
import { openMoDb } from '../../../gateway/store/sqlite/mo-db';
import { SqliteMoDeliveryStore } from '../../../gateway/store/sqlite/mo-delivery-store';
import { SqliteMoPartStore } from '../../../gateway/store/sqlite/mo-part-store';
import { SqliteMessageStore } from '../../../gateway/store/sqlite/sqlite-store';
import type { MoPartInput } from '../../../routing/mo-reassembly';

const part = (seq: number): MoPartInput => ({
  partId: String(100 + seq), connectorId: 'op1', source: '467', destination: '4455', sourceTon: 1, sourceNpi: 1, destTon: 0, destNpi: 1,
  refKind: 'udh8', ref: 7, total: 2, seq, payload: Buffer.from([seq]), dataCoding: 0, receivedAt: 1000 + seq,
});

describe('MO tables on the message store connection and committer (one transaction and fsync stream)', () => {
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

  const open = (): SqliteMessageStore => new SqliteMessageStore({ path: file, synchronous: 'FULL', groupCommitMaxDelayMs: 0, groupCommitMaxBatch: 100 });

  it('part writes are ops of the store committer, durable (resolved after its fsync) and back after a restart', async () => {
    store = open();
    const shared = store.shared();
    const mo = openMoDb({ database: shared.db, committer: shared.committer });
    expect(mo.committer).toBe(shared.committer);
    const parts = new SqliteMoPartStore(mo);
    const before = store.commitStats();
    const ops0 = before.ops;
    const syncs0 = before.syncs;
    await Promise.all([parts.save('k', part(1)), parts.save('k', part(2))]);
    expect(store.commitStats().ops - ops0).toBe(2);
    expect(store.commitStats().syncs).toBeGreaterThan(syncs0);
    mo.close(); // leaves the store's connection open
    await new SqliteMoDeliveryStore(mo).put({ moId: '5', partnerId: 'p', serviceId: 's', state: 'dead', attempts: 1, queuedAt: 1, updatedAt: 2 });
    await store.close();

    store = open();
    const again = store.shared();
    const mo2 = openMoDb({ database: again.db, committer: again.committer });
    expect((await new SqliteMoPartStore(mo2).loadAll()).map((p) => p.seq)).toEqual([1, 2]);
    expect((await new SqliteMoDeliveryStore(mo2).get('5'))?.state).toBe('dead');
  });

  it('after the store closes, MO writes are refused with StoreError', async () => {
    store = open();
    const shared = store.shared();
    const parts = new SqliteMoPartStore(openMoDb({ database: shared.db, committer: shared.committer }));
    await store.close();
    store = undefined;
    await expect(parts.save('k', part(1))).rejects.toBeInstanceOf(StoreError);
  });
});
