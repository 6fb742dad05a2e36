import type { Receipt } from '../../protocols/session/receipt';
import type { Clock, TimerHandle } from '../../protocols/wire/clock';
import { Deque } from './deque';
import type { DispatchJob, LinkFactory, LinkSession, SubmitFailure } from './link';
import { TokenBucket } from './token-bucket';

export interface ConnectorOptions {
  id: string;
  binds: number;
  maxSubmitPerSec: number;
  responseTimeoutMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** Jobs waiting for a window slot / a token; enqueue refuses beyond it. */
  queueMax: number;
  /** A bind that lived this long resets the reconnect backoff; shorter ones count as flapping. */
  stableAfterMs?: number;
}

export interface ConnectorEvents {
  submitted(job: DispatchJob, smscMessageId: string): void;
  failed(job: DispatchJob, failure: SubmitFailure): void;
  receipt(connectorId: string, receipt: Receipt, ack: (ok: boolean) => void): void;
  mo?(connectorId: string, mo: unknown, ack: (ok: boolean) => void): void;
  bindsChanged(connectorId: string, up: number): void;
  throttled(connectorId: string): void;
  bindFailed(connectorId: string, err: unknown, retryInMs: number): void;
}

interface Slot {
  session: LinkSession | undefined;
  connecting: boolean;
  failures: number;
  boundAt: number;
  timer: TimerHandle | undefined;
}

const THROTTLE_MIN_MS = 20;
const THROTTLE_MAX_MS = 2000;

/**
 * One operator link: `binds` slots, each holding at most one connection or connect attempt (so flapping can never
 * open more binds than configured), reconnect with exponential backoff and jitter, a shared token bucket, and a
 * bounded dispatch queue pumped into whichever bind has a free window slot. Throttling answers pause the whole
 * connector for a growing delay.
 */
export class Connector {
  readonly id: string;
  private readonly slots: Slot[] = [];
  private readonly queue = new Deque<DispatchJob>(1024);
  private readonly bucket: TokenBucket;
  private stopped = true;
  private rr = 0;
  private pumping = false;
  private pumpTimer: TimerHandle | undefined;
  private pumpTimerAt = 0;
  private pausedUntil = 0;
  private throttleMs = 0;
  private inFlightJobs = 0;
  private opts: ConnectorOptions;

  constructor(
    opts: ConnectorOptions,
    private readonly factory: LinkFactory,
    private readonly clock: Clock,
    private readonly events: ConnectorEvents,
  ) {
    this.opts = opts;
    this.id = opts.id;
    this.bucket = new TokenBucket(opts.maxSubmitPerSec, clock.now());
    for (let i = 0; i < opts.binds; i++) {
      this.slots.push({ session: undefined, connecting: false, failures: 0, boundAt: 0, timer: undefined });
    }
  }

  get protocol(): string {
    return this.factory.protocol;
  }

  get bindsUp(): number {
    let n = 0;
    for (const s of this.slots) if (s.session) n++;
    return n;
  }

  /** Connections open or being opened: never above `binds`. */
  get bindsHeld(): number {
    let n = 0;
    for (const s of this.slots) if (s.session || s.connecting) n++;
    return n;
  }

  get isUp(): boolean {
    return this.bindsUp > 0;
  }

  get queued(): number {
    return this.queue.length;
  }

  get inFlight(): number {
    return this.inFlightJobs;
  }

  get hasRoom(): boolean {
    return this.queue.length < this.opts.queueMax;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    for (const slot of this.slots) this.connectSlot(slot);
  }

  /** Limits that change without dropping binds (reload). */
  updateLimits(l: { maxSubmitPerSec: number; responseTimeoutMs: number; queueMax?: number }): void {
    this.opts = { ...this.opts, maxSubmitPerSec: l.maxSubmitPerSec, responseTimeoutMs: l.responseTimeoutMs };
    if (l.queueMax !== undefined) this.opts.queueMax = l.queueMax;
    this.bucket.setRate(l.maxSubmitPerSec, this.clock.now());
    this.pump();
  }

  /** Queues a job; false when the queue is full (the caller answers the sender with a temporary error). */
  enqueue(job: DispatchJob): boolean {
    if (this.queue.length >= this.opts.queueMax) return false;
    this.queue.push(job);
    if (!this.pumping) this.pump();
    return true;
  }

  /** Jobs still queued (for a failover when this connector stays down). */
  takeQueued(): DispatchJob[] {
    return this.queue.drain();
  }

