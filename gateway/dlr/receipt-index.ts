import type { Message } from '../../routing/message';

/** Where a receipt belongs: the message (kept in memory while its receipt is pending) and the part. */
export interface IndexedPart {
  msg: Message;
  seq: number;
}

/** One (connector, id) entry: in its bucket's chain and in the list of all entries from oldest to newest. */
interface Entry {
  connector: number;
  key: string;
  ref: IndexedPart | undefined;
  /** Next entry of the same bucket. */
  next: Entry | undefined;
  older: Entry | undefined;
  newer: Entry | undefined;
}

/** Entries kept for reuse once removed: enough for the ids that come and go between two receipts at full speed. */
const POOL_MAX = 4096;

/**
 * (connector, normalised SMSC id) -> part, for receipts that come back while the message is still in memory.
 * Bounded: past `maxEntries` the oldest entries are dropped (their receipts fall back to store.findBySmscId).
 *
 * A hash table of its own rather than a Map: ids are added and removed tens of thousands of times a second, and a
 * Map rebuilds its table as they churn. A replaced table that had reached the old generation still points at the
 * young entries it held, so the young-generation GC kept them, and the messages they point to, alive and then
 * promoted them, until the next full GC. With a Map here, scavenges took twice as long. Here the bucket array is
 * allocated once, entries are reused, and a removed entry is cleared so that it holds nothing.
 */
export class ReceiptIndex {
  private readonly buckets: (Entry | undefined)[];
  private readonly mask: number;
  private readonly connectors = new Map<string, number>();
  private oldest: Entry | undefined;
  private newest: Entry | undefined;
  private readonly pool: Entry[] = [];
  private total = 0;
  private evicted = 0;

  /** `buckets`: rounded up to a power of two; by default about maxEntries (at most 2^18). */
  constructor(
    private readonly maxEntries: number,
    buckets = Math.min(maxEntries, 1 << 18),
  ) {
    let n = 16;
    while (n < buckets) n *= 2;
    this.buckets = new Array<Entry | undefined>(n).fill(undefined);
    this.mask = n - 1;
  }

  get size(): number {
    return this.total;
  }

  get evictions(): number {
    return this.evicted;
  }

  set(connectorId: string, smscIdNorm: string, ref: IndexedPart): void {
    const c = this.connectorNo(connectorId);
    const b = bucketOf(c, smscIdNorm) & this.mask;
    const found = this.find(b, c, smscIdNorm);
    if (found !== undefined) {
      // Same id again (a resubmission): the newer message wins, and counts as the newest entry.
      found.ref = ref;
      this.unlinkOrder(found);
      this.linkNewest(found);
      return;
    }
    const e = this.pool.pop() ?? { connector: 0, key: '', ref: undefined, next: undefined, older: undefined, newer: undefined };
    e.connector = c;
    e.key = smscIdNorm;
    e.ref = ref;
    e.next = this.buckets[b];
    this.buckets[b] = e;
    this.linkNewest(e);
    this.total++;
    if (this.total > this.maxEntries && this.oldest !== undefined) {
      this.remove(this.oldest);
      this.evicted++;
    }
  }

  get(connectorId: string, smscIdNorm: string): IndexedPart | undefined {
    const c = this.connectors.get(connectorId);
    if (c === undefined) return undefined;
    return this.find(bucketOf(c, smscIdNorm) & this.mask, c, smscIdNorm)?.ref;
  }

  delete(connectorId: string, smscIdNorm: string): void {
    const c = this.connectors.get(connectorId);
    if (c === undefined) return;
    const e = this.find(bucketOf(c, smscIdNorm) & this.mask, c, smscIdNorm);
    if (e !== undefined) this.remove(e);
  }

  private connectorNo(connectorId: string): number {
    let c = this.connectors.get(connectorId);
    if (c === undefined) {
      c = this.connectors.size + 1;
      this.connectors.set(connectorId, c);
    }
    return c;
  }

  private find(b: number, c: number, key: string): Entry | undefined {
    for (let e = this.buckets[b]; e !== undefined; e = e.next) if (e.connector === c && e.key === key) return e;
    return undefined;
  }

  private remove(e: Entry): void {
    const b = bucketOf(e.connector, e.key) & this.mask;
    let prev: Entry | undefined;
    for (let x = this.buckets[b]; x !== undefined; prev = x, x = x.next) {
      if (x !== e) continue;
      if (prev === undefined) this.buckets[b] = e.next;
      else prev.next = e.next;
      break;
    }
    this.unlinkOrder(e);
    this.total--;
    e.key = '';
    e.ref = undefined;
    e.next = undefined;
    if (this.pool.length < POOL_MAX) this.pool.push(e);
  }

  private linkNewest(e: Entry): void {
    e.older = this.newest;
    e.newer = undefined;
    if (this.newest !== undefined) this.newest.newer = e;
    else this.oldest = e;
    this.newest = e;
  }

  private unlinkOrder(e: Entry): void {
    if (e.older !== undefined) e.older.newer = e.newer;
    else this.oldest = e.newer;
    if (e.newer !== undefined) e.newer.older = e.older;
    else this.newest = e.older;
    e.older = undefined;
    e.newer = undefined;
  }
}

/** FNV-1a over the id's UTF-16 code units, seeded with the connector's number. */
function bucketOf(connector: number, key: string): number {
  let h = (0x811c9dc5 ^ connector) >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
