import type { Receipt } from '../../protocols/session/receipt';
import type { Clock, TimerHandle } from '../../protocols/wire/clock';

export interface ParkedReceipt {
  connectorId: string;
  smscIdNorm: string;
  receipt: Receipt;
  ack: (ok: boolean) => void;
  parkedAt: number;
}

/**
 * Receipts that arrived before the submit_sm_resp carrying their id (an SMSC may send the receipt first). Parked
 * for `holdMs`; `claim` hands one over when the id shows up; `onExpire` gets the ones that never matched. Bounded:
 * beyond `max` the oldest is expired at once. One sweep timer for all of them.
 */
export class EarlyReceipts {
  private readonly parked = new Map<string, ParkedReceipt>();
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly holdMs: number,
    private readonly max: number,
    private readonly onExpire: (p: ParkedReceipt) => void,
  ) {}

  get size(): number {
    return this.parked.size;
  }

  private static key(connectorId: string, smscIdNorm: string): string {
    return connectorId + '\u0000' + smscIdNorm;
  }

  park(p: ParkedReceipt): void {
    const key = EarlyReceipts.key(p.connectorId, p.smscIdNorm);
    const prev = this.parked.get(key);
    if (prev) {
      this.parked.delete(key);
      this.onExpire(prev);
    }
    this.parked.set(key, p);
    if (this.parked.size > this.max) {
      const first = this.parked.entries().next();
      if (!first.done) {
        this.parked.delete(first.value[0]);
        this.onExpire(first.value[1]);
      }
    }
    this.arm();
  }

  /** Cheap when nothing is parked (the common case on the submit_sm_resp hot path). */
  claim(connectorId: string, smscIdNorm: string): ParkedReceipt | undefined {
    if (this.parked.size === 0) return undefined;
    const key = EarlyReceipts.key(connectorId, smscIdNorm);
    const p = this.parked.get(key);
    if (p) this.parked.delete(key);
    return p;
  }

  /** Expires everything now (shutdown). */
  flush(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const all = [...this.parked.values()];
    this.parked.clear();
    for (const p of all) this.onExpire(p);
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.sweep();
    }, this.holdMs);
  }

  private sweep(): void {
    const cutoff = this.clock.now() - this.holdMs;
    for (const [key, p] of this.parked) {
      if (p.parkedAt > cutoff) break; // insertion order = age order
      this.parked.delete(key);
      this.onExpire(p);
    }
    if (this.parked.size > 0) this.arm();
  }
}
