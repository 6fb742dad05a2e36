import type { StoreError } from '../store-error';
import type { GroupCommitStats } from './group-commit';
import type { OpCommitter } from './op-committer';

/**
 * What the message store needs of its committer beyond queuing ops: batch identity for folding a queued write into
 * a later one of the same batch (see SqliteMessageStore.recordReceipt), flushing, closing and counters. Implemented
 * in-process (LocalOpCommitter over a GroupCommitter) and over the store worker (WorkerOpCommitter).
 */
export interface BatchingOpCommitter extends OpCommitter {
  /**
   * A write that a caller waits on before acknowledging (a new message): like `write`, but committed ahead of the
   * ops queued with `write` and `read`, in a transaction of its own where the committer can, so an acknowledgement
   * does not wait for receipts and status updates. Only for ops that no earlier-queued op depends on not having run.
   */
  writeFirst(op: string, a?: unknown, b?: unknown, c?: unknown): Promise<void>;
  /** Which batch the next op joins; it changes when the current one is flushed. */
  readonly generation: number;
  /** Ops queued or committing. */
  readonly depth: number;
  /** Ops queued with write/read for the next batch (position of the next op within it). */
  readonly queued: number;
  /** Ops queued in either lane and not yet handed to the thread that runs them. */
  readonly unposted: number;
  readonly stats: Readonly<GroupCommitStats>;
  /** True while the write queued at `position` in `generation` has not run and no read was queued after it. */
  stillFoldable(generation: number, position: number): boolean;
  flush(): void;
  close(error: StoreError): Promise<void>;
}
