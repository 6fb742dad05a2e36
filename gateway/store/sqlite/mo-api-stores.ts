/** Send-API tables: idempotency keys (24 h) and per-message callback URL / MO link. */
import type { MessageId } from '../../../routing/message';
import type { ApiMessageRecord, ApiMessageStore, IdempotencyRecord, IdempotencyStore } from '../../../routing/mo-ports';
import type { MoDb } from './mo-db';

interface IdemRow {
  partner_id: string;
  key: string;
  message_id: string;
  created_at: number;
}

export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly sel;
  private readonly upsert;
  private readonly del;
  private readonly purgeStmt;

  constructor(private readonly mo: MoDb) {
    const db = mo.db;
    this.sel = db.prepare('SELECT * FROM api_idempotency WHERE partner_id = ? AND key = ?');
    this.upsert = db.prepare(
      `INSERT INTO api_idempotency (partner_id, key, message_id, created_at) VALUES (?,?,?,?)
       ON CONFLICT(partner_id, key) DO UPDATE SET message_id=excluded.message_id, created_at=excluded.created_at`,
    );
    this.del = db.prepare('DELETE FROM api_idempotency WHERE partner_id = ? AND key = ?');
    this.purgeStmt = db.prepare('DELETE FROM api_idempotency WHERE created_at < ?');
  }

  claim(rec: IdempotencyRecord, ttlMs: number): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyRecord }> {
    // Check and insert in the same transaction: a read op runs inside the batch after every write queued before it.
    return this.mo.committer.read((r) => {
      const x = r as IdempotencyRecord;
      const row = this.sel.get(x.partnerId, x.key) as IdemRow | undefined;
      if (row && row.created_at > x.createdAt - ttlMs) {
        return { claimed: false, existing: { partnerId: row.partner_id, key: row.key, messageId: row.message_id, createdAt: row.created_at } };
      }
      this.upsert.run(x.partnerId, x.key, x.messageId, x.createdAt);
      return { claimed: true };
    }, rec);
  }

  release(partnerId: string, key: string): Promise<void> {
    return this.mo.committer.write((p, k) => this.del.run(p, k), partnerId, key);
  }

  purge(before: number): Promise<number> {
    return this.mo.committer.read((b) => this.purgeStmt.run(b).changes, before);
  }
}

interface ApiRow {
  message_id: number;
  partner_id: string;
  callback_url: string | null;
  mo_ref: string | null;
  created_at: number;
}

function fromApiRow(r: ApiRow): ApiMessageRecord {
  const rec: ApiMessageRecord = { messageId: String(r.message_id), partnerId: r.partner_id, createdAt: r.created_at };
  if (r.callback_url !== null) rec.callbackUrl = r.callback_url;
  if (r.mo_ref !== null) rec.moRef = r.mo_ref;
  return rec;
}

export class SqliteApiMessageStore implements ApiMessageStore {
  private readonly ins;
  private readonly one;
  private readonly byMo;

  constructor(private readonly mo: MoDb) {
    const db = mo.db;
    this.ins = db.prepare(
      'INSERT OR REPLACE INTO api_messages (message_id, partner_id, callback_url, mo_ref, created_at) VALUES (?,?,?,?,?)',
    );
    this.one = db.prepare('SELECT * FROM api_messages WHERE message_id = ?');
    this.byMo = db.prepare('SELECT * FROM api_messages WHERE mo_ref = ? ORDER BY message_id');
  }

  put(rec: ApiMessageRecord): Promise<void> {
    return this.mo.committer.write((r) => {
      const x = r as ApiMessageRecord;
      this.ins.run(Number(x.messageId), x.partnerId, x.callbackUrl ?? null, x.moRef ?? null, x.createdAt);
    }, rec);
  }

  get(messageId: MessageId): Promise<ApiMessageRecord | undefined> {
    return this.mo.committer.read((id) => {
      const r = this.one.get(id) as ApiRow | undefined;
      return r ? fromApiRow(r) : undefined;
    }, Number(messageId));
  }

  byMoRef(moId: MessageId): Promise<ApiMessageRecord[]> {
    return this.mo.committer.read((id) => (this.byMo.all(id) as ApiRow[]).map(fromApiRow), moId);
  }
}
