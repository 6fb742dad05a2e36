import { CommitLanes, type LaneBatch } from '../../../gateway/store/sqlite/commit-lanes';

interface B extends LaneBatch {
  id: number;
  next?: B;
}

/** A batch of `n` ops of one field each. */
const batch = (id: number, n: number, first = false): B => {
  const b: B = { id, ops: Array.from({ length: n }, () => 'op') };
  if (first) b.first = true;
  return b;
};
const ids = (bs: readonly B[]): number[] => bs.map((b) => b.id);

describe('CommitLanes', () => {
  const limits = { fields: 1, maxCycleOps: 100, mergeRestOps: 10 };

  it('commits the first lane before the rest that was posted earlier, and the rest in posting order', () => {
    const lanes = new CommitLanes<B>(limits);
    lanes.take(batch(1, 50));
    lanes.take(batch(2, 50));
    lanes.take(batch(3, 5, true));
    expect(lanes.firstWaiting).toBe(true);
    const a = lanes.nextCycle();
    expect(ids(a.batches)).toEqual([3]);
    expect(a.preemptible).toBe(false);
    const b = lanes.nextCycle();
    expect(ids(b.batches)).toEqual([1, 2]);
    expect(b.preemptible).toBe(true);
    expect(lanes.empty).toBe(true);
    expect(lanes.nextCycle().batches).toEqual([]);
  });

  it('takes the rest carried by a first-lane batch, and lets a small rest ride in the first lane cycle', () => {
    const lanes = new CommitLanes<B>(limits);
    const f = batch(2, 3, true);
    f.next = batch(3, 4);
    lanes.take(batch(1, 4));
    lanes.take(f);
    // rest = 1 (4 ops) + 3 (4 ops) = 8 ops <= 10: one cycle, first lane first
    expect(ids(lanes.nextCycle().batches)).toEqual([2, 1, 3]);
    expect(lanes.empty).toBe(true);
  });

  it('keeps a large rest for a cycle of its own', () => {
    const lanes = new CommitLanes<B>(limits);
    const f = batch(2, 3, true);
    f.next = batch(3, 40);
    lanes.take(f);
    expect(ids(lanes.nextCycle().batches)).toEqual([2]);
    expect(ids(lanes.nextCycle().batches)).toEqual([3]);
  });

  it('bounds a cycle by maxCycleOps, but always takes at least one batch', () => {
    const lanes = new CommitLanes<B>(limits);
    lanes.take(batch(1, 60));
    lanes.take(batch(2, 60));
    lanes.take(batch(3, 250));
    expect(ids(lanes.nextCycle().batches)).toEqual([1]);
    expect(ids(lanes.nextCycle().batches)).toEqual([2]);
    expect(ids(lanes.nextCycle().batches)).toEqual([3]);
    for (let i = 10; i < 13; i++) lanes.take(batch(i, 60, true));
    expect(ids(lanes.nextCycle().batches)).toEqual([10]);
  });

  it('puts the batches of a cut-short cycle back ahead of later ones, in order', () => {
    const lanes = new CommitLanes<B>(limits);
    for (let i = 1; i <= 4; i++) lanes.take(batch(i, 20));
    const c = lanes.nextCycle();
    expect(ids(c.batches)).toEqual([1, 2, 3, 4]);
    lanes.take(batch(5, 20));
    lanes.putBack(c.batches.slice(2));
    lanes.take(batch(6, 1, true));
    expect(ids(lanes.nextCycle().batches)).toEqual([6]);
    expect(ids(lanes.nextCycle().batches)).toEqual([3, 4, 5]);
  });
});
