import type { LogLevel } from '../binders/observer';

export type MoOutcome = 'reply' | 'accepted' | 'queued' | 'dead';

/** What the MO flow reports; the daemon maps it onto Metrics (tollgate_mo_*) and the logger. */
export interface MoObserver {
  received(connectorId: string): void;
  /** A long MO's part arrived (kept until its message is complete). */
  part(connectorId: string, result: 'stored' | 'duplicate' | 'invalid'): void;
  /** Reassembly timeout: partial message delivered or dropped. */
  partial(action: 'delivered' | 'dropped'): void;
  matched(serviceId: string, partnerId: string): void;
  noMatch(action: 'reply' | 'drop'): void;
  /**
   * `handlerMs`: the partner call incl. retries; `sinceReceivedMs`: from the MO's arrival (createdAt) to the outcome.
   * `partnerId`/`connectorId`: the service's partner and the operator link the MO came in on.
   */
  handled(
    serviceId: string,
    outcome: MoOutcome,
    handlerMs: number,
    sinceReceivedMs: number,
    partnerId: string,
    connectorId: string,
  ): void;
  replySubmitted(serviceId: string, ok: boolean): void;
  deadLettered(partnerId: string): void;
  expired(partnerId: string): void;
  /** One HTTP (or SMPP) attempt to a partner ended: `ok` when it answered 2xx (or was taken). */
  partnerCall?(partnerId: string, ok: boolean, ms: number): void;
  /** The send API answered a request with `status`. */
  sendApiResponse?(status: number): void;
  /** Called once at start: `provider` gives the partner requests in flight (partner -> count) when metrics are read. */
  watchPartnerInFlight?(provider: () => ReadonlyMap<string, number>): void;
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

const HANDLED_KEY = { reply: 'handled.reply', accepted: 'handled.accepted', queued: 'handled.queued', dead: 'handled.dead' } as const;

/** Counting observer for tests. */
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
  handled(_s: string, o: MoOutcome): void {
    this.inc(HANDLED_KEY[o]);
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
