import type { Clock, TimerHandle } from '../wire/clock';
import { TimeoutError } from '../wire/errors';

export interface KeepaliveHost {
  /** Only a logged-in link sends 40. */
  readonly active: boolean;
  /** Time of the last frame received. */
  readonly lastRx: number;
  /** False when the window has no slot for the 40 right now (try again next tick). */
  canSend(): boolean;
  /** Sends 40 through the window; resolves on 90, rejects TimeoutError after `timeoutMs`. */
  sendAlive(timeoutMs: number): Promise<unknown>;
  /** No 90 in time: the peer is gone. */
  onDead(): void;
}

/**
 * Sends 40 alive after `intervalMs` without receiving anything and declares the peer dead when 90 does not come
 * within `timeoutMs`. One timer; traffic only moves `lastRx`, so the hot path never touches timers.
 */
export class Keepalive {
  private timer: TimerHandle | undefined;
  private outstanding = false;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
    private readonly host: KeepaliveHost,
  ) {}

  start(): void {
    this.arm(this.intervalMs);
  }

  stop(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(ms: number): void {
    if (this.intervalMs <= 0 || !this.host.active) return;
    this.timer = this.clock.setTimeout(() => this.tick(), ms);
  }

  private tick(): void {
    this.timer = undefined;
    if (!this.host.active) return;
    const idle = this.clock.now() - this.host.lastRx;
    if (idle < this.intervalMs || this.outstanding || !this.host.canSend()) {
      this.arm(Math.max(1, this.intervalMs - idle));
      return;
    }
    this.outstanding = true;
    this.host.sendAlive(this.timeoutMs).then(
      () => {
        this.outstanding = false;
      },
      (e: unknown) => {
        this.outstanding = false;
        if (e instanceof TimeoutError && this.host.active) this.host.onDead();
      },
    );
    this.arm(this.intervalMs);
  }
}
