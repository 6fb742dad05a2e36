/**
 * The MO / partner-HTTP tables (mo-ops.ts), on the same database file as the message store. The MO stores queue named
 * operations on `MoDb.ops` and never touch a connection, because the connection may live in the store's worker thread.
 *
 * Preferred: the message store's own ops (`SqliteMessageStore.shared()`), so MO writes ride the store's transactions
 * and its single fsync. Otherwise a second connection on the file (WAL allows one writer at a time; busy_timeout makes
 * the other wait) with a GroupCommitter of its own: one transaction (one fsync with synchronous=FULL, on the main
 * thread) per event-loop turn.
 */
import Database from 'better-sqlite3';
import { StoreError } from '../store-error';
import { GroupCommitter } from './group-commit';
import { createMoOps } from './mo-ops';
import { LocalOpCommitter, type OpCommitter } from './op-committer';

export { MO_DDL } from './mo-ops';

export interface MoDb {
  /** Runs the `mo.*` operations of mo-ops.ts. */
  readonly ops: OpCommitter;
  /** Commits queued writes and closes the connection when this module opened it; a shared committer is left alone. */
  close(): void;
}

export type MoDbOptions =
  | {
      /** The message store's ops (`SqliteMessageStore.shared()`): its table holds the MO ops; the store closes it. */
      committer: OpCommitter;
    }
  | {
      /** File path (or ':memory:') to open a connection of its own on. */
      database: string;
      synchronous?: 'FULL' | 'NORMAL';
      maxBatch?: number;
      maxDelayMs?: number;
    };

export function openMoDb(opts: MoDbOptions): MoDb {
  if ('committer' in opts) {
    const shared = opts.committer;
    // The store flushes and closes its committer and connection itself.
    return { ops: shared, close: () => undefined };
  }
  const db = new Database(opts.database);
  let ops: LocalOpCommitter;
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
    db.pragma('busy_timeout = 5000');
    const begin = db.prepare('BEGIN IMMEDIATE');
    const commit = db.prepare('COMMIT');
    const rollback = db.prepare('ROLLBACK');
    const committer = new GroupCommitter({
      maxBatch: opts.maxBatch ?? 2000,
      maxDelayMs: opts.maxDelayMs ?? 0,
      runTransaction: (body) => {
        // BEGIN IMMEDIATE takes the write lock up front, so a second connection waits on busy_timeout, not mid-batch.
        begin.run();
        try {
          body();
          commit.run();
        } catch (e) {
          if (db.inTransaction) rollback.run();
          throw e;
        }
      },
    });
    ops = new LocalOpCommitter(committer, createMoOps(db));
  } catch (err) {
    db.close();
    throw err;
  }
  return {
    ops,
    close() {
      // Commits what is queued (synchronously: no sync step here), then refuses further ops with a StoreError.
      void ops.close(new StoreError('MO database is closed'));
      db.close();
    },
  };
}
