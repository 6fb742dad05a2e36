import type { MessageState } from '../../routing/message';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/**
 * What the MT/DLR runtime reports: the daemon maps it onto Metrics and the logger, tests use a recorder or the
 * no-op. Keeps prom-client and winston out of the hot-path modules.
 */
export interface RuntimeObserver {
  message(state: MessageState, partnerId: string | undefined, connectorId: string | undefined): void;
  submitLatency(connectorId: string, seconds: number): void;
  /** A partner's submit taken: from reading it to its (positive) response, the durable store write included. */
  acceptLatency(partnerId: string, seconds: number): void;
  receiptLatency(connectorId: string, seconds: number): void;
  retry(connectorId: string): void;
  throttled(side: 'connector' | 'partner', id: string): void;
  unmatchedReceipt(connectorId: string): void;
  receiptForwarded(partnerId: string): void;
  binds(kind: 'connector' | 'partner', id: string, up: number): void;
  log(level: LogLevel, msg: string, meta?: Record<string, unknown>): void;
}

export const nullObserver: RuntimeObserver = {
  message: () => undefined,
  submitLatency: () => undefined,
  acceptLatency: () => undefined,
  receiptLatency: () => undefined,
  retry: () => undefined,
  throttled: () => undefined,
  unmatchedReceipt: () => undefined,
  receiptForwarded: () => undefined,
  binds: () => undefined,
  log: () => undefined,
};
