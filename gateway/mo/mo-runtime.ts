/**
 * Wires the MO side into a running daemon: MO flow on the daemon's MO hook, partner handlers, the HTTP send API on its
 * own port, receipt callbacks, and the admin dead-letter routes. Everything the daemon must offer is in `MoHost`.
 */
import * as http from 'node:http';
import type { DeepReadonly } from '../../config/load';
import type { MoConfig } from '../../config/mo-schema';
import { systemClock, type Clock } from '../../protocols/wire/clock';
import type { Message } from '../../routing/message';
import { compileMoServices } from '../../routing/operators/route-mo';
import type { MessageStore } from '../../routing/ports';
import { partnerAuthFrom, type PartnerCredentials } from '../http/partner-auth';
import { ReceiptCallbacks } from '../http/receipt-callbacks';
import { createSendApiHandler } from '../http/send-api';
import { createDeadLetterAdmin } from '../partners/dead-letter-admin';
import { PartnerHandlers } from '../partners/registry';
import type { SmppPartnerLink } from '../partners/smpp-handler';
import { SqliteApiMessageStore, SqliteIdempotencyStore } from '../store/sqlite/mo-api-stores';
import { openMoDb, type MoDb } from '../store/sqlite/mo-db';
import { SqliteMessageStore } from '../store/sqlite/sqlite-store';
import { SqliteMoDeliveryStore } from '../store/sqlite/mo-delivery-store';
import { SqliteMoPartStore } from '../store/sqlite/mo-part-store';
import { moFromLink } from './mo-adapters';
import { MoFlow, type MoService } from './mo-flow';
import { nullMoObserver, type MoObserver } from './observer';
import { smppPassThrough, type MoSink } from './smpp-pass-through';
import type { ReceiptSink } from '../servers/receipt-forwarder';
import type { SubmitMt, SubmitMtResult } from './submit-mt';

/** What the daemon offers the MO side. */
export interface MoHost {
  store: MessageStore;
  submitMt(msg: Message): Promise<SubmitMtResult>;
  /**
   * Optional: submit on one given connector (the operator link the MO came in on), bypassing prefix routing.
   * Without it replies follow the MT routes.
   */
  submitMtOn?(msg: Message, connectorId: string): Promise<SubmitMtResult>;
  setMoHandler(h: ((connectorId: string, mo: unknown, ack: (ok: boolean) => void) => void) | undefined): void;
  /** Optional: a partner's bound rx/trx SMPP sessions (SMPP pass-through services need it). */
  partnerSinks?(partnerId: string): readonly MoSink[];
  /** Optional: called when a partner's rx/trx bind comes up (queued pass-through MOs go out then). */
  onPartnerBound?(cb: ((partnerId: string) => void) | undefined): void;
  /** Optional: receipts of partners without an SMPP bind go to these sinks (HTTP receipt callbacks). */
  setReceiptSinks?(s: { sinksFor(partnerId: string): readonly ReceiptSink[]; partners(): Iterable<string> } | undefined): void;
}

/** HTTP receipt callbacks in flight at most (the rest stay owed in the store for the next sweep). */
const CALLBACKS_IN_FLIGHT_MAX = 256;

export interface MoRuntimeOptions {
  host: MoHost;
  config: DeepReadonly<MoConfig>;
  /**
   * The message store's SQLite file (the MO tables go in the same file) or an open MoDb. When `host.store` is the
   * SqliteMessageStore, its ops committer is used instead of opening the file again.
   */
  database: string | MoDb;
  synchronous?: 'FULL' | 'NORMAL';
  /** Credentials of partners for the send API (SMPP system_id/password and API keys). */
  credentials: readonly PartnerCredentials[];
  smppLink?: SmppPartnerLink;
  clock?: Clock;
  observer?: MoObserver;
  /** false: no send API listener (tests of the MO path alone). */
  sendApi?: boolean;
}

export interface MoRuntime {
  readonly flow: MoFlow;
  readonly sendApiPort: number | undefined;
  readonly receiptCallbacks: ReceiptCallbacks;
  /** Admin routes (GET /admin/mo/dead-letters, POST /admin/mo/dead-letters/{id}/replay, POST .../replay-all). */
  readonly adminRoutes: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  close(): Promise<void>;
}

