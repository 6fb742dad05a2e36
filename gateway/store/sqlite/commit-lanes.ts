/**
 * The store worker's two queues of posted batches and the order it commits them in (store-worker.ts). No I/O: the
 * worker takes batches in, asks for the next cycle's batches, and puts back the ones a cut-short cycle did not run.
 *
 * - First lane: batches of writeFirst ops (new messages, which a partner's acknowledgement waits on). A cycle of
 *   them always comes before the other batches that are waiting.
 * - The rest, in posting order. When the rest is small it rides in the first lane's transaction instead of costing a
 *   commit (and a sync) of its own; when it is large its cycle may be cut short between two batches as soon as a
 *   first-lane batch arrives, so a new message waits for one batch of receipts at most, not a whole cycle.
 */
export interface LaneBatch {
  /** Flat ops, `fields` entries each. */
  ops: readonly unknown[];
  first?: true;
  /** The rest's batch of the same flush, carried by the first-lane batch. */
  next?: LaneBatch;
}

export interface LaneLimits {
  /** Entries per op in `ops`. */
  fields: number;
  /** Ops one cycle takes at most (a single larger batch still goes whole). */
  maxCycleOps: number;
  /** The rest joins the first lane's cycle when it holds at most this many ops. */
  mergeRestOps: number;
}

export class CommitLanes<B extends LaneBatch> {
  private readonly first: B[] = [];
  private readonly rest: B[] = [];

  constructor(private readonly limits: LaneLimits) {}

  get empty(): boolean {
    return this.first.length === 0 && this.rest.length === 0;
  }

  /** True while a first-lane batch waits: a running cycle of the rest should stop at its next batch boundary. */
  get firstWaiting(): boolean {
    return this.first.length > 0;
  }

  take(b: B): void {
    if (b.first !== true) {
      this.rest.push(b);
      return;
    }
    this.first.push(b);
    if (b.next !== undefined) this.rest.push(b.next as B);
  }

  /** The next cycle's batches: the first lane's if any wait (with a small rest), else the rest's. Empty when idle. */
  nextCycle(): { batches: B[]; preemptible: boolean } {
    if (this.first.length > 0) {
      const batches: B[] = [];
      const ops = this.takeUpTo(this.first, batches, 0);
      if (this.first.length === 0 && this.rest.length > 0 && this.opsOf(this.rest) <= this.limits.mergeRestOps) this.takeUpTo(this.rest, batches, ops);
      return { batches, preemptible: false };
    }
    const batches: B[] = [];
    if (this.rest.length > 0) this.takeUpTo(this.rest, batches, 0);
    return { batches, preemptible: true };
  }

  /** Batches of a cycle that stopped early, back at the front of the rest, in their order. */
  putBack(batches: readonly B[]): void {
    this.rest.unshift(...batches);
  }

  private takeUpTo(from: B[], into: B[], opsSoFar: number): number {
    const f = this.limits.fields;
    let n = 0;
    let ops = opsSoFar;
    while (n < from.length && (n === 0 || ops + from[n]!.ops.length / f <= this.limits.maxCycleOps)) ops += from[n++]!.ops.length / f;
    for (const b of from.splice(0, n)) into.push(b);
    return ops;
  }

  private opsOf(batches: readonly B[]): number {
    let ops = 0;
    for (const b of batches) ops += b.ops.length / this.limits.fields;
    return ops;
  }
}
