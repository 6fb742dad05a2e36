import type { Clock } from '../../protocols/wire/clock';

export interface BackoffPolicy {
  retries: number;
  backoffMinMs: number;
  backoffMaxMs: number;
}

/** Exponential backoff with full jitter in [delay/2, delay]: retry n (0-based) waits about min * 2^n, capped at max. */
export function backoffDelayMs(policy: BackoffPolicy, retry: number, random: () => number = Math.random): number {
  const base = Math.min(policy.backoffMaxMs, policy.backoffMinMs * 2 ** Math.min(retry, 30));
  return Math.round(base / 2 + (random() * base) / 2);
}

export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
