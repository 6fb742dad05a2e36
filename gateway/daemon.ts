import { readFileSync } from 'node:fs';
import type { FrozenConfig } from '../config/load';
import { loadConfig } from '../config/load';
import { systemClock } from '../protocols/wire/clock';
import type { Clock } from '../protocols/wire/clock';
import type { Message } from '../routing/message';
import type { MtRouteRule } from '../routing/operators/route-mt';
import { parsePersona } from '../simulators/smpp/personas';
import { startSmppSimulator } from '../simulators/smpp/simulator';
import type { SmppSimulator } from '../simulators/smpp/simulator';
import { Connector } from './binders/connector';
import { MtDispatcher } from './binders/dispatcher';
import { linkFactoryFor } from './binders/link-factory';
import type { RuntimeObserver } from './binders/observer';
import { daemonObserver } from './daemon-observer';
import { createLogger } from './logging';
import type { LoggerLike } from './daemon-observer';
import { resumeUnfinished } from './daemon-resume';
import { ReceiptCorrelator } from './dlr/receipt-correlator';
import { ReceiptExpiry } from './dlr/receipt-expiry';
import { AdminServer } from './http/admin';
import type { AdminHandlers } from './http/admin';
import { Metrics } from './metrics';
import { MtIntake } from './servers/mt-intake';
import type { IntakeResult } from './servers/mt-intake';
import { PartnerDirectory } from './servers/partner-directory';
import type { PartnerSettings } from './servers/partner-directory';
import { PartnerServer } from './servers/partner-server';
import { ReceiptForwarder } from './servers/receipt-forwarder';
import type { ReceiptSink } from './servers/receipt-forwarder';
import { SqliteMessageStore, storeOptionsFromConfig } from './store/sqlite/sqlite-store';

/** Receipt sinks for partners that are not bound over SMPP (issue 6: HTTP callbacks), and which partners to sweep. */
export interface ExtraReceiptSinks {
  sinksFor(partnerId: string): readonly ReceiptSink[];
  partners(): Iterable<string>;
}

export interface DaemonOptions {
  config: FrozenConfig;
  /** Where SIGHUP / POST /admin/reload read the config again. */
  configPath?: string;
  logger?: LoggerLike;
  clock?: Clock;
  /** Extra admin HTTP routes (e.g. the HTTP send API). */
  adminExtra?: AdminHandlers['extra'];
}

export interface Daemon {
  readonly ports: { smpp: number; smppTls?: number; admin: number; simulators: number[] };
  readonly store: SqliteMessageStore;
  readonly metrics: Metrics;
  /** MT entry for other front ends (HTTP send API): routes, stores, queues; resolves once durable. */
  submitMt(msg: Message): Promise<IntakeResult>;
  /** Hook for mobile-originated messages arriving on operator links (default: acknowledged and logged). */
  setMoHandler(h: ((connectorId: string, mo: unknown, ack: (ok: boolean) => void) => void) | undefined): void;
  /** MT on one given connector, no route decision (issue 6: an MO reply goes back on the MO's operator link). */
  submitMtOn(msg: Message, connectorId: string): Promise<IntakeResult>;
  /** A partner's bound rx/trx sessions (issue 6: SMPP pass-through of MOs). */
  partnerSinks(partnerId: string): readonly ReceiptSink[];
  /** Hook (issue 6): a partner's rx/trx bind came up, so MOs queued for it can go. */
  onPartnerBound(cb: ((partnerId: string) => void) | undefined): void;
  /** Hook (issue 6): receipts of partners with no SMPP bind go to these sinks (HTTP receipt callbacks). */
  setReceiptSinks(s: ExtraReceiptSinks | undefined): void;
  reload(next?: FrozenConfig): Promise<{ ok: true } | { ok: false; issues: readonly string[] }>;
  stop(): Promise<void>;
  readonly stopped: Promise<void>;
}

/** Dispatch queue per connector: room for bursts well above one window, bounded so memory is too. */
const QUEUE_MAX_MIN = 20_000;
const OWED_SWEEP_MS = 5_000;
/** A submitted part still without a receipt this long after its validity ends expires. */
const RECEIPT_GRACE_MS = 3_600_000;
const EXPIRY_SWEEP_MS = 60_000;

