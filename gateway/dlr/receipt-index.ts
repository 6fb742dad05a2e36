import type { Message } from '../../routing/message';

/** Where a receipt belongs: the message (kept in memory while its receipt is pending) and the part. */
export interface IndexedPart {
  msg: Message;
  seq: number;
}

/**
 * (connector, normalised SMSC id) -> part, for receipts that come back while the message is still in memory.
 * Bounded: past `maxEntries` the oldest entries are dropped (their receipts fall back to store.findBySmscId).
 */
export class ReceiptIndex {
  private readonly byConnector = new Map<string, Map<string, IndexedPart>>();
  private total = 0;
  private evicted = 0;

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.total;
  }

  get evictions(): number {
    return this.evicted;
  }

  private mapFor(connectorId: string): Map<string, IndexedPart> {
    let m = this.byConnector.get(connectorId);
    if (!m) {
      m = new Map();
      this.byConnector.set(connectorId, m);
    }
    return m;
  }

  set(connectorId: string, smscIdNorm: string, ref: IndexedPart): void {
    const m = this.mapFor(connectorId);
    if (!m.has(smscIdNorm)) this.total++;
    m.set(smscIdNorm, ref);
    if (this.total > this.maxEntries) this.evictOne(m);
  }

  get(connectorId: string, smscIdNorm: string): IndexedPart | undefined {
    return this.byConnector.get(connectorId)?.get(smscIdNorm);
  }

  delete(connectorId: string, smscIdNorm: string): void {
    const m = this.byConnector.get(connectorId);
    if (m && m.delete(smscIdNorm)) this.total--;
  }

  /** Maps iterate in insertion order, so the first key is the oldest entry. */
  private evictOne(preferred: Map<string, IndexedPart>): void {
    let m = preferred;
    if (m.size === 0) {
      for (const other of this.byConnector.values()) if (other.size > 0) m = other;
    }
    const first = m.keys().next();
    if (!first.done) {
      m.delete(first.value);
      this.total--;
      this.evicted++;
    }
  }
}
