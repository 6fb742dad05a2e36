import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { StoreStats } from '../routing/ports';
import { FastHistogram } from './metrics-histogram';

/**
 * Prometheus metrics: the only module (with metrics-histogram.ts) that imports prom-client. Call sites use typed
 * methods; labelled cells are cached in nested maps keyed by label value, so a hot-path increment or observation
 * allocates and hashes nothing after the first time a label set is seen. Counters and histograms on the message
 * path keep plain numbers and hand them to prom-client when /metrics is read.
 */
export type MetricsDirection = 'mt' | 'mo';
export type BindKind = 'connector' | 'partner';
export type ThrottleSide = 'partner' | 'connector';

export interface MetricsOptions {
  /** Adds prom-client's default process metrics (CPU, memory, event loop lag) with the `tollgate_` prefix. */
  processMetrics?: boolean;
  /** Time source for the oldest-unfinished age (ms epoch). */
  now?: () => number;
}

/** Accept latency is an SLO in milliseconds (the partner's window waits on it): fine buckets up to 50 ms. */
const ACCEPT_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Seconds: from a few ms on loopback to the minutes a slow SMSC can take. */
const SUBMIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const RECEIPT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];

interface Inc {
  inc(by?: number): void;
}
interface Obs {
  observe(v: number): void;
}
interface Set1 {
  set(v: number): void;
}

/** label values -> child, one map level per label (no string key built per call). */
class ChildCache<C> {
  private readonly root = new Map<string, unknown>();
  constructor(private readonly make: (labels: string[]) => C) {}

  get1(a: string): C {
    let c = this.root.get(a) as C | undefined;
    if (c === undefined) {
      c = this.make([a]);
      this.root.set(a, c);
    }
    return c;
  }

  get2(a: string, b: string): C {
    let m = this.root.get(a) as Map<string, C> | undefined;
    if (m === undefined) this.root.set(a, (m = new Map()));
    let c = m.get(b);
    if (c === undefined) m.set(b, (c = this.make([a, b])));
    return c;
  }

  get4(a: string, b: string, c3: string, d: string): C {
    let m1 = this.root.get(a) as Map<string, Map<string, Map<string, C>>> | undefined;
    if (m1 === undefined) this.root.set(a, (m1 = new Map()));
    let m2 = m1.get(b);
    if (m2 === undefined) m1.set(b, (m2 = new Map()));
    let m3 = m2.get(c3);
    if (m3 === undefined) m2.set(c3, (m3 = new Map()));
    let child = m3.get(d);
    if (child === undefined) m3.set(d, (child = this.make([a, b, c3, d])));
    return child;
  }

  clear(): void {
    this.root.clear();
  }
}

export class Metrics {
  readonly registry = new Registry();
  private readonly now: () => number;
  private storeStats: (() => StoreStats) | undefined;

  private readonly messages: ChildCache<Inc>;
  private readonly submitResponse: ChildCache<Obs>;
  private readonly submitToReceipt: ChildCache<Obs>;
  private readonly accept: ChildCache<Obs>;
  private readonly bindsUpGauge: Gauge<'kind' | 'id'>;
  private readonly bindsUp: ChildCache<Set1>;
  private readonly windowInUse: ChildCache<Set1>;
  private readonly retries: ChildCache<Inc>;
  private readonly throttled: ChildCache<Inc>;
  private readonly receiptsUnmatched: ChildCache<Inc>;
  private readonly receiptsForwarded: ChildCache<Inc>;
  private readonly moReceived: ChildCache<Inc>;
  private readonly moHandled: ChildCache<Inc>;
  private readonly moParts: ChildCache<Inc>;
  private readonly moPartial: ChildCache<Inc>;
  private readonly moNoMatch: ChildCache<Inc>;
  private readonly moDead: ChildCache<Inc>;
  private readonly moExpired: ChildCache<Inc>;
  private readonly moReplies: ChildCache<Inc>;
  private readonly moPartnerSeconds: ChildCache<Obs>;
  private readonly moSendApi: ChildCache<Inc>;
  private moInFlight: (() => ReadonlyMap<string, number>) | undefined;

