import type Database from 'better-sqlite3';
import { INSERT_MESSAGE_SQL, INSERT_PART_SQL } from './row-mapping';
import { UNFINISHED_SQL } from './schema-sql';

export type Stmt = Database.Statement<unknown[], unknown>;

const RECEIPT_SET = 'receipt_outcome = ?, receipt_error = ?, receipt_at = ?, done_at = ?';
/** Parameters: flag (NULL: nothing owed; else 1 message, 2 part 1), outcome, flag again, error, done_at. */
const OWED_SET = `receipt_owed = COALESCE(?, receipt_owed), owed_outcome = COALESCE(?, owed_outcome),
  owed_error = CASE WHEN ? IS NULL THEN owed_error ELSE ? END, owed_done_at = COALESCE(?, owed_done_at)`;
/** Parameters: SMSC id (NULL: unchanged), its normalised form, SMSC id again, connector (NULL: the message's). */
const SMSC_SET = `smsc_id = COALESCE(?, smsc_id), smsc_id_norm = COALESCE(?, smsc_id_norm),
  smsc_connector_id = CASE WHEN ? IS NULL THEN smsc_connector_id ELSE COALESCE(?, connector_id) END`;
const OWED_COLS = 'partner_id, partner_ref, src_addr, src_ton, src_npi, dst_addr, dst_ton, dst_npi, created_at AS submitted_at';

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

    // Receipts on the inline part. Each also takes an SMSC id (NULL: unchanged), so the submit_sm_resp's write and
    // the receipt's collapse into one UPDATE when both are queued in the same commit (see SqliteMessageStore), and
    // the owed receipt (flag NULL: none owed), so owing it costs no statement of its own.
    inlineFinalOpen: p(`UPDATE messages SET part_state = ?, state = ?, open = NULL, updated_at = ?, ${RECEIPT_SET},
      ${OWED_SET}, ${SMSC_SET} WHERE id = ? AND parts_inline = 1 AND open = 1`),
    inlineFinalClosed: p(`UPDATE messages SET part_state = ?, updated_at = ?, ${RECEIPT_SET}, ${OWED_SET}, ${SMSC_SET}
      WHERE id = ? AND parts_inline = 1`),
    inlineInterim: p(`UPDATE messages SET part_state = COALESCE(?, part_state), ${RECEIPT_SET}, ${SMSC_SET}
      WHERE id = ? AND parts_inline = 1`),
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

    owedMsg: p(`UPDATE messages SET receipt_owed = ?, owed_outcome = ?, owed_error = ?, owed_done_at = ? WHERE id = ?`),
    owedPart: p(`UPDATE message_parts SET owed = 1, owed_outcome = ?, owed_error = ?, owed_done_at = ?
      WHERE message_id = ? AND seq = ?`),
    forwardedMsg: p('UPDATE messages SET receipt_owed = 0 WHERE id = ? AND receipt_owed = ?'),
    forwardedPart: p('UPDATE message_parts SET owed = NULL WHERE message_id = ? AND seq = ? AND owed = 1'),

    getMsg: p('SELECT * FROM messages WHERE id = ?'),
    getParts: p('SELECT message_id, seq, body, udhi, smsc_id, state, owed FROM message_parts WHERE message_id = ? ORDER BY seq'),
    bySmscInline: p(`SELECT id FROM messages WHERE smsc_connector_id = ? AND smsc_id_norm = ? ORDER BY id DESC LIMIT 1`).pluck(),
    bySmscParts: p(`SELECT message_id, seq FROM message_parts WHERE connector_id = ? AND smsc_id_norm = ?
      ORDER BY message_id DESC LIMIT 1`),
    unfinished: p('SELECT * FROM messages WHERE direction = ? AND open = 1 AND id > ? ORDER BY id LIMIT ?'),
    owedList: p(`SELECT id AS message_id, CASE receipt_owed WHEN 2 THEN 1 ELSE 0 END AS part_seq, ${OWED_COLS},
        owed_outcome AS outcome, owed_error AS error_code, owed_done_at AS done_at
      FROM messages WHERE partner_id = ? AND receipt_owed <> 0
      UNION ALL
      SELECT m.id AS message_id, p.seq AS part_seq, ${OWED_COLS.replace(/(^|, )/g, '$1m.')},
        p.owed_outcome AS outcome, p.owed_error AS error_code, p.owed_done_at AS done_at
      FROM message_parts p JOIN messages m ON m.id = p.message_id WHERE p.owed = 1 AND m.partner_id = ?
      ORDER BY message_id, part_seq LIMIT ?`),
    purgeScan: p('SELECT id, state, created_at, updated_at FROM messages WHERE id > ? ORDER BY id LIMIT ?').raw(),
    delParts: p('DELETE FROM message_parts WHERE message_id = ?'),
    delMsg: p('DELETE FROM messages WHERE id = ?'),
    hwmSet: p("INSERT OR REPLACE INTO meta (key, value) VALUES ('id_high_water', ?)"),
    oldest: p(`SELECT
      (SELECT created_at FROM messages WHERE direction = 'mt' AND open = 1 ORDER BY id LIMIT 1),
      (SELECT created_at FROM messages WHERE direction = 'mo' AND open = 1 ORDER BY id LIMIT 1)`).raw(),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
