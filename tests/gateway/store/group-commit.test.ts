import { GroupCommitter } from '../../../gateway/store/sqlite/group-commit';
import { StoreError } from '../../../gateway/store/store-error';

function committer(opts: { maxBatch?: number; maxDelayMs?: number; fail?: () => boolean } = {}) {
  const log: string[] = [];
  const effects = { committed: 0, failed: 0 };
  const gc = new GroupCommitter({
    maxBatch: opts.maxBatch ?? 100,
    maxDelayMs: opts.maxDelayMs ?? 0,
    runTransaction: (body) => {
      log.push('begin');
      body();
      if (opts.fail?.()) throw new Error('disk full');
      log.push('commit');
    },
    onCommitted: () => effects.committed++,
    onFailed: () => effects.failed++,
  });
  const op = (a: unknown) => {
    log.push(`op ${String(a)}`);
    return `r${String(a)}`;
  };
  return { gc, log, effects, op };
}

describe('GroupCommitter', () => {
  it('runs all ops of one turn in one transaction, in order, and shares one promise among writes', async () => {
    const { gc, log, op } = committer();
    const w1 = gc.write(op, 1);
    const w2 = gc.write(op, 2);
    const r3 = gc.read<string>(op, 3);
    expect(w1).toBe(w2);
    expect(log).toEqual([]);
    expect(gc.depth).toBe(3);
    expect(await r3).toBe('r3');
    await w1;
    expect(log).toEqual(['begin', 'op 1', 'op 2', 'op 3', 'commit']);
    expect(gc.stats).toMatchObject({ transactions: 1, ops: 3, maxBatch: 3, failures: 0 });
  });

  it('starts a new batch (and promise) after a commit', async () => {
    const { gc, op } = committer();
    const a = gc.write(op, 1);
    await a;
    const b = gc.write(op, 2);
    expect(b).not.toBe(a);
    await b;
    expect(gc.stats.transactions).toBe(2);
  });

  it('commits synchronously when maxBatch ops are queued', () => {
    const { gc, log, op } = committer({ maxBatch: 2 });
    void gc.write(op, 1);
    expect(log).toEqual([]);
    void gc.write(op, 2);
    expect(log).toEqual(['begin', 'op 1', 'op 2', 'commit']);
    expect(gc.depth).toBe(0);
  });

  it('rejects writes and reads of a failed batch with StoreError, then recovers', async () => {
    let fail = true;
    const { gc, effects, op } = committer({ fail: () => fail });
    const w = gc.write(op, 1);
    const r = gc.read(op, 2);
    await expect(w).rejects.toBeInstanceOf(StoreError);
    await expect(r).rejects.toMatchObject({ code: 'STORE' });
    expect(effects).toEqual({ committed: 0, failed: 1 });
    fail = false;
    await gc.write(op, 3);
    expect(effects).toEqual({ committed: 1, failed: 1 });
  });

  it('flushes on close and refuses later ops', async () => {
    const { gc, log, op } = committer();
    const w = gc.write(op, 1);
    gc.close(new StoreError('closed'));
    expect(log).toEqual(['begin', 'op 1', 'commit']);
    await w;
    await expect(gc.write(op, 2)).rejects.toBeInstanceOf(StoreError);
    await expect(gc.read(op, 3)).rejects.toBeInstanceOf(StoreError);
  });

  it('with maxDelayMs waits for the timer, collecting ops from several turns', async () => {
    const { gc, op } = committer({ maxDelayMs: 20 });
    const a = gc.write(op, 1);
    await new Promise((r) => setImmediate(r));
    const b = gc.write(op, 2);
    expect(b).toBe(a);
    await a;
    expect(gc.stats).toMatchObject({ transactions: 1, ops: 2 });
  });

  describe('durable mode (sync after commit)', () => {
    function durable() {
      const syncs: ((err: unknown) => void)[] = [];
      const gc = new GroupCommitter({
        maxBatch: 100,
        maxDelayMs: 0,
        runTransaction: (body) => body(),
        sync: (done) => {
          syncs.push(done);
        },
      });
      return { gc, syncs };
    }
    const noop = (): undefined => undefined;
    const settled = async (p: Promise<unknown>): Promise<boolean> => {
      let done = false;
      p.then(
        () => (done = true),
        () => (done = true),
      );
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      return done;
    };

    it('resolves writes only after a sync that started after their commit', async () => {
      const { gc, syncs } = durable();
      const a = gc.write(noop);
      const r = gc.read(noop);
      expect(await settled(r)).toBe(true); // reads do not wait for the disk
      expect(syncs).toHaveLength(1);
      expect(await settled(a)).toBe(false);
      // Committed while the first sync runs: must wait for a second sync.
      const b = gc.write(noop);
      expect(await settled(b)).toBe(false);
      expect(syncs).toHaveLength(1);
      syncs[0]!(null);
      expect(await settled(a)).toBe(true);
      expect(await settled(b)).toBe(false);
      expect(syncs).toHaveLength(2);
      syncs[1]!(null);
      expect(await settled(b)).toBe(true);
      expect(gc.stats.syncs).toBe(2);
    });

    it('holds writes made while a sync runs and commits them in one transaction when it completes', async () => {
      const { gc, syncs } = durable();
      const first = gc.write(noop);
      await new Promise((r) => setImmediate(r));
      expect(gc.stats.transactions).toBe(1);
      const held: Promise<void>[] = [];
      for (let turn = 0; turn < 3; turn++) {
        held.push(gc.write(noop), gc.write(noop));
        await new Promise((r) => setImmediate(r));
      }
      expect(gc.stats.transactions).toBe(1);
      expect(gc.depth).toBe(6);
      // A read is not held behind the disk.
      expect(await settled(gc.read(noop))).toBe(true);
      expect(gc.stats.transactions).toBe(2);
      const more = gc.write(noop);
      syncs[0]!(null);
      await first;
      expect(gc.stats.transactions).toBe(3);
      syncs[1]!(null);
      await Promise.all(held);
      expect(await settled(more)).toBe(true);
      expect(gc.stats).toMatchObject({ transactions: 3, ops: 9, syncs: 2 });
    });

    it('rejects the writes of a failed sync with StoreError', async () => {
      const { gc, syncs } = durable();
      const a = gc.write(noop);
      await new Promise((r) => setImmediate(r));
      syncs[0]!(new Error('EIO'));
      await expect(a).rejects.toBeInstanceOf(StoreError);
    });

    it('close waits for the pending sync', async () => {
      const { gc, syncs } = durable();
      const a = gc.write(noop);
      const closed = gc.close(new StoreError('closed'));
      expect(await settled(closed)).toBe(false);
      syncs[0]!(null);
      await closed;
      await a;
    });
  });
});
