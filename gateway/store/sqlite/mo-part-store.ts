import type { MoPartStore } from '../../../routing/mo-ports';
import type { MoPartInput, RefKind } from '../../../routing/mo-reassembly';
import type { MoDb } from './mo-db';

interface PartRow {
  seq: number;
  part_id: string;
  connector_id: string;
  src: string;
  dst: string;
  src_ton: number;
  src_npi: number;
  dst_ton: number;
  dst_npi: number;
  ref_kind: string;
  ref: number;
  total: number;
  payload: Buffer;
  data_coding: number;
  received_at: number;
}

export class SqliteMoPartStore implements MoPartStore {
  private readonly ins;
  private readonly del;
  private readonly all;

  constructor(private readonly mo: MoDb) {
    const db = mo.db;
    this.ins = db.prepare(
      `INSERT OR IGNORE INTO mo_parts (group_key, seq, part_id, connector_id, src, dst, src_ton, src_npi, dst_ton, dst_npi,
         ref_kind, ref, total, payload, data_coding, received_at)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    this.del = db.prepare('DELETE FROM mo_parts WHERE group_key = ?');
    this.all = db.prepare('SELECT * FROM mo_parts ORDER BY received_at, group_key, seq');
  }

  save(groupKey: string, p: MoPartInput): Promise<void> {
    return this.mo.committer.write(
      (k, part) => {
        const q = part as MoPartInput;
        this.ins.run(k, q.seq, q.partId, q.connectorId, q.source, q.destination, q.sourceTon, q.sourceNpi, q.destTon, q.destNpi,
          q.refKind, q.ref, q.total, q.payload, q.dataCoding, q.receivedAt);
      },
      groupKey,
      p,
    );
  }

  deleteGroup(groupKey: string): Promise<void> {
    return this.mo.committer.write((k) => this.del.run(k), groupKey);
  }

  loadAll(): Promise<MoPartInput[]> {
    return this.mo.committer.read(() =>
      (this.all.all() as PartRow[]).map((r) => ({
        partId: r.part_id,
        connectorId: r.connector_id,
        source: r.src,
        destination: r.dst,
        sourceTon: r.src_ton,
        sourceNpi: r.src_npi,
        destTon: r.dst_ton,
        destNpi: r.dst_npi,
        refKind: r.ref_kind as RefKind,
        ref: r.ref,
        total: r.total,
        seq: r.seq,
        payload: r.payload,
        dataCoding: r.data_coding,
        receivedAt: r.received_at,
      })),
    );
  }
}
