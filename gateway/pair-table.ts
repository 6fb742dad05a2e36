/** One entry: in its bucket's chain and in the list of all entries from oldest to newest. */
interface Entry<V> {
  n: number;
  s: string;
  value: V | undefined;
  /** Next entry of the same bucket. */
  next: Entry<V> | undefined;
  older: Entry<V> | undefined;
  newer: Entry<V> | undefined;
}

/** Removed entries kept for reuse: enough for the keys that come and go between two lookups at full speed. */
const POOL_MAX = 4096;

/**
 * A map keyed by (number, string) for keys that come and go at the message rate: SMSC ids waiting for their
 * receipt, receipts in flight to a partner. A Map rebuilds its table as keys churn, and a replaced table that had
 * reached the old generation still points at the young entries it held, so the young-generation GC kept those (and
 * the messages they point to) alive and promoted them, until the next full GC. Here the bucket array is allocated
 * once, entries are reused, and a removed entry is cleared so that it holds nothing. Entries also form a list in
 * insertion order (a key set again counts as new), for callers that drop the oldest.
 */
export class PairTable<V> {
  private readonly buckets: (Entry<V> | undefined)[];
  private readonly mask: number;
  private oldestEntry: Entry<V> | undefined;
  private newest: Entry<V> | undefined;
  private readonly pool: Entry<V>[] = [];
  private count = 0;

  /** `buckets`: rounded up to a power of two. */
  constructor(buckets: number) {
    let n = 16;
    while (n < buckets) n *= 2;
    this.buckets = new Array<Entry<V> | undefined>(n).fill(undefined);
    this.mask = n - 1;
  }

  get size(): number {
    return this.count;
  }

  get(n: number, s: string): V | undefined {
    return this.find(hashOf(n, s) & this.mask, n, s)?.value;
  }

  has(n: number, s: string): boolean {
    return this.find(hashOf(n, s) & this.mask, n, s) !== undefined;
  }

  /** Adds or replaces; either way the key becomes the newest. */
  set(n: number, s: string, value: V): void {
    const b = hashOf(n, s) & this.mask;
    const found = this.find(b, n, s);
    if (found !== undefined) {
      found.value = value;
      this.unlinkOrder(found);
      this.linkNewest(found);
      return;
    }
    const e = this.pool.pop() ?? { n: 0, s: '', value: undefined, next: undefined, older: undefined, newer: undefined };
    e.n = n;
    e.s = s;
    e.value = value;
    e.next = this.buckets[b];
    this.buckets[b] = e;
    this.linkNewest(e);
    this.count++;
  }

  delete(n: number, s: string): boolean {
    const e = this.find(hashOf(n, s) & this.mask, n, s);
    if (e === undefined) return false;
    this.remove(e);
    return true;
  }

  /** Removes the oldest entry; false when empty. */
  deleteOldest(): boolean {
    if (this.oldestEntry === undefined) return false;
    this.remove(this.oldestEntry);
    return true;
  }

  private find(b: number, n: number, s: string): Entry<V> | undefined {
    for (let e = this.buckets[b]; e !== undefined; e = e.next) if (e.n === n && e.s === s) return e;
    return undefined;
  }

  private remove(e: Entry<V>): void {
    const b = hashOf(e.n, e.s) & this.mask;
    let prev: Entry<V> | undefined;
    for (let x = this.buckets[b]; x !== undefined; prev = x, x = x.next) {
      if (x !== e) continue;
      if (prev === undefined) this.buckets[b] = e.next;
      else prev.next = e.next;
      break;
    }
    this.unlinkOrder(e);
    this.count--;
    e.s = '';
    e.value = undefined;
    e.next = undefined;
    if (this.pool.length < POOL_MAX) this.pool.push(e);
  }

  private linkNewest(e: Entry<V>): void {
    e.older = this.newest;
    e.newer = undefined;
    if (this.newest !== undefined) this.newest.newer = e;
    else this.oldestEntry = e;
    this.newest = e;
  }

  private unlinkOrder(e: Entry<V>): void {
    if (e.older !== undefined) e.older.newer = e.newer;
    else this.oldestEntry = e.newer;
    if (e.newer !== undefined) e.newer.older = e.older;
    else this.newest = e.older;
    e.older = undefined;
    e.newer = undefined;
  }
}

/** FNV-1a over the string's UTF-16 code units, seeded with the number. */
function hashOf(n: number, s: string): number {
  let h = (0x811c9dc5 ^ n) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
