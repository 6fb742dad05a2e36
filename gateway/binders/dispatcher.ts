import type { Clock, TimerHandle } from '../../protocols/wire/clock';
import { firstAvailable } from '../../routing/operators/route-mt';
import type { Message, MessagePart } from '../../routing/message';
import type { MessageStore } from '../../routing/ports';
import type { Connector } from './connector';
import type { DispatchJob, SubmitFailure } from './link';
import type { RuntimeObserver } from './observer';

export interface RetryPolicy {
  maxAttempts: number;
  backoffMinMs: number;
  backoffMaxMs: number;
}

/** Final outcomes the dispatcher decides itself (no SMSC receipt will come for them). */
export interface FailureSink {
  onSubmitted(connectorId: string, smscMessageId: string, msg: Message, seq: number): void;
  failPart(msg: Message, seq: number, outcome: 'rejected' | 'expired' | 'undeliverable', code: string): void;
}

/**
 * MT dispatch: puts routed parts on their connector's queue, records submit responses, and retries temporary
 * failures with exponential backoff within the message's validity (failing over to the next target when the first
 * is down). Permanent SMSC errors fail the part at once.
 */
export class MtDispatcher {
  private readonly retryTimers = new Set<TimerHandle>();
  private stopped = false;

  constructor(
    private readonly store: MessageStore,
    private readonly clock: Clock,
    private connectors: ReadonlyMap<string, Connector>,
    private retry: RetryPolicy,
    private readonly sink: FailureSink,
    private readonly obs: RuntimeObserver,
  ) {}

  setConnectors(connectors: ReadonlyMap<string, Connector>): void {
    this.connectors = connectors;
  }

  setRetry(retry: RetryPolicy): void {
    this.retry = retry;
  }

  get pendingRetries(): number {
    return this.retryTimers.size;
  }

  /** The connector to use now: the first target that is up, else the first known one (the message waits for it). */
  choose(targets: readonly string[]): Connector | undefined {
    const id = firstAvailable(targets, (c) => this.connectors.get(c)?.isUp === true);
    return id === undefined ? undefined : (this.connectors.get(id) ?? this.firstKnown(targets));
  }

  private firstKnown(targets: readonly string[]): Connector | undefined {
    for (const t of targets) {
      const c = this.connectors.get(t);
      if (c) return c;
    }
    return undefined;
  }

  /** Queues every part not yet submitted. Parts that find the queue full are retried after a short delay. */
  dispatch(msg: Message, targets: readonly string[]): void {
    const connector = this.choose(targets);
    for (let i = 0; i < msg.parts.length; i++) {
      const part = msg.parts[i]!;
      if (part.smscMessageId !== undefined || isFinalPart(part)) continue;
      const job: DispatchJob = { msg, part, targets, sentAt: 0 };
      if (!connector || !connector.enqueue(job)) this.later(job, this.retry.backoffMinMs);
    }
  }

  onSubmitted(job: DispatchJob, smscMessageId: string, connectorId: string): void {
    const { msg, part } = job;
    const now = this.clock.now();
    this.obs.submitLatency(connectorId, (now - job.sentAt) / 1000);
    part.smscMessageId = smscMessageId;
    part.state = 'submitted';
    // Not awaited: the receipt path does not depend on it. Queued before the receipt a parked early receipt
    // records in onSubmitted, so the store applies them in that order.
    this.store.updatePart(msg.id, part.seq, { state: 'submitted', smscMessageId, connectorId }).catch((err: unknown) =>
      this.obs.log('error', 'store updatePart failed', { messageId: msg.id, err: String(err) }),
    );
    this.sink.onSubmitted(connectorId, smscMessageId, msg, part.seq);
    if (msg.state !== 'submitted' && msg.parts.every((p) => p.smscMessageId !== undefined)) {
      msg.state = 'submitted';
      this.obs.message('submitted', msg.partnerId, connectorId);
      // The store keeps 'submitted' on the parts (with their SMSC ids); the message row goes from routed straight
      // to its final state with the receipt. A message-level write here would cost a fifth of the store's work per
      // message for a state nothing reads back (resume looks at the parts).
    }
  }

  onFailed(job: DispatchJob, failure: SubmitFailure, connectorId: string): void {
    const { msg, part } = job;
    if (failure.kind === 'permanent') {
      this.obs.log('warn', 'submit refused', { messageId: msg.id, part: part.seq, connector: connectorId, code: failure.code });
      this.sink.failPart(msg, part.seq, 'rejected', failure.code);
      return;
    }
    const now = this.clock.now();
    msg.attempts++;
    if (failure.kind === 'timeout' || failure.kind === 'link') msg.possibleDuplicate = true;
    const delay = this.backoff(msg.attempts);
    if (now + delay > msg.validUntil) {
      this.sink.failPart(msg, part.seq, 'expired', failure.code);
      return;
    }
    if (msg.attempts >= this.retry.maxAttempts) {
      this.sink.failPart(msg, part.seq, 'undeliverable', failure.code);
      return;
    }
    this.obs.retry(connectorId);
    msg.nextAttemptAt = now + delay;
    msg.lastError = failure.code;
    this.store
      .update(msg.id, {
        attempts: msg.attempts,
        nextAttemptAt: msg.nextAttemptAt,
        lastError: failure.code,
        possibleDuplicate: msg.possibleDuplicate,
        updatedAt: now,
      })
      .catch((err: unknown) => this.obs.log('error', 'store update failed', { messageId: msg.id, err: String(err) }));
    this.later(job, delay);
  }

  private backoff(attempts: number): number {
    const exp = Math.min(this.retry.backoffMaxMs, this.retry.backoffMinMs * 2 ** Math.min(attempts - 1, 20));
    return Math.round(exp / 2 + (Math.random() * exp) / 2);
  }

  private later(job: DispatchJob, delayMs: number): void {
    if (this.stopped) return;
    const t = this.clock.setTimeout(() => {
      this.retryTimers.delete(t);
      if (this.stopped) return;
      const c = this.choose(job.targets);
      if (c && c.id !== job.msg.connectorId) {
        job.msg.connectorId = c.id;
        void this.store.update(job.msg.id, { connectorId: c.id }).catch(() => undefined);
      }
      if (!c || !c.enqueue(job)) this.later(job, Math.max(delayMs, this.retry.backoffMinMs));
    }, delayMs);
    this.retryTimers.add(t);
  }

  /** Drops pending retries (they resume from the store on the next start). */
  stop(): void {
    this.stopped = true;
    for (const t of this.retryTimers) this.clock.clearTimeout(t);
    this.retryTimers.clear();
  }
}

function isFinalPart(p: MessagePart): boolean {
  return p.state === 'delivered' || p.state === 'undeliverable' || p.state === 'expired' || p.state === 'rejected';
}
