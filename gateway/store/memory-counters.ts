import type { Clock, Counters } from '../../routing/ports';

/**
 * Sliding-window counters in memory (one node). Each key keeps BUCKETS buckets spanning its window, so a total is
 * exact to within one bucket (windowMs / BUCKETS) of the window's edge. Keys idle for longer than their window are
 * dropped by a sweep once the map grows past `maxKeys`, and the least recently created keys go first if it is still
 * full: memory stays bounded however many distinct keys the traffic brings.
 */
const BUCKETS = 10;

interface Window {
  windowMs: number;
  bucketMs: number;
  /** Index (time / bucketMs) of the newest bucket. */
  head: number;
  counts: Float64Array;
  total: number;
  lastAt: number;
}

export class MemoryCounters implements Counters {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly clock: Clock,
    private readonly maxKeys = 100_000,
  ) {}

  add(key: string, by: number, windowMs: number): Promise<number> {
    return Promise.resolve(this.addSync(key, by, windowMs));
  }

  get(key: string, windowMs: number): Promise<number> {
    return Promise.resolve(this.getSync(key, windowMs));
  }

  /** Synchronous form for callers on a hot path that do not want a promise per call. */
  addSync(key: string, by: number, windowMs: number): number {
    const now = this.clock.now();
    let w = this.windows.get(key);
    if (w === undefined || w.windowMs !== windowMs) {
      if (w === undefined && this.windows.size >= this.maxKeys) this.evict(now);
      const bucketMs = Math.max(1, Math.ceil(windowMs / BUCKETS));
      w = { windowMs, bucketMs, head: Math.floor(now / bucketMs), counts: new Float64Array(BUCKETS), total: 0, lastAt: now };
      this.windows.set(key, w);
    }
    advance(w, now);
    w.counts[w.head % BUCKETS]! += by;
    w.total += by;
    w.lastAt = now;
    return w.total;
  }

  getSync(key: string, windowMs: number): number {
    const w = this.windows.get(key);
    if (w === undefined || w.windowMs !== windowMs) return 0;
    advance(w, this.clock.now());
    return w.total;
  }

  get size(): number {
    return this.windows.size;
  }

  private evict(now: number): void {
    for (const [k, w] of this.windows) if (now - w.lastAt >= w.windowMs) this.windows.delete(k);
    // Still full: drop the oldest-inserted keys (Map iterates in insertion order).
    const excess = this.windows.size - Math.floor(this.maxKeys * 0.9);
    if (excess > 0) {
      let n = 0;
      for (const k of this.windows.keys()) {
        if (n++ >= excess) break;
        this.windows.delete(k);
      }
    }
  }
}

/** Moves the window to `now`, zeroing the buckets that fell out of it. */
function advance(w: Window, now: number): void {
  const idx = Math.floor(now / w.bucketMs);
  const steps = idx - w.head;
  if (steps <= 0) return;
  if (steps >= BUCKETS) {
    w.counts.fill(0);
    w.total = 0;
  } else {
    for (let i = 1; i <= steps; i++) {
      const b = (w.head + i) % BUCKETS;
      w.total -= w.counts[b]!;
      w.counts[b] = 0;
    }
  }
  w.head = idx;
}
