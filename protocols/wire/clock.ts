/** Time source injected into sessions so that tests run on fake time. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: number;
}

class RealHandle implements TimerHandle {
  constructor(readonly id: number, readonly t: NodeJS.Timeout) {}
}

let realIds = 0;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    // Timers never keep the process alive on their own: sockets and servers do.
    t.unref();
    return new RealHandle(++realIds, t);
  },
  clearTimeout(h) {
    if (h instanceof RealHandle) clearTimeout(h.t);
  },
};

interface FakeTimer {
  id: number;
  at: number;
  fn: () => void;
}

/** Deterministic clock for tests: time moves only through `advance`. */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private timers = new Map<number, FakeTimer>();

  constructor(start = 1_700_000_000_000) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { id, at: this.t + Math.max(0, ms), fn });
    return { id };
  }

  clearTimeout(h: TimerHandle): void {
    this.timers.delete(h.id);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing due timers in deadline order (ties by creation order). */
  advance(ms: number): void {
    const target = this.t + ms;
    for (let guard = 0; guard < 1_000_000; guard++) {
      let next: FakeTimer | undefined;
      for (const tm of this.timers.values()) {
        if (tm.at <= target && (!next || tm.at < next.at || (tm.at === next.at && tm.id < next.id))) next = tm;
      }
      if (!next) break;
      this.timers.delete(next.id);
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = target;
  }
}
