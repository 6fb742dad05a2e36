import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { GroupCommitter } from '../../../gateway/store/sqlite/group-commit';
import { StoreError } from '../../../gateway/store/store-error';
import { StoreFixture, mtMessage } from './helpers';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
const later = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `batches` rounds of `perBatch` inserts; with `updates`, each also with an SMSC id write in the other lane. */
async function writeBatches(store: ReturnType<StoreFixture['open']>, batches: number, perBatch: number, updates = false): Promise<string[]> {
  const ids: string[] = [];
  for (let b = 0; b < batches; b++) {
    const writes: Promise<void>[] = [];
    for (let i = 0; i < perBatch; i++) {
      const m = mtMessage(store.nextId(), { body: Buffer.alloc(120, b) });
      ids.push(m.id);
      writes.push(store.insert(m));
      if (updates) writes.push(store.updatePart(m.id, 1, { state: 'submitted', smscMessageId: `s${m.id}` }));
    }
    await Promise.all(writes);
  }
  return ids;
}

describe('GroupCommitter with overlapSync', () => {
  const noop = (): undefined => undefined;

  it('commits held writes while the sync runs, and resolves them only after a later sync', async () => {
    const syncs: ((err: unknown) => void)[] = [];
    const gc = new GroupCommitter({
      maxBatch: 100,
      maxDelayMs: 0,
      runTransaction: (body) => body(),
      overlapSync: true,
      sync: (done) => {
        syncs.push(done);
      },
    });
    let aDone = false;
    let bDone = false;
    const a = gc.write(noop).then(() => (aDone = true));
    await turn();
    expect(gc.stats.transactions).toBe(1);
    expect(syncs).toHaveLength(1);
    const b = gc.write(noop).then(() => (bDone = true));
    // Committed during the first sync (no history yet: at once), not held until it completes.
    for (let i = 0; i < 20 && gc.stats.transactions < 2; i++) await later(1);
    expect(gc.stats.transactions).toBe(2);
    expect(syncs).toHaveLength(1);
    expect(aDone).toBe(false);
    syncs[0]!(null);
    await a;
    await turn();
    expect(bDone).toBe(false);
    expect(syncs).toHaveLength(2);
    syncs[1]!(null);
    await b;
    expect(gc.stats).toMatchObject({ transactions: 2, ops: 2, syncs: 2, failures: 0 });
    await gc.close(new StoreError('closed'));
  });
});

describe('SqliteMessageStore WAL checkpoints in a worker (durable mode)', () => {
  let fx: StoreFixture;
  beforeEach(() => {
    fx = new StoreFixture();
  });
  afterEach(async () => {
    await fx.cleanup();
  });

  it('checkpoints off the main connection, keeps the WAL small, and loses nothing', async () => {
    // walForceFrames: 64 makes the checkpoints that race a commit give way to one run as the sync, which restarts the WAL.
    const store = fx.open({ checkpointEveryOps: 100, walForceFrames: 64 });
    const db = (store as unknown as { local: { db: Database.Database } }).local.db;
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    // The worker needs a moment to start: wait for its first checkpoint before measuring the WAL.
    const ids = await writeBatches(store, 2, 100);
    for (let i = 0; i < 500 && store.checkpointStats()!.checkpoints === 0; i++) await later(10);
    expect(store.checkpointStats()!.checkpoints).toBeGreaterThan(0);
    ids.push(...(await writeBatches(store, 28, 100)));
    const stats = store.checkpointStats();
    expect(stats).toBeDefined();
    expect(stats!.checkpoints).toBeGreaterThan(0);
    const walWithCheckpoints = statSync(`${fx.path}-wal`).size;
    await store.close();

    const again = fx.open();
    for (const id of [ids[0]!, ids[1500]!, ids[ids.length - 1]!]) expect(await again.get(id)).toBeDefined();
    expect(again.stats().unfinished).toBe(ids.length);
    await again.close();

    // The same writes without checkpoints leave a WAL holding all of them.
    const fx2 = new StoreFixture();
    try {
      const never = fx2.open({ checkpointEveryOps: Number.MAX_SAFE_INTEGER, walForceFrames: Number.MAX_SAFE_INTEGER });
      await writeBatches(never, 30, 100);
      expect(never.checkpointStats()!.checkpoints).toBe(0);
      expect(walWithCheckpoints * 3).toBeLessThan(statSync(`${fx2.path}-wal`).size);
    } finally {
      await fx2.cleanup();
    }
  });

  it('falls back to fdatasync and inline checkpoints when the worker dies', async () => {
    const store = fx.open({ checkpointEveryOps: 10 });
    await writeBatches(store, 2, 20);
    const inner = (store as unknown as { local: { db: Database.Database; checkpointer: { failed: boolean; worker: { terminate(): Promise<number> } } } }).local;
    await inner.checkpointer.worker.terminate();
    for (let i = 0; i < 200 && !inner.checkpointer.failed; i++) await later(5);
    expect(inner.checkpointer.failed).toBe(true);
    expect(inner.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    const ids = await writeBatches(store, 3, 20);
    expect(store.commitStats().failures).toBe(0);
    expect(await store.get(ids[ids.length - 1]!)).toBeDefined();
  });

  it('close() completes in a script whose event loop holds nothing else', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'close-child.ts'), fx.path], {
      cwd: join(__dirname, '..', '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    expect(code).toBe(0);
    expect(out).toBe('closed\n');
  });

  it('has no worker in NORMAL mode or in memory', async () => {
    expect(fx.open({ synchronous: 'NORMAL' }).checkpointStats()).toBeUndefined();
    expect(fx.open({ path: ':memory:' }).checkpointStats()).toBeUndefined();
  });
});

describe('SqliteMessageStore WAL checkpoints beside the store worker', () => {
  const fixtures: StoreFixture[] = [];
  const fixture = (): StoreFixture => {
    const f = new StoreFixture(true);
    fixtures.push(f);
    return f;
  };
  afterEach(async () => {
    for (const f of fixtures.splice(0)) await f.cleanup();
  });

  it.each(['FULL', 'NORMAL'] as const)('keeps the WAL small and loses nothing (%s)', async (synchronous) => {
    const fx = fixture();
    const store = fx.open({ synchronous, checkpointEveryOps: 200, walForceFrames: 64 });
    const ids = await writeBatches(store, 40, 100, true);
    const stats = store.checkpointStats();
    expect(stats).toBeDefined();
    expect(stats!.checkpoints).toBeGreaterThan(0);
    // Under a steady stream of commits the background checkpoints never catch up: the WAL restarts by the forced ones.
    expect(stats!.forced).toBeGreaterThan(0);
    const wal = statSync(`${fx.path}-wal`).size;
    await store.close();

    const again = fx.open();
    for (const id of [ids[0]!, ids[2000]!, ids[ids.length - 1]!]) expect((await again.get(id))?.parts[0]?.smscMessageId).toBe(`s${id}`);
    expect(again.stats().unfinished).toBe(ids.length);
    await again.close();

    // The same writes with no checkpoint: SQLite's own autocheckpoint is off in the worker, so the WAL holds them all.
    // (NORMAL commits outpace the checkpoint thread's fsyncs in this tight loop, so only FULL's WAL is compared.)
    if (synchronous === 'NORMAL') return;
    const fx2 = fixture();
    const never = fx2.open({ synchronous, checkpointEveryOps: Number.MAX_SAFE_INTEGER });
    await writeBatches(never, 40, 100, true);
    expect(never.checkpointStats()!.checkpoints).toBe(0);
    expect(wal * 2).toBeLessThan(statSync(`${fx2.path}-wal`).size);
  });
});
