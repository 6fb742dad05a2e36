/**
 * SQLite tables of the MO / partner-HTTP side (mo_parts, mo_delivery, api_idempotency, api_messages), on the same
 * database file as the message store. Preferred: the store's own connection AND committer (`SqliteMessageStore.shared()`),
 * so MO writes ride the store's transactions and its single off-thread fsync. Otherwise a second connection on the file
 * (WAL allows one writer at a time; busy_timeout makes the other wait) with a GroupCommitter of its own: one transaction
 * (one fsync with synchronous=FULL, on the main thread) per event-loop turn.
 */
import Database from 'better-sqlite3';
import { GroupCommitter } from './group-commit';

export const MO_DDL = `
CREATE TABLE IF NOT EXISTS mo_parts (
  group_key    TEXT    NOT NULL,
  seq          INTEGER NOT NULL,
  part_id      TEXT    NOT NULL,
  connector_id TEXT    NOT NULL,
  src          TEXT    NOT NULL,
  dst          TEXT    NOT NULL,
  src_ton      INTEGER NOT NULL,
  src_npi      INTEGER NOT NULL,
  dst_ton      INTEGER NOT NULL,
  dst_npi      INTEGER NOT NULL,
  ref_kind     TEXT    NOT NULL,
  ref          INTEGER NOT NULL,
  total        INTEGER NOT NULL,
  payload      BLOB    NOT NULL,
  data_coding  INTEGER NOT NULL,
  received_at  INTEGER NOT NULL,
  PRIMARY KEY (group_key, seq)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS mo_delivery (
  mo_id       INTEGER PRIMARY KEY,
  partner_id  TEXT    NOT NULL,
  service_id  TEXT    NOT NULL,
  state       TEXT    NOT NULL,
  attempts    INTEGER NOT NULL,
  last_error  TEXT,
  queued_at   INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS mo_delivery_partner ON mo_delivery (state, partner_id, mo_id);

CREATE TABLE IF NOT EXISTS api_idempotency (
  partner_id  TEXT    NOT NULL,
  key         TEXT    NOT NULL,
  message_id  TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (partner_id, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS api_idempotency_age ON api_idempotency (created_at);

CREATE TABLE IF NOT EXISTS api_messages (
  message_id   INTEGER PRIMARY KEY,
  partner_id   TEXT    NOT NULL,
  callback_url TEXT,
  mo_ref       TEXT,
  created_at   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS api_messages_mo ON api_messages (mo_ref) WHERE mo_ref IS NOT NULL;
`;

export interface MoDb {
  readonly db: Database.Database;
  readonly committer: GroupCommitter;
  /** Flushes queued writes; closes the connection when this module opened it. */
  close(): void;
}

export interface MoDbOptions {
  /** An open handle (the message store's) or a file path to open a second connection on. */
  database: Database.Database | string;
  /** The committer that owns `database` (the message store's): MO writes join its transactions; close() leaves it. */
  committer?: GroupCommitter;
  synchronous?: 'FULL' | 'NORMAL';
  maxBatch?: number;
  maxDelayMs?: number;
}

export function openMoDb(opts: MoDbOptions): MoDb {
  const owned = typeof opts.database === 'string';
  const db = typeof opts.database === 'string' ? new Database(opts.database) : opts.database;
  if (owned) {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
    db.pragma('busy_timeout = 5000');
  }
  db.exec(MO_DDL);
  if (opts.committer !== undefined && !owned) {
    const shared = opts.committer;
    // The store flushes and closes its committer and connection itself.
    return { db, committer: shared, close: () => undefined };
  }
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
  return {
    db,
    committer,
    close() {
      committer.flush();
      if (owned) db.close();
    },
  };
}
