import type { MessageId } from '../../../routing/message';
import type { MoDeliveryRecord, MoDeliveryState, MoDeliveryStore } from '../../../routing/mo-ports';
import type { MoDb } from './mo-db';

interface Row {
  mo_id: number;
  partner_id: string;
  service_id: string;
  state: string;
  attempts: number;
  last_error: string | null;
  queued_at: number;
  updated_at: number;
}

function fromRow(r: Row): MoDeliveryRecord {
  const rec: MoDeliveryRecord = {
    moId: String(r.mo_id),
    partnerId: r.partner_id,
    serviceId: r.service_id,
    state: r.state as MoDeliveryState,
    attempts: r.attempts,
    queuedAt: r.queued_at,
    updatedAt: r.updated_at,
  };
  if (r.last_error !== null) rec.lastError = r.last_error;
  return rec;
}

export class SqliteMoDeliveryStore implements MoDeliveryStore {
  private readonly upsert;
  private readonly del;
  private readonly one;
  private readonly list4;
  private readonly listState;
  private readonly listPartner;
  private readonly listAll;

  constructor(private readonly mo: MoDb) {
    const db = mo.db;
    this.upsert = db.prepare(
      `INSERT INTO mo_delivery (mo_id, partner_id, service_id, state, attempts, last_error, queued_at, updated_at)
       VALUES (?,?,?,?,?,?,?,?)
       ON CONFLICT(mo_id) DO UPDATE SET partner_id=excluded.partner_id, service_id=excluded.service_id, state=excluded.state,
         attempts=excluded.attempts, last_error=excluded.last_error, updated_at=excluded.updated_at`,
    );
    this.del = db.prepare('DELETE FROM mo_delivery WHERE mo_id = ?');
    this.one = db.prepare('SELECT * FROM mo_delivery WHERE mo_id = ?');
    this.list4 = db.prepare('SELECT * FROM mo_delivery WHERE state = ? AND partner_id = ? AND mo_id > ? ORDER BY mo_id LIMIT ?');
    this.listState = db.prepare('SELECT * FROM mo_delivery WHERE state = ? AND mo_id > ? ORDER BY mo_id LIMIT ?');
    this.listPartner = db.prepare('SELECT * FROM mo_delivery WHERE partner_id = ? AND mo_id > ? ORDER BY mo_id LIMIT ?');
    this.listAll = db.prepare('SELECT * FROM mo_delivery WHERE mo_id > ? ORDER BY mo_id LIMIT ?');
  }

  put(rec: MoDeliveryRecord): Promise<void> {
    return this.mo.committer.write((r) => {
      const x = r as MoDeliveryRecord;
      this.upsert.run(Number(x.moId), x.partnerId, x.serviceId, x.state, x.attempts, x.lastError ?? null, x.queuedAt, x.updatedAt);
    }, rec);
  }

  remove(moId: MessageId): Promise<void> {
    return this.mo.committer.write((id) => this.del.run(id), Number(moId));
  }

  get(moId: MessageId): Promise<MoDeliveryRecord | undefined> {
    return this.mo.committer.read(() => {
      const r = this.one.get(Number(moId)) as Row | undefined;
      return r ? fromRow(r) : undefined;
    });
  }

  list(f: { state?: MoDeliveryState; partnerId?: string; limit: number; afterMoId?: MessageId }): Promise<MoDeliveryRecord[]> {
    const after = f.afterMoId === undefined ? -1 : Number(f.afterMoId);
    return this.mo.committer.read(() => {
      let rows: unknown[];
      if (f.state !== undefined && f.partnerId !== undefined) rows = this.list4.all(f.state, f.partnerId, after, f.limit);
      else if (f.state !== undefined) rows = this.listState.all(f.state, after, f.limit);
      else if (f.partnerId !== undefined) rows = this.listPartner.all(f.partnerId, after, f.limit);
      else rows = this.listAll.all(after, f.limit);
      return (rows as Row[]).map(fromRow);
    });
  }
}
