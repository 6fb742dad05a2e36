import type Database from 'better-sqlite3';
import type { StoreError } from '../store-error';
import type { BatchingOpCommitter } from './batching';
import type { GroupCommitStats, GroupCommitter, OpFn } from './group-commit';

/**
 * Store operations by name. The connection may live on the main thread or in the store's worker thread, so callers
 * never hold statements or closures over the database: they queue a named operation with plain arguments, and the
 * thread that owns the connection runs it inside the current group-commit transaction.
 *
 * Arguments and results must survive a structured clone: numbers, strings, null/undefined, plain objects and
 * arrays, and bytes. A Buffer arrives on the other thread as a plain Uint8Array (better-sqlite3 binds either):
 * results that must be Buffers are wrapped with `asBuffer` by the caller.
 */
export type OpTable = Readonly<Record<string, OpFn>>;

/** Prepares the statements of one group of tables on an open connection and returns its operations. */
export type OpFactory = (db: Database.Database) => OpTable;

export interface OpCommitter {
  /** Queues a write; resolves once the transaction holding it is committed (and durable in durable mode). */
  write(op: string, a?: unknown, b?: unknown, c?: unknown): Promise<void>;
  /** Queues a read; it runs after every op queued before it, in the same transaction, and resolves with its result. */
  read<T>(op: string, a?: unknown, b?: unknown, c?: unknown): Promise<T>;
}

/** Runs named ops on a connection of this thread through a GroupCommitter. */
export class LocalOpCommitter implements BatchingOpCommitter {
  constructor(
    readonly committer: GroupCommitter,
    private readonly table: OpTable,
  ) {}

  get generation(): number {
    return this.committer.generation;
  }

  get depth(): number {
    return this.committer.depth;
  }

  get queued(): number {
    return this.committer.depth;
  }

  get unposted(): number {
    return this.committer.depth;
  }

  get stats(): Readonly<GroupCommitStats> {
    return this.committer.stats;
  }

  stillFoldable(generation: number, position: number): boolean {
    return this.committer.stillFoldable(generation, position);
  }

  flush(): void {
    this.committer.flush();
  }

  close(error: StoreError): Promise<void> {
    return this.committer.close(error);
  }

  write(op: string, a?: unknown, b?: unknown, c?: unknown): Promise<void> {
    return this.committer.write(this.fn(op), a, b, c);
  }

  /** On this thread there is one transaction per turn: the write simply joins it. */
  writeFirst(op: string, a?: unknown, b?: unknown, c?: unknown): Promise<void> {
    return this.committer.write(this.fn(op), a, b, c);
  }

  read<T>(op: string, a?: unknown, b?: unknown, c?: unknown): Promise<T> {
    return this.committer.read<T>(this.fn(op), a, b, c);
  }

  private fn(op: string): OpFn {
    const f = this.table[op];
    if (f === undefined) throw new TypeError(`unknown store operation '${op}'`);
    return f;
  }
}

/** A Buffer view of bytes that may have crossed a thread as a plain Uint8Array (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
