/**
 * SQLite schema of the message store. Ids are INTEGER PRIMARY KEY (the rowid: no extra index); message ids are
 * their decimal strings. Every index is a cost on the write path, so there are only three: unfinished messages
 * (resume, oldest-unfinished age; a row leaves it when final) and the two (connector, normalised SMSC id) lookups for
 * receipts. Purge walks the rowid order instead of an index, since ids grow with creation time.
 */

/** SQL list of unfinished states; keep the literal identical in index and queries so SQLite uses the partial index. */
export const UNFINISHED_SQL = "('accepted','routed','submitted')";
export const FINAL_SQL = "('delivered','undeliverable','expired','rejected')";

export const SCHEMA_VERSION = 2;

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
  done_at             INTEGER
);

CREATE INDEX IF NOT EXISTS messages_open ON messages(direction, id) WHERE open = 1;
CREATE INDEX IF NOT EXISTS messages_by_smsc_id ON messages(smsc_connector_id, smsc_id_norm) WHERE smsc_id_norm IS NOT NULL;

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
  PRIMARY KEY (message_id, seq)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS parts_by_smsc_id ON message_parts(connector_id, smsc_id_norm) WHERE smsc_id_norm IS NOT NULL;

-- part_seq 0 = one receipt for the whole message.
CREATE TABLE IF NOT EXISTS owed_receipts (
  message_id   INTEGER NOT NULL,
  part_seq     INTEGER NOT NULL,
  partner_id   TEXT    NOT NULL,
  outcome      TEXT    NOT NULL,
  error_code   TEXT,
  done_at      INTEGER NOT NULL,
  submitted_at INTEGER NOT NULL,
  partner_ref  TEXT,
  src_addr     TEXT    NOT NULL,
  src_ton      INTEGER NOT NULL,
  src_npi      INTEGER NOT NULL,
  dst_addr     TEXT    NOT NULL,
  dst_ton      INTEGER NOT NULL,
  dst_npi      INTEGER NOT NULL,
  PRIMARY KEY (message_id, part_seq)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS owed_by_partner ON owed_receipts(partner_id, message_id);
`;
