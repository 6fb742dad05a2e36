/**
 * Entries keyed by small-ish integers (sequence numbers, TRNs, packet numbers) that come and go all the time. A Map
 * rebuilds its hash table as keys are added and deleted, and at tens of thousands of requests a second those
 * tables were a sixth of what outlived the young generation. Here a fixed array indexed by `key & mask` holds an
 * entry whose slot is free, and a Map takes the rare collisions; nothing is reallocated while keys churn.
 * Iteration order is the array's, then the overflow's, not insertion order.
 */
export class IntTable<V extends { readonly key: number }> {
  private readonly slots: (V | undefined)[];
  private readonly mask: number;
  private readonly overflow = new Map<number, V>();
  private count = 0;

  /** `expected`: how many entries are usually present at once (the array gets at least twice that, at most 65,536). */
  constructor(expected: number) {
    let n = 16;
    while (n < expected * 2 && n < 65_536) n *= 2;
    this.slots = new Array<V | undefined>(n).fill(undefined);
    this.mask = n - 1;
  }

  get size(): number {
    return this.count;
  }

  get(key: number): V | undefined {
    const s = this.slots[key & this.mask];
    if (s !== undefined && s.key === key) return s;
    return this.overflow.size === 0 ? undefined : this.overflow.get(key);
  }

  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  /** Adds `v` under `v.key`, which must not be present. */
  add(v: V): void {
    const i = v.key & this.mask;
    if (this.slots[i] === undefined) this.slots[i] = v;
    else this.overflow.set(v.key, v);
    this.count++;
  }

  delete(key: number): boolean {
    const i = key & this.mask;
    const s = this.slots[i];
    if (s !== undefined && s.key === key) {
      this.slots[i] = undefined;
      this.count--;
      return true;
    }
    if (this.overflow.size > 0 && this.overflow.delete(key)) {
      this.count--;
      return true;
    }
    return false;
  }

  clear(): void {
    if (this.count === 0) return;
    this.slots.fill(undefined);
    this.overflow.clear();
    this.count = 0;
  }

  /** A snapshot of the entries. */
  values(): V[] {
    const out: V[] = [];
    if (this.count === 0) return out;
    for (const s of this.slots) if (s !== undefined) out.push(s);
    for (const s of this.overflow.values()) out.push(s);
    return out;
  }
}
