/**
 * Wraps a handler with the concurrency limit, retries with backoff, and the final verdict. The limiter slot is held
 * only during an attempt, not during the backoff sleep, so a dead partner does not starve a live service.
 */
import type { Clock } from '../../protocols/wire/clock';
import { backoffDelayMs, sleep, type BackoffPolicy } from './backoff';
import type { HandlerOutcome, MoDelivery, PartnerHandler } from './handler';
import type { Limiter } from './limiter';

export interface RetryingHandler {
  readonly kind: PartnerHandler['kind'];
  /** Final outcome after retries: `failed` here means dead-letter. */
  handle(mo: MoDelivery): Promise<HandlerOutcome & { attempts: number }>;
}

export interface RetryHooks {
  /** One attempt ended; `elapsedMs` from taking the concurrency slot to the outcome. */
  onAttempt?(outcome: HandlerOutcome, attempt: number, elapsedMs: number): void;
}

export function withRetries(
  handler: PartnerHandler,
  limiter: Limiter,
  policy: BackoffPolicy,
  clock: Clock,
  hooks: RetryHooks = {},
  random: () => number = Math.random,
): RetryingHandler {
  return {
    kind: handler.kind,
    async handle(mo) {
      for (let attempt = 1; ; attempt++) {
        let outcome: HandlerOutcome;
        try {
          // A free slot is taken synchronously: no promise and no extra microtask per MO on the usual path.
          if (!limiter.tryAcquire()) await limiter.acquire();
        } catch {
          return { kind: 'failed', retryable: true, error: 'queue_full', attempts: attempt - 1 };
        }
        const started = clock.now();
        try {
          outcome = await handler.handle(mo);
        } catch (e) {
          outcome = { kind: 'failed', retryable: true, error: e instanceof Error ? e.name : 'error' };
        } finally {
          limiter.release();
        }
        hooks.onAttempt?.(outcome, attempt, clock.now() - started);
        if (outcome.kind !== 'failed' || !outcome.retryable || attempt > policy.retries) return { ...outcome, attempts: attempt };
        await sleep(clock, backoffDelayMs(policy, attempt - 1, random));
      }
    },
  };
}