  /** Stops reconnecting, drains every bind's window and unbinds. Queued jobs stay in the store for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pumpTimer) this.clock.clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
    const closing: Promise<void>[] = [];
    for (const slot of this.slots) {
      if (slot.timer) this.clock.clearTimeout(slot.timer);
      slot.timer = undefined;
      if (slot.session) closing.push(slot.session.close().catch(() => undefined));
    }
    await Promise.all(closing);
  }

  private connectSlot(slot: Slot): void {
    if (this.stopped || slot.session || slot.connecting) return;
    slot.connecting = true;
    slot.timer = undefined;
    const handlers = {
      onReceipt: (r: Receipt, ack: (ok: boolean) => void) => this.events.receipt(this.id, r, ack),
      onMo: (mo: unknown, ack: (ok: boolean) => void) => {
        if (this.events.mo) this.events.mo(this.id, mo, ack);
        else ack(true);
      },
    };
    this.factory.connect(handlers).then(
      (session) => {
        slot.connecting = false;
        if (this.stopped) {
          void session.close().catch(() => undefined);
          return;
        }
        slot.session = session;
        slot.boundAt = this.clock.now();
        this.events.bindsChanged(this.id, this.bindsUp);
        void session.closed.then(() => this.onSlotClosed(slot, session));
        this.pump();
      },
      (err: unknown) => {
        slot.connecting = false;
        slot.failures++;
        const delay = this.scheduleReconnect(slot);
        this.events.bindFailed(this.id, err, delay);
      },
    );
  }

  private onSlotClosed(slot: Slot, session: LinkSession): void {
    if (slot.session !== session) return;
    slot.session = undefined;
    this.events.bindsChanged(this.id, this.bindsUp);
    if (this.clock.now() - slot.boundAt >= (this.opts.stableAfterMs ?? 10_000)) slot.failures = 0;
    else slot.failures++;
    this.scheduleReconnect(slot);
  }

  /** Exponential backoff with full jitter in [base/2, base). */
  private scheduleReconnect(slot: Slot): number {
    if (this.stopped) return 0;
    const exp = Math.min(this.opts.reconnectMaxMs, this.opts.reconnectMinMs * 2 ** Math.min(slot.failures, 20));
    const delay = Math.round(exp / 2 + (Math.random() * exp) / 2);
    if (slot.timer) this.clock.clearTimeout(slot.timer);
    slot.timer = this.clock.setTimeout(() => this.connectSlot(slot), delay);
    return delay;
  }

  private pickLink(): LinkSession | undefined {
    const n = this.slots.length;
    for (let i = 0; i < n; i++) {
      const slot = this.slots[(this.rr + i) % n]!;
      const s = slot.session;
      if (s && s.canSend) {
        this.rr = (this.rr + i + 1) % n;
        return s;
      }
    }
    return undefined;
  }

  private armPump(delayMs: number): void {
    const at = this.clock.now() + delayMs;
    if (this.pumpTimer && this.pumpTimerAt <= at) return;
    if (this.pumpTimer) this.clock.clearTimeout(this.pumpTimer);
    this.pumpTimerAt = at;
    this.pumpTimer = this.clock.setTimeout(() => {
      this.pumpTimer = undefined;
      this.pump();
    }, delayMs);
  }

  /** Moves queued jobs onto binds while there is a window slot and a token. */
  pump(): void {
    if (this.pumping || this.stopped) return;
    this.pumping = true;
    try {
      const now = this.clock.now();
      while (this.queue.length > 0) {
        if (now < this.pausedUntil) {
          this.armPump(this.pausedUntil - now);
          break;
        }
        const link = this.pickLink();
        if (!link) break; // a response or a new bind pumps again
        if (!this.bucket.take(now)) {
          this.armPump(Math.max(1, this.bucket.waitMs(now)));
          break;
        }
        const job = this.queue.shift()!;
        if (job.msg.validUntil <= now) {
          // Waited out its validity in the queue (link down for long): the dispatcher fails it as expired.
          this.events.failed(job, { kind: 'temporary', code: 'VALIDITY_EXPIRED' });
          continue;
        }
        this.send(link, job, now);
      }
    } finally {
      this.pumping = false;
    }
  }

  private send(link: LinkSession, job: DispatchJob, now: number): void {
    job.sentAt = now;
    this.inFlightJobs++;
    let sent: Promise<string>;
    try {
      sent = link.submit(job, this.opts.responseTimeoutMs);
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent.then(
      (smscId) => {
        this.inFlightJobs--;
        if (this.throttleMs > 0) this.throttleMs = this.throttleMs > THROTTLE_MIN_MS ? this.throttleMs >> 1 : 0;
        this.events.submitted(job, smscId);
        this.pump();
      },
      (err: unknown) => {
        this.inFlightJobs--;
        const failure = this.factory.classify(err);
        if (failure.kind === 'throttled') {
          this.throttleMs = Math.min(THROTTLE_MAX_MS, Math.max(THROTTLE_MIN_MS, this.throttleMs * 2));
          this.pausedUntil = this.clock.now() + this.throttleMs;
          this.queue.unshift(job);
          this.events.throttled(this.id);
        } else {
          this.events.failed(job, failure);
        }
        this.pump();
      },
    );
  }
}
