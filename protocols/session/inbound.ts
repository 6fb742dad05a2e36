import type { Clock, TimerHandle } from '../wire/clock';
import type { InboundRequest } from './types';

export interface InboundTrackerOptions {
  /** Pause socket reads when this many inbound requests are unanswered. */
  pauseAt: number;
  /** Resume when the count falls to this. */
  resumeAt: number;
  /** Answer with the fallback response when the application has not answered by then. */
  timeoutMs: number;
}

/**
 * Tracks requests from the peer until the application answers: counts them for flow control (pause/resume of
 * socket reads) and answers with a fallback when the application is too slow. Each `respond` works once.
 */
export class InboundTracker {
  private count = 0;
  private pausedNow = false;

  constructor(
    private readonly clock: Clock,
    private readonly opts: InboundTrackerOptions,
    private readonly onPause: (n: number) => void,
    private readonly onResume: (n: number) => void,
  ) {}

  get inFlight(): number {
    return this.count;
  }

  /**
   * Wraps a request. `write` sends the response on the wire; `fallback` builds the response sent on timeout.
   */
  track<Req, Resp>(pdu: Req, write: (resp: Resp) => void, fallback: () => Resp): InboundRequest<Req, Resp> {
    let done = false;
    this.count++;
    if (!this.pausedNow && this.count >= this.opts.pauseAt) {
      this.pausedNow = true;
      this.onPause(this.count);
    }
    let timer: TimerHandle | undefined;
    const finish = (resp: Resp): boolean => {
      if (done) return false;
      done = true;
      if (timer) this.clock.clearTimeout(timer);
      this.count--;
      write(resp);
      if (this.pausedNow && this.count <= this.opts.resumeAt) {
        this.pausedNow = false;
        this.onResume(this.count);
      }
      return true;
    };
    if (this.opts.timeoutMs > 0) timer = this.clock.setTimeout(() => finish(fallback()), this.opts.timeoutMs);
    return { pdu, receivedAt: this.clock.now(), respond: finish };
  }
}
