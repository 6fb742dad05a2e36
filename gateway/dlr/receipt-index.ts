import type { Message } from '../../routing/message';
import { PairTable } from '../pair-table';

/** Where a receipt belongs: the message (kept in memory while its receipt is pending) and the part. */
export interface IndexedPart {
  msg: Message;
  seq: number;
}

/**
 * (connector, normalised SMSC id) -> part, for receipts that come back while the message is still in memory.
 * Bounded: past `maxEntries` the oldest entries, of any connector, are dropped (their receipts fall back to
 * store.findBySmscId). Ids churn at the message rate, so this is a PairTable, not a Map (see pair-table.ts).
 */
export class ReceiptIndex {
  private readonly table: PairTable<IndexedPart>;
  private readonly connectors = new Map<string, number>();
  private evicted = 0;

  /** `buckets`: by default about maxEntries (at most 2^18). */
  constructor(
    private readonly maxEntries: number,
    buckets = Math.min(maxEntries, 1 << 18),
  ) {
    this.table = new PairTable(buckets);
  }

  get size(): number {
    return this.table.size;
  }

  get evictions(): number {
    return this.evicted;
  }

  /** A resubmitted id: the newer message wins, and counts as the newest entry. */
  set(connectorId: string, smscIdNorm: string, ref: IndexedPart): void {
    let c = this.connectors.get(connectorId);
    if (c === undefined) {
      c = this.connectors.size + 1;
      this.connectors.set(connectorId, c);
    }
    this.table.set(c, smscIdNorm, ref);
    if (this.table.size > this.maxEntries && this.table.deleteOldest()) this.evicted++;
  }

  get(connectorId: string, smscIdNorm: string): IndexedPart | undefined {
    const c = this.connectors.get(connectorId);
    return c === undefined ? undefined : this.table.get(c, smscIdNorm);
  }

  delete(connectorId: string, smscIdNorm: string): void {
    const c = this.connectors.get(connectorId);
    if (c !== undefined) this.table.delete(c, smscIdNorm);
  }
}
