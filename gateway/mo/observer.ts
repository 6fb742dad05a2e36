import type { LogLevel } from '../binders/observer';

/** What the MO flow reports; the daemon maps it onto Metrics (tollgate_mo_*) and the logger. */
export interface MoObserver {
  received(connectorId: string): void;
  /** A long MO's part arrived (kept until its message is complete). */
  part(connectorId: string, result: 'stored' | 'duplicate' | 'invalid'): void;
  /** Reassembly timeout: partial message delivered or dropped. */
  partial(action: 'delivered' | 'dropped'): void;
  matched(serviceId: string, partnerId: string): void;
  noMatch(action: 'reply' | 'drop'): void;
  /** `handlerMs`: the partner call incl. retries; `sinceReceivedMs`: from the MO's arrival (createdAt) to the outcome. */
  handled(serviceId: string, outcome: 'reply' | 'accepted' | 'queued' | 'dead', handlerMs: number, sinceReceivedMs: number): void;
  replySubmitted(serviceId: string, ok: boolean): void;
  deadLettered(partnerId: string): void;
  expired(partnerId: string): void;
  log(level: LogLevel, msg: string, meta?: Record<string, unknown>): void;
}

export const nullMoObserver: MoObserver = {
  received: () => undefined,
  part: () => undefined,
  partial: () => undefined,
  matched: () => undefined,
  noMatch: () => undefined,
  handled: () => undefined,
  replySubmitted: () => undefined,
  deadLettered: () => undefined,
  expired: () => undefined,
  log: () => undefined,
};

/** Counting observer for tests and the benchmark. */
export class CountingMoObserver implements MoObserver {
  readonly counts = new Map<string, number>();
  private inc(k: string): void {
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }
  count(k: string): number {
    return this.counts.get(k) ?? 0;
  }
  received(): void {
    this.inc('received');
  }
  part(_c: string, r: string): void {
    this.inc(`part.${r}`);
  }
  partial(a: string): void {
    this.inc(`partial.${a}`);
  }
  matched(s: string): void {
    this.inc(`matched.${s}`);
  }
  noMatch(a: string): void {
    this.inc(`noMatch.${a}`);
  }
  handled(_s: string, o: string, _handlerMs?: number, _sinceReceivedMs?: number): void {
    this.inc(`handled.${o}`);
  }
  replySubmitted(_s: string, ok: boolean): void {
    this.inc(ok ? 'reply.ok' : 'reply.failed');
  }
  deadLettered(): void {
    this.inc('dead');
  }
  expired(): void {
    this.inc('expired');
  }
  log(): void {}
}
