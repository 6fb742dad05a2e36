/**
 * Token bucket for submits per second. rate 0 = unlimited. The default burst is a tenth of a second's worth (at
 * least one), so a connector spreads its submits instead of spending a whole second's budget at once; a partner
 * limit uses a whole second (burstSeconds 1).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private capacity: number;

  constructor(
    private rate: number,
    now: number,
    private readonly burstSeconds = 0.1,
  ) {
    this.capacity = this.capacityFor(rate);
    this.tokens = this.capacity;
    this.last = now;
  }

  private capacityFor(rate: number): number {
    return rate <= 0 ? Infinity : Math.max(1, Math.ceil(rate * this.burstSeconds));
  }

  get unlimited(): boolean {
    return this.rate <= 0;
  }

  setRate(rate: number, now: number): void {
    this.refill(now);
    this.rate = rate;
    this.capacity = this.capacityFor(rate);
    if (this.tokens > this.capacity) this.tokens = this.capacity;
  }

  private refill(now: number): void {
    if (this.rate <= 0) return;
    const dt = now - this.last;
    if (dt > 0) {
      this.tokens = Math.min(this.capacity, this.tokens + (dt * this.rate) / 1000);
      this.last = now;
    }
  }

  /** Takes one token if there is one. */
  take(now: number): boolean {
    if (this.rate <= 0) return true;
    this.refill(now);
    // The epsilon absorbs float error from many small refills (0.1 token per ms would otherwise lose one a second).
    if (this.tokens >= 1 - 1e-9) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Milliseconds until the next token (0 when one is available). */
  waitMs(now: number): number {
    if (this.rate <= 0) return 0;
    this.refill(now);
    return this.tokens >= 1 - 1e-9 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.rate);
  }
}
