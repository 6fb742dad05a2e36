import type Database from 'better-sqlite3';
import { INSERT_MESSAGE_SQL, INSERT_PART_SQL } from './row-mapping';
import { UNFINISHED_SQL } from './schema-sql';

export type Stmt = Database.Statement<unknown[], unknown>;

/**
 * Every statement of the store, prepared once. "inline" statements address the part kept in the messages row of a
 * single-part message; the others the message_parts rows of multi-part messages.
 */
export function prepareStatements(db: Database.Database) {
  const p = (sql: string): Stmt => db.prepare(sql);
  return {
    insertMsg: p(INSERT_MESSAGE_SQL),
    insertPart: p(INSERT_PART_SQL),
    stateOf: p('SELECT state FROM messages WHERE id = ?').pluck(),

    inlineSmsc: p(`UPDATE messages SET smsc_id = ?, smsc_id_norm = ?, smsc_connector_id = COALESCE(?, connector_id),
      part_state = COALESCE(?, part_state) WHERE id = ? AND parts_inline = 1`),
    inlineState: p('UPDATE messages SET part_state = ? WHERE id = ? AND parts_inline = 1'),
    partSmsc: p(`UPDATE message_parts SET smsc_id = ?, smsc_id_norm = ?,
      connector_id = COALESCE(?, (SELECT connector_id FROM messages WHERE id = ?)), state = COALESCE(?, state)
      WHERE message_id = ? AND seq = ?`),
    partState: p('UPDATE message_parts SET state = ? WHERE message_id = ? AND seq = ?'),

    inlineReceiptFinal: p(`UPDATE messages SET part_state = ?,
      state = CASE WHEN open = 1 THEN ? ELSE state END, open = NULL, updated_at = ?,
      receipt_outcome = ?, receipt_error = ?, receipt_at = ?, done_at = ?, receipt_owed = max(receipt_owed, ?)
      WHERE id = ? AND parts_inline = 1`),
    inlineReceipt: p(`UPDATE messages SET receipt_outcome = ?, receipt_error = ?, receipt_at = ?, done_at = ?,
      receipt_owed = max(receipt_owed, ?) WHERE id = ? AND parts_inline = 1`),
    partReceipt: p(`UPDATE message_parts SET receipt_outcome = ?, receipt_error = ?, receipt_at = ?, done_at = ?
      WHERE message_id = ? AND seq = ?`),
    partReceiptFinal: p(`UPDATE message_parts SET state = ?, receipt_outcome = ?, receipt_error = ?, receipt_at = ?,
      done_at = ? WHERE message_id = ? AND seq = ?`),
    // A multi-part message becomes final once every part is: delivered if all were, else the first part's failure.
    rollup: p(`UPDATE messages SET open = NULL, updated_at = ?, state = COALESCE((SELECT state FROM message_parts
        WHERE message_id = ? AND state <> 'delivered' ORDER BY seq LIMIT 1), 'delivered')
      WHERE id = ? AND open = 1
        AND NOT EXISTS (SELECT 1 FROM message_parts WHERE message_id = ? AND state IN ${UNFINISHED_SQL})`),
    msgFinalDirect: p('UPDATE messages SET state = ?, open = NULL, updated_at = ? WHERE id = ? AND open = 1'),

    owedInsert: p(`INSERT OR REPLACE INTO owed_receipts (message_id, part_seq, partner_id, outcome, error_code, done_at,
      submitted_at, partner_ref, src_addr, src_ton, src_npi, dst_addr, dst_ton, dst_npi)
      VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`),
    owedFlag: p('UPDATE messages SET receipt_owed = 1 WHERE id = ? AND receipt_owed = 0'),
    owedDeleteOne: p('DELETE FROM owed_receipts WHERE message_id = ? AND part_seq = ?'),
    owedDeleteAll: p('DELETE FROM owed_receipts WHERE message_id = ?'),
    owedClear: p(`UPDATE messages SET receipt_owed = 0 WHERE id = ? AND receipt_owed <> 0
      AND NOT EXISTS (SELECT 1 FROM owed_receipts WHERE message_id = ?)`),

    getMsg: p('SELECT * FROM messages WHERE id = ?'),
    getParts: p('SELECT message_id, seq, body, udhi, smsc_id, state FROM message_parts WHERE message_id = ? ORDER BY seq'),
    bySmscInline: p(`SELECT id FROM messages WHERE smsc_connector_id = ? AND smsc_id_norm = ? ORDER BY id DESC LIMIT 1`).pluck(),
    bySmscParts: p(`SELECT message_id, seq FROM message_parts WHERE connector_id = ? AND smsc_id_norm = ?
      ORDER BY message_id DESC LIMIT 1`),
    unfinished: p('SELECT * FROM messages WHERE direction = ? AND open = 1 AND id > ? ORDER BY id LIMIT ?'),
    owedList: p('SELECT * FROM owed_receipts WHERE partner_id = ? ORDER BY message_id, part_seq LIMIT ?'),
    purgeScan: p('SELECT id, state, created_at, updated_at FROM messages WHERE id > ? ORDER BY id LIMIT ?').raw(),
    delParts: p('DELETE FROM message_parts WHERE message_id = ?'),
    delOwed: p('DELETE FROM owed_receipts WHERE message_id = ?'),
    delMsg: p('DELETE FROM messages WHERE id = ?'),
    hwmSet: p("INSERT OR REPLACE INTO meta (key, value) VALUES ('id_high_water', ?)"),
    oldest: p(`SELECT
      (SELECT created_at FROM messages WHERE direction = 'mt' AND open = 1 ORDER BY id LIMIT 1),
      (SELECT created_at FROM messages WHERE direction = 'mo' AND open = 1 ORDER BY id LIMIT 1)`).raw(),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
