/** Messages between bench/mo.ts and its child processes (node IPC). */
export type ToChild = { cmd: 'inject'; count: number; window: number } | { cmd: 'stats' } | { cmd: 'stop' };

export interface SmscStats {
  injected: number;
  acked: number;
  nacked: number;
  /** error code or status -> count */
  nackReasons: Record<string, number>;
  firstSentAt: number;
  lastAckAt: number;
  replySubmits: number;
  lastSubmitAt: number;
  cpuUs: number;
}

export interface GatewayStats {
  /** ms from MO arrival to the partner's answer, one per MO. */
  latenciesMs: number[];
  replies: number;
  replyFailures: number;
  dead: number;
  cpuUs: number;
  peakRssBytes: number;
  unfinishedMo: number;
  /** The message store's group commit counters (cumulative). */
  commits: { transactions: number; ops: number; syncs: number; syncMs: number };
}

export type FromChild =
  | { ev: 'ready'; port?: number }
  | { ev: 'injected'; stats: SmscStats }
  | { ev: 'stats'; smsc?: SmscStats; gateway?: GatewayStats; partnerRequests?: number; partnerCpuUs?: number };

export function send(msg: FromChild): void {
  process.send?.(msg);
}