function partnerSettings(c: FrozenConfig): PartnerSettings[] {
  return c.partners.map((p) => {
    const s: PartnerSettings = {
      id: p.id,
      receiptMode: p.receiptMode,
      receiptMaxAgeHours: p.receiptMaxAgeHours,
      defaultValidityHours: p.defaultValidityHours,
    };
    if (p.smpp) s.smpp = { ...p.smpp, allowedIps: [...p.smpp.allowedIps] };
    return s;
  });
}

function routeRules(c: FrozenConfig): MtRouteRule[] {
  return c.routes.map((r) => {
    const rule: MtRouteRule = { id: r.id, prefix: r.prefix, targets: [...r.targets] };
    if (r.partners) rule.partners = [...r.partners];
    if (r.sources) rule.sources = [...r.sources];
    if (r.weights) rule.weights = [...r.weights];
    return rule;
  });
}

/** Starts the gateway: store, simulators (demo), operator links, partner server, admin HTTP; resumes unfinished work. */
export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  let config = opts.config;
  const clock = opts.clock ?? systemClock;
  const log = opts.logger ?? createLogger({ level: config.log.level, base: { node: config.node.id } });
  // Per connector, how its SMSC writes message ids: the receipt correlator and the store's index both use it.
  const idFormats = new Map<string, 'auto' | 'hex' | 'decimal'>();
  const store = new SqliteMessageStore({ ...storeOptionsFromConfig(config.store), clock, smscIdFormat: (c) => idFormats.get(c) ?? 'auto' });
  const metrics = new Metrics({ processMetrics: true });
  metrics.observeStore(() => store.stats());
  const obs: RuntimeObserver = daemonObserver(metrics, log);
  let stopping = false;
  let moHandler: ((connectorId: string, mo: unknown, ack: (ok: boolean) => void) => void) | undefined;
  let partnerBoundHook: ((partnerId: string) => void) | undefined;
  let extraReceiptSinks: ExtraReceiptSinks | undefined;

  const simulators: SmppSimulator[] = [];
  for (const s of config.simulators) {
    simulators.push(
      await startSmppSimulator({ host: s.host, port: s.port, systemId: s.systemId, password: s.password, persona: parsePersona(s.persona) }),
    );
  }

  const directory = new PartnerDirectory(partnerSettings(config), clock.now());
  const connectors = new Map<string, Connector>();
  // eslint-style forward references: the server is created below and the forwarder reads its binds.
  let partnerServer: PartnerServer | undefined;
  const forwarder = new ReceiptForwarder({
    store,
    clock,
    obs,
    sinksFor: (p) => {
      const bound = partnerServer?.sinksFor(p) ?? [];
      return bound.length > 0 || !extraReceiptSinks ? bound : extraReceiptSinks.sinksFor(p);
    },
    maxAgeMs: (p) => (directory.get(p)?.settings.receiptMaxAgeHours ?? 72) * 3_600_000,
    pendingMax: 50_000,
    sweepBatch: 2_000,
  });
  const correlator = new ReceiptCorrelator(
    {
      store,
      clock,
      obs,
      idFormat: (c) => idFormats.get(c) ?? 'auto',
      receiptMode: (p) => directory.get(p)?.settings.receiptMode ?? 'perPart',
      forward: (owed) => forwarder.offer(owed),
      forwardFirst: (owed) => forwarder.forwardFirst(owed),
    },
    { earlyHoldMs: 5_000, earlyMax: 100_000, indexMax: 200_000 },
  );
  const dispatcher = new MtDispatcher(store, clock, connectors, { ...config.retry }, correlator, obs);

  const makeConnector = (c: FrozenConfig['connectors'][number]): Connector => {
    idFormats.set(c.id, c.receiptIdFormat);
    const connector = new Connector(
      {
        id: c.id,
        binds: c.binds,
        maxSubmitPerSec: c.maxSubmitPerSec,
        responseTimeoutMs: c.responseTimeoutMs,
        reconnectMinMs: c.reconnectMinMs,
        reconnectMaxMs: c.reconnectMaxMs,
        queueMax: Math.max(QUEUE_MAX_MIN, c.windowSize * c.binds * 20),
      },
      linkFactoryFor(c),
      clock,
      {
        submitted: (job, smscId) => dispatcher.onSubmitted(job, smscId, c.id),
        failed: (job, failure) => dispatcher.onFailed(job, failure, c.id),
        receipt: (cid, r, ack) => correlator.onReceipt(cid, r, ack),
        mo: (cid, mo, ack) => {
          if (moHandler) moHandler(cid, mo, ack);
          else {
            log.warn('MO received with no MO handler; acknowledged', { connector: cid });
            ack(true);
          }
        },
        bindsChanged: (cid, up) => {
          obs.binds('connector', cid, up);
          log.info('connector binds', { connector: cid, up });
          // Queued work of a connector that lost every bind moves to a failover target that is up.
          if (up === 0 && !stopping) failover(cid);
        },
        throttled: (cid) => obs.throttled('connector', cid),
        bindFailed: (cid, err, retryInMs) =>
          log.warn('connector bind failed', { connector: cid, err: err instanceof Error ? `${err.name}: ${err.message}` : String(err), retryInMs }),
      },
    );
    return connector;
  };

  const failover = (cid: string): void => {
    const c = connectors.get(cid);
    if (!c || c.queued === 0) return;
    const jobs = c.takeQueued();
    for (const job of jobs) {
      const next = dispatcher.choose(job.targets);
      if (next && next !== c && next.isUp && next.enqueue(job)) {
        job.msg.connectorId = next.id;
        continue;
      }
      c.enqueue(job);
    }
  };

  for (const c of config.connectors) connectors.set(c.id, makeConnector(c));
  const intake = new MtIntake(store, dispatcher, routeRules(config), obs);

  partnerServer = new PartnerServer(
    {
      host: config.smppServer.host,
      port: config.smppServer.port,
      session: {
        windowSize: config.smppServer.windowSize,
        enquireLinkIntervalMs: config.smppServer.enquireLinkIntervalMs,
        responseTimeoutMs: config.smppServer.responseTimeoutMs,
        inboundPauseAt: 2000,
        inboundResumeAt: 1000,
      },
      ...(config.smppServer.tls
        ? {
            tls: {
              port: config.smppServer.tls.port,
              options: { cert: readFileSync(config.smppServer.tls.certFile), key: readFileSync(config.smppServer.tls.keyFile) },
            },
          }
        : {}),
    },
    {
      store,
      clock,
      obs,
      directory,
      intake,
      onReceiverBound: (p) => {
        void forwarder.sweep(p);
        partnerBoundHook?.(p);
      },
    },
  );

  for (const c of connectors.values()) c.start();
  // Ids below this were stored by an earlier run: the resume takes those, live traffic takes the rest.
  const firstLiveId = Number(store.nextId());
  const smpp = await partnerServer.listen();

  const reload = async (next?: FrozenConfig): Promise<{ ok: true } | { ok: false; issues: readonly string[] }> => {
    let cfg = next;
    if (!cfg) {
      if (!opts.configPath) return { ok: false, issues: ['no config file to reload from'] };
      const loaded = loadConfig(opts.configPath);
      if (!loaded.ok) {
        log.error('reload refused: invalid configuration, keeping the running one', { issues: loaded.issues });
        return { ok: false, issues: loaded.issues };
      }
      cfg = loaded.config;
    }
    directory.load(partnerSettings(cfg), clock.now());
    intake.setRoutes(routeRules(cfg));
    dispatcher.setRetry({ ...cfg.retry });
    const keep = new Set(cfg.connectors.map((c) => c.id));
    for (const c of cfg.connectors) {
      const existing = connectors.get(c.id);
      if (existing) {
        existing.updateLimits({ maxSubmitPerSec: c.maxSubmitPerSec, responseTimeoutMs: c.responseTimeoutMs });
        idFormats.set(c.id, c.receiptIdFormat);
      } else {
        const created = makeConnector(c);
        connectors.set(c.id, created);
        created.start();
      }
    }
    for (const [id, c] of connectors) {
      if (!keep.has(id)) {
        connectors.delete(id);
        void c.stop();
      }
    }
    config = cfg;
    log.info('configuration reloaded', { partners: cfg.partners.length, routes: cfg.routes.length, connectors: cfg.connectors.length });
    return { ok: true };
  };

  const admin = new AdminServer({
    metrics: async () => {
      for (const c of connectors.values()) metrics.windowInUseSet(c.id, c.inFlight);
      return { contentType: metrics.contentType, body: await metrics.text() };
    },
    health: () => ({ ok: !stopping, detail: {} }),
    ready: () => {
      const links: Record<string, number> = {};
      for (const c of connectors.values()) links[c.id] = c.bindsUp;
      const ok = !stopping && [...connectors.values()].some((c) => c.isUp);
      return { ok, detail: { connectors: links } };
    },
    reload: () => reload(),
    stats: () => ({
      cpu: process.cpuUsage(),
      memory: process.memoryUsage(),
      uptimeS: process.uptime(),
      store: store.stats(),
      commits: store.commitStats(),
      foldedSmscWrites: store.foldedSmscWrites,
      checkpoints: store.checkpointStats(),
      connectors: [...connectors.values()].map((c) => ({ id: c.id, binds: c.bindsUp, queued: c.queued, inFlight: c.inFlight })),
      receipts: { indexed: correlator.index.size, parked: correlator.parked, unmatched: correlator.unmatched, forwarding: forwarder.inFlight },
      retries: dispatcher.pendingRetries,
    }),
    ...(opts.adminExtra ? { extra: opts.adminExtra } : {}),
  });
  const adminPort = await admin.listen(config.admin.host, config.admin.port);

  forwarder.start(OWED_SWEEP_MS, () => [...(partnerServer?.boundPartners() ?? []), ...(extraReceiptSinks?.partners() ?? [])]);
  const expiry = new ReceiptExpiry(store, clock, correlator, obs, RECEIPT_GRACE_MS, 1000);
  const expiryTimer = setInterval(() => void expiry.sweep(), EXPIRY_SWEEP_MS);
  expiryTimer.unref();
  const purgeTimer = setInterval(() => {
    const before = clock.now() - config.store.retentionHours * 3_600_000;
    store.purgeFinished(before).then(
      (n) => n > 0 && log.info('purged finished messages', { count: n }),
      (err: unknown) => log.error('purge failed', { err: String(err) }),
    );
  }, config.store.purgeIntervalMs);
  purgeTimer.unref();

  const ports = {
    smpp: smpp.port,
    ...(smpp.tlsPort !== undefined ? { smppTls: smpp.tlsPort } : {}),
    admin: adminPort.port,
    simulators: simulators.map((s) => s.port),
  };
  log.info('started', { ports, node: config.node.id, store: config.store.path });

  const resumeDone = resumeUnfinished(
    store,
    intake,
    obs,
    () => [...connectors.values()].every((c) => c.queued < QUEUE_MAX_MIN / 2),
    () => stopping,
    (ms) => new Promise((r) => setTimeout(r, ms)),
    firstLiveId,
  ).catch((err: unknown) => log.error('resume failed', { err: String(err) }));

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  let stopPromise: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    if (stopPromise) return stopPromise;
    stopping = true;
    stopPromise = (async () => {
      log.info('stopping: closing partner binds');
      clearInterval(purgeTimer);
      clearInterval(expiryTimer);
      forwarder.stop();
      await partnerServer?.close();
      await resumeDone;
      dispatcher.stop();
      log.info('stopping: draining operator links');
      await Promise.all([...connectors.values()].map((c) => c.stop()));
      correlator.stop();
      await Promise.all(simulators.map((s) => s.close()));
      await admin.close();
      await store.close();
      log.info('stopped');
      resolveStopped();
    })();
    return stopPromise;
  };

  return {
    ports,
    store,
    metrics,
    submitMt: (msg) => intake.submit(msg),
    setMoHandler: (h) => {
      moHandler = h;
    },
    submitMtOn: (msg, connectorId) => intake.submitOn(msg, connectorId),
    partnerSinks: (p) => partnerServer?.sinksFor(p) ?? [],
    onPartnerBound: (cb) => {
      partnerBoundHook = cb;
    },
    setReceiptSinks: (x) => {
      extraReceiptSinks = x;
    },
    reload,
    stop,
    stopped,
  };
}