  constructor(opts: MetricsOptions = {}) {
    this.now = opts.now ?? Date.now;
    const registers = [this.registry];
    this.messages = counterCache(registers, 'tollgate_messages_total', 'Messages entering each state, by direction, partner and connector', [
      'direction',
      'state',
      'partner',
      'connector',
    ]);
    const submitResponse = new FastHistogram(
      'tollgate_submit_response_seconds',
      'Time from a submit to its response from the SMSC',
      ['connector'],
      SUBMIT_BUCKETS,
      this.registry,
    );
    this.submitResponse = new ChildCache((l) => submitResponse.cell(l));
    const submitToReceipt = new FastHistogram(
      'tollgate_submit_to_receipt_seconds',
      'Time from a submit to its final delivery receipt',
      ['connector'],
      RECEIPT_BUCKETS,
      this.registry,
    );
    this.submitToReceipt = new ChildCache((l) => submitToReceipt.cell(l));
    const accept = new FastHistogram(
      'tollgate_accept_seconds',
      "Time from reading a partner's submit_sm or data_sm to its positive response: routing and the durable store write",
      ['partner'],
      ACCEPT_BUCKETS,
      this.registry,
    );
    this.accept = new ChildCache((l) => accept.cell(l));
    this.bindsUpGauge = new Gauge({
      name: 'tollgate_binds_up',
      help: 'Binds currently up, per connector and per partner',
      labelNames: ['kind', 'id'] as const,
      registers,
    });
    const bindsUpGauge = this.bindsUpGauge;
    this.bindsUp = new ChildCache((l) => bindsUpGauge.labels(...l));
    const windowInUse = new Gauge({
      name: 'tollgate_window_in_use',
      help: 'Requests in flight on a connector (all binds)',
      labelNames: ['connector'] as const,
      registers,
    });
    this.windowInUse = new ChildCache((l) => windowInUse.labels(...l));
    const self = this;
    new Gauge({
      name: 'tollgate_store_queue_depth',
      help: 'Store writes waiting for the next group commit',
      registers,
      collect() {
        const s = self.storeStats?.();
        this.set(s ? s.queueDepth : 0);
      },
    });
    new Gauge({
      name: 'tollgate_store_unfinished',
      help: 'Messages in the store not yet in a final state',
      registers,
      collect() {
        const s = self.storeStats?.();
        this.set(s ? s.unfinished : 0);
      },
    });
    new Gauge({
      name: 'tollgate_store_oldest_unfinished_seconds',
      help: 'Age of the oldest message not yet in a final state (0 when none)',
      registers,
      collect() {
        const at = self.storeStats?.().oldestUnfinishedAt;
        this.set(at === undefined ? 0 : Math.max(0, (self.now() - at) / 1000));
      },
    });
    this.retries = counterCache(registers, 'tollgate_retries_total', 'Submits retried after a temporary error', ['connector']);
    this.throttled = counterCache(
      registers,
      'tollgate_throttled_total',
      'Throttling events: partner submits refused above the limit, SMSC throttling answers',
      ['side', 'id'],
    );
    this.receiptsUnmatched = counterCache(registers, 'tollgate_receipts_unmatched_total', 'Receipts from an SMSC that matched no stored message', [
      'connector',
    ]);
    this.receiptsForwarded = counterCache(registers, 'tollgate_receipts_forwarded_total', 'Receipts delivered to a partner', ['partner']);
    this.moReceived = counterCache(registers, 'tollgate_mo_received_total', 'MOs received from operator links', ['connector']);
    this.moHandled = counterCache(
      registers,
      'tollgate_mo_handled_total',
      'MOs handed to a partner, by outcome (reply, accepted, queued, dead), service, partner and connector',
      ['outcome', 'service', 'partner', 'connector'],
    );
    this.moParts = counterCache(registers, 'tollgate_mo_parts_total', 'Parts of long MOs (stored, duplicate, invalid)', ['connector', 'result']);
    this.moPartial = counterCache(
      registers,
      'tollgate_mo_reassembly_timeouts_total',
      'Long MOs whose parts did not all arrive in time, delivered partial or dropped',
      ['action'],
    );
    this.moNoMatch = counterCache(registers, 'tollgate_mo_no_match_total', 'MOs that matched no service (answered or dropped)', ['action']);
    this.moDead = counterCache(registers, 'tollgate_mo_dead_letters_total', 'MOs dead-lettered after the retries', ['partner']);
    this.moExpired = counterCache(registers, 'tollgate_mo_expired_total', 'Queued pass-through MOs that expired', ['partner']);
    this.moReplies = counterCache(registers, 'tollgate_mo_replies_total', 'Sync reply MTs submitted (ok) or refused', ['service', 'result']);
    const partnerSeconds = new FastHistogram(
      'tollgate_mo_partner_request_seconds',
      'Time of one attempt to hand an MO to a partner (HTTP request or SMPP deliver)',
      ['partner', 'result'],
      SUBMIT_BUCKETS,
      this.registry,
    );
    this.moPartnerSeconds = new ChildCache((l) => partnerSeconds.cell(l));
    new Gauge({
      name: 'tollgate_mo_partner_in_flight',
      help: 'Partner requests in flight (MO handlers)',
      labelNames: ['partner'] as const,
      registers,
      collect() {
        const m = self.moInFlight?.();
        if (m) for (const [p, n] of m) this.labels(p).set(n);
      },
    });
    this.moSendApi = counterCache(registers, 'tollgate_mo_send_api_requests_total', 'Send API requests by HTTP status', ['status']);
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'tollgate_' });
  }

  /** A message entered `state`; partner/connector '' when not known (yet). */
  messageState(direction: MetricsDirection, state: string, partner: string, connector: string, by = 1): void {
    this.messages.get4(direction, state, partner, connector).inc(by);
  }

  submitResponseSeconds(connector: string, seconds: number): void {
    this.submitResponse.get1(connector).observe(seconds);
  }

  acceptSeconds(partner: string, seconds: number): void {
    this.accept.get1(partner).observe(seconds);
  }

  submitToReceiptSeconds(connector: string, seconds: number): void {
    this.submitToReceipt.get1(connector).observe(seconds);
  }

  bindsUpSet(kind: BindKind, id: string, n: number): void {
    this.bindsUp.get2(kind, id).set(n);
  }

  /** Forget a connector/partner that a reload removed, so its series stops being exported. */
  bindsUpRemove(kind: BindKind, id: string): void {
    this.bindsUpGauge.remove(kind, id);
    this.bindsUp.clear();
  }

  windowInUseSet(connector: string, n: number): void {
    this.windowInUse.get1(connector).set(n);
  }

  retry(connector: string): void {
    this.retries.get1(connector).inc();
  }

  throttle(side: ThrottleSide, id: string): void {
    this.throttled.get2(side, id).inc();
  }

  receiptUnmatched(connector: string): void {
    this.receiptsUnmatched.get1(connector).inc();
  }

  receiptForwarded(partner: string): void {
    this.receiptsForwarded.get1(partner).inc();
  }

  moReceivedInc(connector: string): void {
    this.moReceived.get1(connector).inc();
  }

  moHandledInc(outcome: string, service: string, partner: string, connector: string): void {
    this.moHandled.get4(outcome, service, partner, connector).inc();
  }

  moPartInc(connector: string, result: string): void {
    this.moParts.get2(connector, result).inc();
  }

  moReassemblyTimeout(action: 'delivered' | 'dropped'): void {
    this.moPartial.get1(action).inc();
  }

  moNoMatchInc(action: string): void {
    this.moNoMatch.get1(action).inc();
  }

  moDeadLetter(partner: string): void {
    this.moDead.get1(partner).inc();
  }

  moExpiredInc(partner: string): void {
    this.moExpired.get1(partner).inc();
  }

  moReply(service: string, ok: boolean): void {
    this.moReplies.get2(service, ok ? 'ok' : 'failed').inc();
  }

  moPartnerRequestSeconds(partner: string, ok: boolean, seconds: number): void {
    this.moPartnerSeconds.get2(partner, ok ? 'ok' : 'failed').observe(seconds);
  }

  moSendApiInc(status: number): void {
    this.moSendApi.get1(statusLabel(status)).inc();
  }

  /** The partner in-flight gauge reads `provider()` when scraped. */
  observeMoPartnerInFlight(provider: () => ReadonlyMap<string, number>): void {
    this.moInFlight = provider;
  }

  /** The store gauges read `provider()` when scraped. */
  observeStore(provider: () => StoreStats): void {
    this.storeStats = provider;
  }

  /** Exposition text for GET /metrics. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/**
 * A counter whose hot-path increment is a plain `n++` on a cached cell (prom-client hashes the label values on every
 * `inc`, even on a child); the totals are pushed into prom-client when the registry is read.
 */
class CountCell implements Inc {
  n = 0;
  exported = 0;
  constructor(readonly child: Inc) {}
  inc(by = 1): void {
    this.n += by;
  }
}

function counterCache(registers: Registry[], name: string, help: string, labelNames: string[]): ChildCache<Inc> {
  const cells: CountCell[] = [];
  const c = new Counter({
    name,
    help,
    labelNames,
    registers,
    collect() {
      for (const cell of cells) {
        if (cell.n === cell.exported) continue;
        cell.child.inc(cell.n - cell.exported);
        cell.exported = cell.n;
      }
    },
  });
  return new ChildCache((l) => {
    const cell = new CountCell(c.labels(...l));
    cells.push(cell);
    return cell;
  });
}

/** HTTP status -> label without building a string per call for the usual ones. */
const STATUS_LABELS = new Map<number, string>();
function statusLabel(status: number): string {
  let l = STATUS_LABELS.get(status);
  if (l === undefined) {
    l = String(status);
    if (STATUS_LABELS.size < 1000) STATUS_LABELS.set(status, l);
  }
  return l;
}
