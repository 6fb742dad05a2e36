import type { StoreError } from '../store-error';
import type { GroupCommitStats } from './group-commit';
import type { OpCommitter } from './op-committer';

/**
 * What the message store needs of its committer beyond queuing ops: batch identity for folding a queued write into
 * a later one of the same batch (see SqliteMessageStore.recordReceipt), flushing, closing and counters. Implemented
 * in-process (LocalOpCommitter over a GroupCommitter) and over the store worker (WorkerOpCommitter).
 */
export interface BatchingOpCommitter extends OpCommitter {
  /** Which batch the next op joins; it changes when the current one is flushed. */
  readonly generation: number;
  /** Ops queued or committing. */
  readonly depth: number;
  /** Ops queued for the next batch (position of the next op within it). */
  readonly queued: number;
  readonly stats: Readonly<GroupCommitStats>;
  /** True while the write queued at `position` in `generation` has not run and no read was queued after it. */
  stillFoldable(generation: number, position: number): boolean;
  flush(): void;
  close(error: StoreError): Promise<void>;
}
