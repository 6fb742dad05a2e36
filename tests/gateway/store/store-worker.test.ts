import { StoreError } from '../../../gateway/store/store-error';
import { StoreFixture, mtMessage } from './helpers';

interface WorkerInside {
  committer: { worker: { terminate(): Promise<number> } };
}

describe('SqliteMessageStore in its worker thread', () => {
  let fx: StoreFixture;
  beforeEach(() => {
    fx = new StoreFixture(true);
  });
  afterEach(async () => {
    await fx.cleanup();
  });

  it('if the worker dies, queued and later calls fail with StoreError, close() still completes, and what was durable stays', async () => {
    const store = fx.open();
    expect(store.inWorker).toBe(true);
    const kept = mtMessage(store.nextId());
    await store.insert(kept);
    await (store as unknown as WorkerInside).committer.worker.terminate();
    const lost = mtMessage(store.nextId());
    await expect(store.insert(lost)).rejects.toBeInstanceOf(StoreError);
    await expect(store.get(kept.id)).rejects.toBeInstanceOf(StoreError);
    await store.close();

    const again = fx.open();
    expect(await again.get(kept.id)).toEqual(kept);
    expect(await again.get(lost.id)).toBeUndefined();
  });

  it('answers a flood of writes in steps, never all in one commit', async () => {
    const store = fx.open({ groupCommitMaxBatch: 500 });
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 20_000; i++) writes.push(store.insert(mtMessage(store.nextId())));
    await Promise.all(writes);
    const st = store.commitStats();
    expect(st.ops).toBe(20_000);
    expect(st.maxBatch).toBeLessThanOrEqual(8_000);
    expect(st.transactions).toBeGreaterThanOrEqual(3);
    expect(st.syncs).toBeGreaterThan(0);
  });

  it('durable: every write queued before close() is answered by the sync thread, then the worker exits', async () => {
    const store = fx.open();
    const ids: string[] = [];
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 3_000; i++) {
      const m = mtMessage(store.nextId());
      ids.push(m.id);
      writes.push(store.insert(m));
    }
    const closing = store.close();
    await Promise.all(writes);
    await closing;
    const again = fx.open();
    for (const id of [ids[0]!, ids[1_500]!, ids[2_999]!]) expect((await again.get(id))?.id).toBe(id);
  });

  it('synchronous NORMAL: answered at commit, no WAL sync thread', async () => {
    const store = fx.open({ synchronous: 'NORMAL' });
    await Promise.all(Array.from({ length: 500 }, () => store.insert(mtMessage(store.nextId()))));
    const st = store.commitStats();
    expect(st.ops).toBe(500);
    expect(st.syncs).toBe(0);
  });
});
