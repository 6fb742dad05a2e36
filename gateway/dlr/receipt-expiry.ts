import type { Clock } from '../../protocols/wire/clock';
import type { MessageStore } from '../../routing/ports';
import type { RuntimeObserver } from '../binders/observer';
import type { FailureSink } from '../binders/dispatcher';

/**
 * Submitted parts whose receipt never comes would stay unfinished for ever. Periodically the oldest unfinished MTs
 * are read and every submitted part past its validity plus `graceMs` ends as expired (a negative receipt is owed
 * like for any failure). Parts not yet submitted are left to the dispatcher, which checks validity itself.
 */
export class ReceiptExpiry {
  private running = false;

  constructor(
    private readonly store: MessageStore,
    private readonly clock: Clock,
    private readonly sink: FailureSink,
    private readonly obs: RuntimeObserver,
    private readonly graceMs: number,
    private readonly batch: number,
  ) {}

  /** One pass over the oldest `batch` unfinished MTs; returns how many parts were expired. */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let expired = 0;
    try {
      const now = this.clock.now();
      const oldest = await this.store.unfinished('mt', this.batch);
      for (const msg of oldest) {
        if (msg.validUntil + this.graceMs > now) continue;
        for (const part of msg.parts) {
          if (part.state !== 'submitted' || part.smscMessageId === undefined) continue;
          this.sink.failPart(msg, part.seq, 'expired', 'NO_RECEIPT');
          expired++;
        }
      }
      if (expired > 0) this.obs.log('warn', 'parts expired without a receipt', { count: expired });
    } catch (err) {
      this.obs.log('error', 'receipt expiry sweep failed', { err: String(err) });
    } finally {
      this.running = false;
    }
    return expired;
  }
}
