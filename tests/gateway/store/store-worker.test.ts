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

  describe('first lane (new messages)', () => {
    async function stored(store: ReturnType<StoreFixture['open']>, n: number): Promise<string[]> {
      const ids = Array.from({ length: n }, () => store.nextId());
      await Promise.all(ids.map((id) => store.insert(mtMessage(id))));
      return ids;
    }

    it('commits an insert ahead of the writes queued before it, in a transaction of its own', async () => {
      const store = fx.open();
      const ids = await stored(store, 1_500); // one batch (under groupCommitMaxBatch), more than ride along
      const before = store.commitStats().transactions;
      const order: string[] = [];
      const updates = Promise.all(ids.map((id) => store.updatePart(id, 1, { state: 'submitted', smscMessageId: `s${id}`, connectorId: 'sim' }))).then(() => order.push('updates'));
      const fresh = mtMessage(store.nextId());
      const insert = store.insert(fresh).then(() => order.push('insert'));
      await Promise.all([updates, insert]);
      expect(order).toEqual(['insert', 'updates']);
      expect(store.commitStats().transactions - before).toBe(2);
      expect(await store.get(fresh.id)).toEqual(fresh);
      expect(await store.findBySmscId('sim', `s${ids[1_499]!}`)).toEqual({ id: ids[1_499], seq: 1 });
    });

    it('lets a few other ops ride in the same transaction instead of a commit of their own', async () => {
      const store = fx.open();
      const ids = await stored(store, 10);
      const before = store.commitStats().transactions;
      const writes = ids.map((id) => store.updatePart(id, 1, { state: 'submitted' }));
      writes.push(store.insert(mtMessage(store.nextId())));
      await Promise.all(writes);
      expect(store.commitStats().transactions - before).toBe(1);
      expect(store.commitStats().ops).toBe(21);
    });

    it('a read queued after an insert sees it, and one queued before it does not fail', async () => {
      const store = fx.open();
      const id = store.nextId();
      const early = store.get(id);
      const m = mtMessage(id);
      const insert = store.insert(m);
      const late = store.get(id);
      await insert;
      expect(await late).toEqual(m);
      // Run ahead of the read queued before it: the read may see the message or not, but it answers.
      const got = await early;
      expect(got === undefined || got.id === id).toBe(true);
    });

    it('stops a long cycle of receipts and updates between two batches to commit a new message that arrived', async () => {
      const store = fx.open({ groupCommitMaxBatch: 10_000 });
      const ids = await stored(store, 16_000);
      const order: string[] = [];
      const batchOf = (name: string, from: number, n: number): Promise<void> => {
        const writes = ids.slice(from, from + n).map((id) => store.updatePart(id, 1, { state: 'submitted', smscMessageId: `x${id}`, connectorId: 'sim' }));
        store.flush();
        return Promise.all(writes).then(() => {
          order.push(name);
        });
      };
      const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
      // b0 (8,000 ops) keeps the worker busy while b1..b4 (2,000 each) arrive; they then make one cycle of 8,000 ops
      // (about 50 ms here), and the insert arrives while it runs: it waits for the batch running, not for b4.
      const b0 = batchOf('b0', 0, 8_000);
      const rest: Promise<void>[] = [];
      for (let k = 1; k <= 4; k++) {
        await turn();
        rest.push(batchOf(`b${k}`, 6_000 + k * 2_000, 2_000));
      }
      await b0;
      // The worker has gone on to b1..b4 (about 50 ms of work) by now; post the insert well inside that cycle.
      await new Promise((r) => setTimeout(r, 10));
      const insert = store.insert(mtMessage(store.nextId())).then(() => {
        order.push('insert');
      });
      await Promise.all([insert, ...rest]);
      expect(order.indexOf('insert')).toBeLessThan(order.indexOf('b4'));
      expect(order.indexOf('insert')).toBeGreaterThan(order.indexOf('b0'));
    });

    it('close answers both lanes before the worker exits', async () => {
      const store = fx.open();
      const ids = await stored(store, 500);
      const writes: Promise<void>[] = ids.map((id) => store.updatePart(id, 1, { state: 'submitted' }));
      const fresh = Array.from({ length: 500 }, () => mtMessage(store.nextId()));
      for (const m of fresh) writes.push(store.insert(m));
      const closing = store.close();
      await Promise.all(writes);
      await closing;
      const again = fx.open();
      expect((await again.get(fresh[499]!.id))?.id).toBe(fresh[499]!.id);
      expect((await again.get(ids[499]!))?.parts[0]?.state).toBe('submitted');
    });
  });
});
