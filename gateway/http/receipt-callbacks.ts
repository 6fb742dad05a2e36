/**
 * Receipt callbacks for HTTP partners: the status of an MT POSTed as JSON to the message's callback URL (or the
 * partner's default), signed like MO requests, retried with backoff. The runtime calls `deliver(owed)` for receipts
 * owed to partners that have no SMPP bind and, when it resolves true, `store.receiptForwarded(...)`.
 *
 * Body: {"id","reference","status","final","errorCode","from","to","part","submittedAt","doneAt"}.
 * `status` is the receipt outcome (delivered | buffered | expired | deleted | undeliverable | accepted | rejected | unknown).
 */
import type { Clock } from '../../protocols/wire/clock';
import type { ApiMessageStore } from '../../routing/mo-ports';
import type { OwedReceipt } from '../../routing/ports';
import { backoffDelayMs, sleep } from '../partners/backoff';
import { PartnerHttpClient } from '../partners/http-client';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signContent } from '../partners/signature';

export interface CallbackPartner {
  secret: string;
  callbackUrl?: string;
  callbackRetries: number;
  callbackTimeoutMs: number;
}

export interface ReceiptCallbackDeps {
  apiMessages: ApiMessageStore;
  partner(partnerId: string): CallbackPartner | undefined;
  clock: Clock;
  backoffMinMs?: number;
  backoffMaxMs?: number;
  concurrencyPerPartner?: number;
}

const FINAL = new Set(['delivered', 'expired', 'deleted', 'undeliverable', 'rejected']);

export class ReceiptCallbacks {
  private readonly clients = new Map<string, PartnerHttpClient>();

  constructor(private readonly d: ReceiptCallbackDeps) {}

  /** True when the partner took the callback (2xx), or when there is nowhere to send it (nothing is owed then). */
  async deliver(r: OwedReceipt): Promise<boolean> {
    const p = this.d.partner(r.partnerId);
    if (!p) return true;
    const rec = await this.d.apiMessages.get(r.messageId);
    const target = rec?.callbackUrl ?? p.callbackUrl;
    if (target === undefined) return true;
    const body = Buffer.from(
      JSON.stringify({
        id: r.messageId,
        reference: r.partnerRef ?? null,
        status: r.outcome,
        final: FINAL.has(r.outcome),
        errorCode: r.errorCode ?? null,
        from: r.source.addr,
        to: r.destination.addr,
        part: r.partSeq ?? null,
        submittedAt: new Date(r.submittedAt).toISOString(),
        doneAt: new Date(r.doneAt).toISOString(),
      }),
    );
    let client = this.clients.get(r.partnerId);
    if (!client) {
      client = new PartnerHttpClient({ maxSockets: this.d.concurrencyPerPartner ?? 8 });
      this.clients.set(r.partnerId, client);
    }
    const url = new URL(target);
    const policy = { retries: p.callbackRetries, backoffMinMs: this.d.backoffMinMs ?? 1000, backoffMaxMs: this.d.backoffMaxMs ?? 60_000 };
    for (let attempt = 0; attempt <= p.callbackRetries; attempt++) {
      if (attempt > 0) await sleep(this.d.clock, backoffDelayMs(policy, attempt - 1));
      try {
        const res = await client.request({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signContent(p.secret, body), [TIMESTAMP_HEADER]: String(this.d.clock.now()) },
          body,
          timeoutMs: p.callbackTimeoutMs,
        });
        if (res.status >= 200 && res.status < 300) return true;
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) return false;
      } catch {
        // network error or timeout: retry
      }
    }
    return false;
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
  }
}