export async function startMoRuntime(o: MoRuntimeOptions): Promise<MoRuntime> {
  const clock = o.clock ?? systemClock;
  const cfg = o.config;
  const obs = o.observer ?? nullMoObserver;
  // The daemon's SQLite store runs the MO ops in its own transactions (and its worker): one fsync per batch.
  const mo: MoDb =
    typeof o.database !== 'string'
      ? o.database
      : o.host.store instanceof SqliteMessageStore
        ? openMoDb({ committer: o.host.store.shared() })
        : openMoDb({ database: o.database, synchronous: o.synchronous ?? 'FULL' });
  const services: MoService[] = cfg.services.map((s) => {
    const svc: MoService = { id: s.id, shortNumber: s.shortNumber, partner: s.partner, handler: { kind: s.handler.kind } };
    if (s.keyword !== undefined) svc.keyword = s.keyword;
    if (s.regex !== undefined) svc.regex = s.regex;
    if (s.operator !== undefined) svc.operator = s.operator;
    if (s.handler.kind === 'smpp') svc.handler.maxAgeMs = s.handler.maxAgeMs;
    return svc;
  });
  const table = compileMoServices(services);
  if (!table.ok) throw new Error(`invalid services: ${table.issues.join('; ')}`);
  const secrets = new Map(cfg.partnerHttp.map((p) => [p.partner, p]));
  const handlers = new PartnerHandlers(
    cfg.services.map((s) => ({ id: s.id, partner: s.partner, handler: { ...s.handler, url: 'url' in s.handler ? s.handler.url : undefined } })),
    { secretFor: (p) => secrets.get(p)?.secret },
    o.smppLink ?? (o.host.partnerSinks ? smppPassThrough((p) => o.host.partnerSinks!(p)) : undefined),
    clock,
    {},
    obs.partnerCall ? (p, ok, ms) => obs.partnerCall!(p, ok, ms) : undefined,
  );
  obs.watchPartnerInFlight?.(() => handlers.inFlightByPartner());
  const submitReply: SubmitMt = (msg) =>
    o.host.submitMtOn && msg.connectorId !== undefined ? o.host.submitMtOn(msg, msg.connectorId) : o.host.submitMt(msg);
  const deliveries = new SqliteMoDeliveryStore(mo);
  const flow = new MoFlow({
    store: o.host.store,
    parts: new SqliteMoPartStore(mo),
    deliveries,
    services: table.table,
    handlers,
    submitMt: submitReply,
    noMatch: cfg.noMatch,
    settings: cfg.mo,
    clock,
    observer: obs,
  });
  await flow.start();
  o.host.onPartnerBound?.((partnerId) => void flow.partnerBound(partnerId).catch(() => undefined));

  o.host.setMoHandler((connectorId, pdu, ack) => {
    const msg = moFromLink(pdu, connectorId, clock.now());
    if (!msg) {
      obs.log('warn', 'unrecognised MO from link; acknowledged', { connector: connectorId });
      ack(true);
      return;
    }
    // Acknowledged only once durable; a store failure answers a temporary error so the SMSC delivers it again.
    flow.accept(msg).then(
      () => ack(true),
      () => ack(false),
    );
  });

  const apiMessages = new SqliteApiMessageStore(mo);
  const receiptCallbacks = new ReceiptCallbacks({
    apiMessages,
    partner: (p) => {
      const h = secrets.get(p);
      if (!h) return undefined;
      const c: { secret: string; callbackUrl?: string; callbackRetries: number; callbackTimeoutMs: number } = {
        secret: h.secret,
        callbackRetries: h.callbackRetries,
        callbackTimeoutMs: h.callbackTimeoutMs,
      };
      if (h.callbackUrl !== undefined) c.callbackUrl = h.callbackUrl;
      return c;
    },
    clock,
  });

  if (o.host.setReceiptSinks) {
    let inFlight = 0;
    const sink: ReceiptSink = {
      get canSend() {
        return inFlight < CALLBACKS_IN_FLIGHT_MAX;
      },
      send: () => Promise.reject(new Error('HTTP partners take receipts through sendOwed')),
      sendOwed: async (r) => {
        inFlight++;
        try {
          // false: not taken after the retries; the receipt stays owed and the next sweep tries again.
          if (!(await receiptCallbacks.deliver(r))) throw new Error('receipt callback failed');
        } finally {
          inFlight--;
        }
      },
    };
    const sinks = [sink];
    o.host.setReceiptSinks({ sinksFor: (p) => (secrets.has(p) ? sinks : []), partners: () => secrets.keys() });
  }

  let server: http.Server | undefined;
  let sendApiPort: number | undefined;
  if (o.sendApi !== false) {
    const handler = createSendApiHandler({
      store: o.host.store,
      submitMt: (m) => o.host.submitMt(m),
      auth: partnerAuthFrom(o.credentials),
      partnerDefaults: (p) => {
        const h = secrets.get(p);
        const d: { source?: string; callbackUrl?: string } = {};
        if (h?.defaultSource !== undefined) d.source = h.defaultSource;
        if (h?.callbackUrl !== undefined) d.callbackUrl = h.callbackUrl;
        return d;
      },
      idempotency: new SqliteIdempotencyStore(mo),
      apiMessages,
      clock,
      settings: { maxBodyBytes: cfg.sendApi.maxBodyBytes, idempotencyTtlMs: cfg.sendApi.idempotencyTtlMs, defaultValidityMs: 48 * 3600_000 },
      ...(obs.sendApiResponse ? { onResponse: (status: number) => obs.sendApiResponse!(status) } : {}),
    });
    server = http.createServer(handler);
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(cfg.sendApi.port, cfg.sendApi.host, () => resolve());
    });
    sendApiPort = (server.address() as { port: number }).port;
  }

  return {
    flow,
    sendApiPort,
    receiptCallbacks,
    adminRoutes: createDeadLetterAdmin(flow),
    async close() {
      o.host.setMoHandler(undefined);
      o.host.onPartnerBound?.(undefined);
      o.host.setReceiptSinks?.(undefined);
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((r) => server!.close(() => r()));
      }
      await flow.close();
      handlers.close();
      receiptCallbacks.close();
      mo.close();
    },
  };
}

/** Send-API credentials from the config: SMPP system_id/password per partner plus its partnerHttp API keys. */
export function credentialsFromConfig(
  partners: readonly { id: string; smpp?: { systemId: string; password: string } }[],
  partnerHttp: readonly { partner: string; apiKeys: readonly string[] }[],
): PartnerCredentials[] {
  return partners.map((p) => {
    const c: PartnerCredentials = { partnerId: p.id, apiKeys: partnerHttp.find((h) => h.partner === p.id)?.apiKeys ?? [] };
    if (p.smpp) c.smpp = { systemId: p.smpp.systemId, password: p.smpp.password };
    return c;
  });
}
