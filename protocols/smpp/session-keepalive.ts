import type { Clock, TimerHandle } from '../wire/clock';

/**
 * enquire_link keep-alive and dead-peer detection for one session. Ticks every interval; the session sets `rx`
 * on every inbound frame, so the hot path pays one store instead of a clock read per frame. An idle tick sends a
 * probe (outside the window: a full window must not stop keep-alives) and expects its response within timeoutMs.
 */
export class SmppKeepalive {
  /** Set by the session on every inbound frame; cleared at each tick. */
  rx = false;
  private timer: TimerHandle | undefined;
  private probeSeq = 0;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
    /** Sends an enquire_link and returns its sequence number. */
    private readonly sendProbe: () => number,
    private readonly onDead: () => void,
  ) {}

  start(): void {
    this.clear();
    this.probeSeq = 0;
    if (this.intervalMs <= 0) return;
    this.rx = false;
    this.timer = this.clock.setTimeout(() => this.tick(), this.intervalMs);
  }

  stop(): void {
    this.clear();
    this.probeSeq = 0;
  }

  /** True when `seq` answers our probe (the response is then consumed here). */
  isProbeResponse(seq: number): boolean {
    if (this.probeSeq === 0 || seq !== this.probeSeq) return false;
    this.start();
    return true;
  }

  private tick(): void {
    this.timer = undefined;
    if (this.rx) {
      this.start();
      return;
    }
    const seq = this.sendProbe();
    this.probeSeq = seq;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.probeSeq === seq) {
        this.probeSeq = 0;
        this.onDead();
      }
    }, this.timeoutMs);
  }

  private clear(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
