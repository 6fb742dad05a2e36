import type { RuntimeObserver } from './binders/observer';
import type { Metrics } from './metrics';

/** The logger surface the runtime uses (winston's Logger fits it). */
export interface LoggerLike {
  error(msg: string, meta?: Record<string, unknown>): unknown;
  warn(msg: string, meta?: Record<string, unknown>): unknown;
  info(msg: string, meta?: Record<string, unknown>): unknown;
  debug(msg: string, meta?: Record<string, unknown>): unknown;
}

/** Runtime events onto prometheus metrics and log lines. */
export function daemonObserver(metrics: Metrics, log: LoggerLike): RuntimeObserver {
  return {
    message: (state, partner, connector) => metrics.messageState('mt', state, partner ?? '', connector ?? ''),
    submitLatency: (c, s) => metrics.submitResponseSeconds(c, s),
    acceptLatency: (p, s) => metrics.acceptSeconds(p, s),
    receiptLatency: (c, s) => metrics.submitToReceiptSeconds(c, s),
    retry: (c) => metrics.retry(c),
    throttled: (side, id) => metrics.throttle(side, id),
    unmatchedReceipt: (c) => metrics.receiptUnmatched(c),
    receiptForwarded: (p) => metrics.receiptForwarded(p),
    binds: (kind, id, up) => metrics.bindsUpSet(kind, id, up),
    log: (level, msg, meta) => {
      log[level](msg, meta);
    },
  };
}
