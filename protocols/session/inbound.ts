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
 * One request from the peer awaiting the application's answer. It is also its own node in the tracker's list of
 * unanswered requests, kept in arrival order: with one timeout for all, that is deadline order, so a single timer
 * on the oldest serves them all (a timer per request cost an object graph per message on the hot path).
 */
class Tracked<Req, Resp> implements InboundRequest<Req, Resp> {
  prev: Tracked<Req, Resp> | null = null;
  next: Tracked<Req, Resp> | null = null;
  done = false;

  constructor(
    readonly pdu: Req,
    readonly receivedAt: number,
    readonly deadline: number,
    private readonly tracker: InboundTracker,
    private readonly write: (resp: Resp) => void,
    readonly fallback: () => Resp,
  ) {}

  respond(resp: Resp): boolean {
    if (this.done) return false;
    this.done = true;
    this.tracker.finished(this as Tracked<unknown, unknown>);
    this.write(resp);
    this.tracker.afterWrite();
    return true;
  }
}

/**
 * Tracks requests from the peer until the application answers: counts them for flow control (pause/resume of
 * socket reads) and answers with a fallback when the application is too slow. Each `respond` works once.
 */
export class InboundTracker {
  private count = 0;
  private pausedNow = false;
  private head: Tracked<unknown, unknown> | null = null;
  private tail: Tracked<unknown, unknown> | null = null;
  private timer: TimerHandle | undefined;

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
    this.count++;
    if (!this.pausedNow && this.count >= this.opts.pauseAt) {
      this.pausedNow = true;
      this.onPause(this.count);
    }
    const now = this.clock.now();
    const t = new Tracked<Req, Resp>(pdu, now, now + this.opts.timeoutMs, this, write, fallback);
    if (this.opts.timeoutMs > 0) {
      const node = t as unknown as Tracked<unknown, unknown>;
      node.prev = this.tail;
      if (this.tail) this.tail.next = node;
      else this.head = node;
      this.tail = node;
      if (this.timer === undefined) this.arm(this.opts.timeoutMs);
    }
    return t;
  }

  /** @internal Called by a request as it is answered, before its response is written. */
  finished(t: Tracked<unknown, unknown>): void {
    this.count--;
    if (t.prev !== null || t.next !== null || this.head === t) {
      if (t.prev) t.prev.next = t.next;
      else this.head = t.next;
      if (t.next) t.next.prev = t.prev;
      else this.tail = t.prev;
      t.prev = t.next = null;
    }
    if (this.head === null && this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** @internal After a response is written: resume reads once enough requests are answered. */
  afterWrite(): void {
    if (this.pausedNow && this.count <= this.opts.resumeAt) {
      this.pausedNow = false;
      this.onResume(this.count);
    }
  }

  private arm(ms: number): void {
    this.timer = this.clock.setTimeout(() => this.sweep(), Math.max(0, ms));
  }

  private sweep(): void {
    this.timer = undefined;
    const now = this.clock.now();
    // Bounded by the list: each pass answers (and unlinks) the head.
    for (let h = this.head; h !== null && h.deadline <= now; h = this.head) h.respond(h.fallback());
    if (this.head !== null && this.timer === undefined) this.arm(this.head.deadline - now);
  }
}
