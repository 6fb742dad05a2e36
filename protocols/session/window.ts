import type { Clock, TimerHandle } from '../wire/clock';
import { TimeoutError, WindowFullError } from '../wire/errors';
import { IntTable } from './int-table';

interface Slot<T> {
  readonly key: number;
  /** What the caller attached to the request (SMPP: the response command_id it expects). */
  readonly tag: number;
  deadline: number;
  resolve: (v: T) => void;
  reject: (e: Error) => void;
}

/**
 * Bounded table of requests awaiting a response, keyed by sequence number / TRN / packet number.
 * One sweep timer serves the whole window (no timer per request), so a window of 1,000 costs one timer.
 */
export class Window<T> {
  private readonly slots: IntTable<Slot<T>>;
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;

  constructor(
    readonly capacity: number,
    private readonly clock: Clock,
    private readonly onTimeout?: (key: number) => void,
  ) {
    this.slots = new IntTable<Slot<T>>(capacity);
  }

  get size(): number {
    return this.slots.size;
  }

  get isFull(): boolean {
    return this.slots.size >= this.capacity;
  }

  has(key: number): boolean {
    return this.slots.has(key);
  }

  /** The tag the request `key` was added with; undefined when it is not in flight. */
  tagOf(key: number): number | undefined {
    return this.slots.get(key)?.tag;
  }

  /** Reserves a slot; throws WindowFullError when full. The key must not be in use. */
  add(key: number, timeoutMs: number, tag = 0): Promise<T> {
    if (this.slots.size >= this.capacity) throw new WindowFullError(`window of ${this.capacity} is full`);
    if (this.slots.has(key)) throw new WindowFullError(`key ${key} is still in flight`);
    return new Promise<T>((resolve, reject) => {
      const deadline = this.clock.now() + timeoutMs;
      this.slots.add({ key, tag, deadline, resolve, reject });
      if (deadline < this.timerAt) this.arm(deadline);
    });
  }

  /** Completes a request; false if the key was not in flight (late or unknown response). */
  resolve(key: number, value: T): boolean {
    const s = this.slots.get(key);
    if (!s) return false;
    this.slots.delete(key);
    s.resolve(value);
    this.maybeDisarm();
    return true;
  }

  reject(key: number, err: Error): boolean {
    const s = this.slots.get(key);
    if (!s) return false;
    this.slots.delete(key);
    s.reject(err);
    this.maybeDisarm();
    return true;
  }

  /** Fails everything in flight (connection lost). */
  rejectAll(err: Error): void {
    const all = this.slots.values();
    this.slots.clear();
    this.disarm();
    for (const s of all) s.reject(err);
  }

  /** Resolves when the window is empty (used by unbind/logout to drain). */
  async drained(): Promise<void> {
    while (this.slots.size > 0) {
      const pending = this.slots.values().map(
        (s) => new Promise<void>((r) => {
          const { resolve, reject } = s;
          s.resolve = (v) => {
            resolve(v);
            r();
          };
          s.reject = (e) => {
            reject(e);
            r();
          };
        }),
      );
      await Promise.all(pending);
    }
  }

  private arm(at: number): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.clock.setTimeout(() => this.sweep(), Math.max(0, at - this.clock.now()));
  }

  private disarm(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private maybeDisarm(): void {
    if (this.slots.size === 0) this.disarm();
  }

  private sweep(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    let next = Infinity;
    const expired: Slot<T>[] = [];
    for (const s of this.slots.values()) {
      if (s.deadline <= now) expired.push(s);
      else if (s.deadline < next) next = s.deadline;
    }
    for (const s of expired) {
      this.slots.delete(s.key);
      this.onTimeout?.(s.key);
      s.reject(new TimeoutError(`no response to request ${s.key} in time`));
    }
    if (next !== Infinity) this.arm(next);
  }
}
