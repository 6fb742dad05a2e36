/**
 * Concurrency limit with a bounded wait queue: `acquire` resolves when a slot is free, or rejects with
 * WindowFullError when `maxQueued` callers are already waiting (the caller keeps the work in the store instead).
 */
import { WindowFullError } from '../../protocols/wire/errors';

export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private head = 0;

  constructor(readonly limit: number, readonly maxQueued: number) {}

  get inUse(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length - this.head;
  }

  /** Takes a free slot now, without a promise; false when none is free (then `acquire`). */
  tryAcquire(): boolean {
    if (this.active < this.limit && this.queued === 0) {
      this.active++;
      return true;
    }
    return false;
  }

  acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    if (this.queued >= this.maxQueued) return Promise.reject(new WindowFullError('partner concurrency queue full'));
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head]!;
      this.waiting[this.head++] = noop;
      // Compact now and then instead of shift() per release.
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      next(); // the slot passes straight to the next waiter
      return;
    }
    this.active--;
  }
}

function noop(): void {}
