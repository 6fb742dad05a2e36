/**
 * SQLite schema of the message store. Ids are INTEGER PRIMARY KEY (the rowid: no extra index); message ids are
 * their decimal strings. Every index is a cost on the write path, so each is partial and small: unfinished messages
 * (resume, oldest-unfinished age; a row leaves it when final), the two (connector, normalised SMSC id) lookups for
 * receipts, and receipts owed to partners. Purge walks the rowid order instead of an index, since ids grow with
 * creation time.
 *
 * A receipt owed to a partner is a flag and three columns on the row it is about (the message, or one part of a
 * multi-part message when the partner takes one receipt per part): everything else a receipt carries is in the
 * message row already. Owing and forwarding are then one column write each, in the UPDATE the receipt makes anyway.
 */

/** SQL list of unfinished states; keep the literal identical in index and queries so SQLite uses the partial index. */
export const UNFINISHED_SQL = "('accepted','routed','submitted')";
export const FINAL_SQL = "('delivered','undeliverable','expired','rejected')";

export const SCHEMA_VERSION = 3;

export const DDL = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS messages (
  id                  INTEGER PRIMARY KEY,
  direction           TEXT    NOT NULL,
  partner_id          TEXT,
  partner_ref         TEXT,
  connector_id        TEXT,
  route_id            TEXT,
  src_addr            TEXT    NOT NULL,
  src_ton             INTEGER NOT NULL,
  src_npi             INTEGER NOT NULL,
  dst_addr            TEXT    NOT NULL,
  dst_ton             INTEGER NOT NULL,
  dst_npi             INTEGER NOT NULL,
  data_coding         INTEGER NOT NULL,
  esm_class           INTEGER NOT NULL,
  protocol_id         INTEGER NOT NULL,
  priority            INTEGER NOT NULL,
  registered_delivery INTEGER NOT NULL,
  body                BLOB    NOT NULL,
  concat_ref          INTEGER,
  concat_total        INTEGER,
  concat_seq          INTEGER,
  state               TEXT    NOT NULL,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  valid_until         INTEGER NOT NULL,
  attempts            INTEGER NOT NULL DEFAULT 0,
  next_attempt_at     INTEGER,
  possible_duplicate  INTEGER NOT NULL DEFAULT 0,
  last_error          TEXT,
  -- 0: nothing owed; 1: the message's receipt is owed to the partner; 2: part 1's receipt (a single-part
  -- message whose partner takes receipts per part). owed_* hold what that receipt says.
  receipt_owed        INTEGER NOT NULL DEFAULT 0,
  extras              TEXT,
  -- 1 while the state is unfinished, NULL once final. The unfinished index keys on this column rather than on
  -- state, so accepted -> routed -> submitted updates leave the index alone; only the final transition touches it.
  open                INTEGER,
  -- A single-part message whose part is the whole body keeps its part in these columns (parts_inline = 1) and
  -- has no message_parts row: half the rows and writes for the common case.
  parts_inline        INTEGER NOT NULL DEFAULT 0,
  part_udhi           INTEGER,
  part_state          TEXT,
  smsc_id             TEXT,
  smsc_id_norm        TEXT,
  smsc_connector_id   TEXT,
  receipt_outcome     TEXT,
  receipt_error       TEXT,
  receipt_at          INTEGER,
  done_at             INTEGER,
  owed_outcome        TEXT,
  owed_error          TEXT,
  owed_done_at        INTEGER
);

CREATE INDEX IF NOT EXISTS messages_open ON messages(direction, id) WHERE open = 1;
CREATE INDEX IF NOT EXISTS messages_by_smsc_id ON messages(smsc_connector_id, smsc_id_norm) WHERE smsc_id_norm IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_owed ON messages(partner_id, id) WHERE receipt_owed <> 0;

-- Parts of multi-part messages; body is NULL when it is the whole message body (no second copy of the bytes).
CREATE TABLE IF NOT EXISTS message_parts (
  message_id      INTEGER NOT NULL,
  seq             INTEGER NOT NULL,
  body            BLOB,
  udhi            INTEGER NOT NULL,
  smsc_id         TEXT,
  smsc_id_norm    TEXT,
  connector_id    TEXT,
  state           TEXT    NOT NULL,
  receipt_outcome TEXT,
  receipt_error   TEXT,
  receipt_at      INTEGER,
  done_at         INTEGER,
  -- 1 while this part's receipt is owed to the partner (per-part receipts), else NULL.
  owed            INTEGER,
  owed_outcome    TEXT,
  owed_error      TEXT,
  owed_done_at    INTEGER,
  PRIMARY KEY (message_id, seq)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS parts_by_smsc_id ON message_parts(connector_id, smsc_id_norm) WHERE smsc_id_norm IS NOT NULL;
CREATE INDEX IF NOT EXISTS parts_owed ON message_parts(message_id, seq) WHERE owed = 1;

`;

/**
 * Schema 2 -> 3: receipts owed to partners move from the owed_receipts table into flags and columns of the rows
 * they are about. Runs in one transaction before DDL, which then adds the new indexes.
 */
export const MIGRATE_2_TO_3 = `
ALTER TABLE messages ADD COLUMN owed_outcome TEXT;
ALTER TABLE messages ADD COLUMN owed_error TEXT;
ALTER TABLE messages ADD COLUMN owed_done_at INTEGER;
ALTER TABLE message_parts ADD COLUMN owed INTEGER;
ALTER TABLE message_parts ADD COLUMN owed_outcome TEXT;
ALTER TABLE message_parts ADD COLUMN owed_error TEXT;
ALTER TABLE message_parts ADD COLUMN owed_done_at INTEGER;
UPDATE messages SET receipt_owed = 0 WHERE receipt_owed <> 0;
UPDATE messages SET receipt_owed = 1, owed_outcome = o.outcome, owed_error = o.error_code, owed_done_at = o.done_at
  FROM owed_receipts o WHERE o.message_id = messages.id AND o.part_seq = 0;
UPDATE messages SET receipt_owed = 2, owed_outcome = o.outcome, owed_error = o.error_code, owed_done_at = o.done_at
  FROM owed_receipts o WHERE o.message_id = messages.id AND o.part_seq = 1 AND messages.parts_inline = 1;
UPDATE message_parts SET owed = 1, owed_outcome = o.outcome, owed_error = o.error_code, owed_done_at = o.done_at
  FROM owed_receipts o WHERE o.message_id = message_parts.message_id AND o.part_seq = message_parts.seq;
DROP TABLE owed_receipts;
UPDATE meta SET value = '3' WHERE key = 'schema_version';
`;
