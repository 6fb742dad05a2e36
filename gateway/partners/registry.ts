/**
 * Builds one retrying handler per service from config: one pooled HTTP client per partner (shared by its services),
 * one concurrency limiter per service handler.
 */
import type { Clock } from '../../protocols/wire/clock';
import type { PartnerHandler } from './handler';
import { PartnerHttpClient, type HttpClient } from './http-client';
import { PipelinedHttpClient } from './pipelined-client';
import { createHttpHandler } from './http-handler';
import { Limiter } from './limiter';
import { createSmppHandler, type SmppPartnerLink } from './smpp-handler';
import { withRetries, type RetryHooks, type RetryingHandler } from './with-retries';

export interface ServiceHandlerSpec {
  id: string;
  partner: string;
  handler: {
    kind: PartnerHandler['kind'];
    url?: string;
    timeoutMs: number;
    concurrency: number;
    retries: number;
    backoffMinMs: number;
    backoffMaxMs: number;
    maxQueued: number;
    /** > 1: HTTP/1.1 pipelining with this many requests in flight per connection (the partner's services share it). */
    pipelineDepth?: number;
  };
}

export interface PartnerSecrets {
  secretFor(partnerId: string): string | undefined;
}

/** Per attempt, with the partner it went to (metrics: latency histogram per partner). */
export type PartnerAttemptHook = (partnerId: string, ok: boolean, elapsedMs: number) => void;

export class PartnerHandlers {
  private readonly clients = new Map<string, HttpClient>();
  private readonly handlers = new Map<string, RetryingHandler>();
  private readonly limiters = new Map<string, Limiter>();
  private readonly servicePartner = new Map<string, string>();
  private readonly inFlightMap = new Map<string, number>();

  constructor(
    services: readonly ServiceHandlerSpec[],
    secrets: PartnerSecrets,
    smppLink: SmppPartnerLink | undefined,
    clock: Clock,
    hooks: RetryHooks = {},
    onPartnerAttempt?: PartnerAttemptHook,
  ) {
    const socketsPerPartner = new Map<string, number>();
    for (const s of services) socketsPerPartner.set(s.partner, (socketsPerPartner.get(s.partner) ?? 0) + s.handler.concurrency);
    for (const s of services) {
      const h = s.handler;
      let base: PartnerHandler;
      if (h.kind === 'smpp') {
        if (!smppLink) throw new Error(`service ${s.id}: SMPP pass-through needs the partner SMPP server link`);
        base = createSmppHandler(smppLink);
      } else {
        if (h.url === undefined) throw new Error(`service ${s.id}: ${h.kind} needs a url`);
        const secret = secrets.secretFor(s.partner);
        if (secret === undefined) throw new Error(`service ${s.id}: no signing secret for partner ${s.partner}`);
        let client = this.clients.get(s.partner);
        if (!client) {
          const sockets = socketsPerPartner.get(s.partner) ?? h.concurrency;
          const depth = h.pipelineDepth ?? 1;
          client =
            depth > 1
              ? new PipelinedHttpClient({ connections: Math.max(1, Math.ceil(sockets / depth)), depth })
              : new PartnerHttpClient({ maxSockets: sockets });
          this.clients.set(s.partner, client);
        }
        base = createHttpHandler({ kind: h.kind, url: h.url, timeoutMs: h.timeoutMs, secret }, client, clock);
      }
      const limiter = new Limiter(h.concurrency, h.maxQueued);
      this.limiters.set(s.id, limiter);
      this.servicePartner.set(s.id, s.partner);
      const partner = s.partner;
      // One hooks object per service (built once here, not per MO) so the attempt is reported with its partner.
      const serviceHooks: RetryHooks =
        onPartnerAttempt === undefined
          ? hooks
          : {
              onAttempt: (o, attempt, ms) => {
                hooks.onAttempt?.(o, attempt, ms);
                onPartnerAttempt(partner, o.kind !== 'failed', ms);
              },
            };
      this.handlers.set(s.id, withRetries(base, limiter, h, clock, serviceHooks));
    }
  }

  get(serviceId: string): RetryingHandler | undefined {
    return this.handlers.get(serviceId);
  }

  /** In-flight requests per service (for the concurrency gauge). */
  inFlight(serviceId: string): number {
    return this.limiters.get(serviceId)?.inUse ?? 0;
  }

  /** In-flight requests per partner (sum over its services); the same map, refreshed, on every call. */
  inFlightByPartner(): ReadonlyMap<string, number> {
    const m = this.inFlightMap;
    for (const p of this.servicePartner.values()) m.set(p, 0);
    for (const [svc, p] of this.servicePartner) m.set(p, m.get(p)! + (this.limiters.get(svc)?.inUse ?? 0));
    return m;
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
  }
}
