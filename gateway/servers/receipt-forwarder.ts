import type { DeliverSm } from '../../protocols/smpp/pdu';
import type { Clock, TimerHandle } from '../../protocols/wire/clock';
import type { MessageStore, OwedReceipt } from '../../routing/ports';
import { partnerReceiptDeliverSm } from '../adapters/partner-receipt';
import { Deque } from '../binders/deque';
import type { RuntimeObserver } from '../binders/observer';
import { PairTable } from '../pair-table';

/** A partner connection that can take deliver_sm (a bound receiver or transceiver). */
export interface ReceiptSink {
  readonly canSend: boolean;
  send(pdu: DeliverSm): Promise<unknown>;
  /** A sink that takes the receipt itself rather than a deliver_sm (issue 6: HTTP receipt callbacks). */
  sendOwed?(r: OwedReceipt): Promise<unknown>;
}

export interface ForwarderDeps {
  store: MessageStore;
  clock: Clock;
  obs: RuntimeObserver;
  /** Bound rx/trx connections of a partner (empty when it is not bound). */
  sinksFor(partnerId: string): readonly ReceiptSink[];
  maxAgeMs(partnerId: string): number;
  /** Receipts held in memory per partner waiting for a window slot; more stay in the store for the sweep. */
  pendingMax: number;
  sweepBatch: number;
  /** forwardFirst: how long a receipt waits for the partner's answer before it is stored as owed. Default 20 ms. */
  firstWaitMs?: number;
}

/** A receipt sent by forwardFirst, before the store has it. */
interface SentFirst {
  /** Whoever waits on forwardFirst; undefined once answered (or once the wait is over). */
  resolve: ((taken: boolean) => void) | undefined;
  deadline: number;
}

const keyOf = (r: OwedReceipt): string => `${r.messageId}:${r.partSeq ?? 0}`;

/**
 * Delivers owed receipts to partners as deliver_sm. The store is the truth: a receipt is dropped from the owed list
 * only after the partner answered deliver_sm_resp OK. Live receipts go straight to a bound connection; whatever
 * cannot go now (not bound, window full, error) stays owed and a sweep (on bind and periodically) picks it up.
 */
export class ReceiptForwarder {
  private readonly pending = new Map<string, Deque<OwedReceipt>>();
  /**
   * Receipts pending or in flight, by (part, message id): the sweep must not send them twice. Keys churn at the
   * receipt rate, hence a PairTable rather than a Set (see pair-table.ts).
   */
  private readonly active = new PairTable<true>(8192);
  /** forwardFirst sends by deadline (they are sent in deadline order); answered ones are skipped when they come up. */
  private readonly firstWaits = new Deque<SentFirst>(1024);
  private firstTimer: TimerHandle | undefined;
  private readonly sweeping = new Set<string>();
  /** Per partner, while a sweep is reading: receipts forwarded since the read was queued. */
  private readonly sweptSince = new Map<string, Set<string>>();
  private rr = 0;
  private timer: TimerHandle | undefined;
  private stopped = false;
  expired = 0;

  constructor(private readonly d: ForwarderDeps) {}

  get inFlight(): number {
    return this.active.size;
  }

  offer(r: OwedReceipt): void {
    if (this.active.has(r.partSeq ?? 0, r.messageId)) return;
    let q = this.pending.get(r.partnerId);
    if (!q) {
      q = new Deque<OwedReceipt>(256);
      this.pending.set(r.partnerId, q);
    }
    if (q.length >= this.d.pendingMax) return; // stays owed in the store
    if (this.d.sinksFor(r.partnerId).length === 0) return;
    this.active.set(r.partSeq ?? 0, r.messageId, true);
    q.push(r);
    this.drain(r.partnerId);
  }

  /** Sends what is pending for a partner while a connection has room. */
  drain(partnerId: string): void {
    const q = this.pending.get(partnerId);
    if (!q || q.length === 0) return;
    const sinks = this.d.sinksFor(partnerId);
    while (q.length > 0) {
      const sink = this.pick(sinks);
      if (!sink) {
        if (sinks.length === 0) for (let r = q.shift(); r; r = q.shift()) this.active.delete(r.partSeq ?? 0, r.messageId);
        return; // a response frees a slot and drains again
      }
      const r = q.shift()!;
      this.send(sink, r, partnerId);
    }
  }

  private pick(sinks: readonly ReceiptSink[]): ReceiptSink | undefined {
    const n = sinks.length;
    for (let i = 0; i < n; i++) {
      const s = sinks[(this.rr + i) % n]!;
      if (s.canSend) {
        this.rr = (this.rr + i + 1) % n;
        return s;
      }
    }
    return undefined;
  }

  private send(sink: ReceiptSink, r: OwedReceipt, partnerId: string): void {
    (sink.sendOwed ? sink.sendOwed(r) : sink.send(partnerReceiptDeliverSm(r))).then(
      () => {
        this.d.obs.receiptForwarded(partnerId);
        this.owedTaken(r, partnerId);
        this.drain(partnerId);
      },
      (err: unknown) => this.failed(r, partnerId, err),
    );
  }

  /** The partner took a receipt the store has as owed: clear it there, then forget it here. */
  private owedTaken(r: OwedReceipt, partnerId: string): void {
    const done = (): void => {
      this.active.delete(r.partSeq ?? 0, r.messageId);
      // A sweep whose read was queued before this commit may still list the receipt: remember it until then.
      this.sweptSince.get(partnerId)?.add(keyOf(r));
    };
    this.d.store.receiptForwarded(r.messageId, r.partSeq).then(done, done);
  }

  /** A send failed: the receipt stays owed (or is stored as owed) for a later offer or sweep. */
  private failed(r: OwedReceipt, partnerId: string, err: unknown): void {
    this.active.delete(r.partSeq ?? 0, r.messageId);
    this.d.obs.log('warn', 'receipt to partner failed', { messageId: r.messageId, partner: partnerId, err: String(err) });
    this.drain(partnerId);
  }

  /**
   * Sends a final receipt to the partner before the store has it, so that when the partner answers in time the
   * store need never mark it owed (no owed flag, no second write to clear it). Resolves true once the partner has
   * taken it: the caller then stores the receipt as not owed. Resolves false at once when it cannot go now (not
   * bound, window full, receipts already waiting for this partner, an HTTP callback sink), on an error, or after
   * firstWaitMs without an answer: the caller then stores it as owed and offers it as usual. A late answer then
   * clears the owed receipt like any other; a send that failed leaves it owed for the next sweep.
   */
  forwardFirst(r: OwedReceipt): Promise<boolean> {
    const seq = r.partSeq ?? 0;
    if (this.stopped || this.active.has(seq, r.messageId)) return Promise.resolve(false);
    const q = this.pending.get(r.partnerId);
    if (q !== undefined && q.length > 0) return Promise.resolve(false);
    const sink = this.pick(this.d.sinksFor(r.partnerId));
    if (sink === undefined || sink.sendOwed !== undefined) return Promise.resolve(false);
    const partnerId = r.partnerId;
    return new Promise<boolean>((resolve) => {
      const f: SentFirst = { resolve, deadline: this.d.clock.now() + (this.d.firstWaitMs ?? 20) };
      this.active.set(seq, r.messageId, true);
      this.firstWaits.push(f);
      if (this.firstTimer === undefined) this.armFirstTimer();
      sink.send(partnerReceiptDeliverSm(r)).then(
        () => {
          this.d.obs.receiptForwarded(partnerId);
          const waiting = f.resolve;
          f.resolve = undefined;
          if (waiting !== undefined) {
            this.active.delete(seq, r.messageId);
            waiting(true);
          } else this.owedTaken(r, partnerId); // answered after the wait: stored as owed by now (or being stored)
          this.drain(partnerId);
        },
        (err: unknown) => {
          const waiting = f.resolve;
          f.resolve = undefined;
          waiting?.(false);
          this.failed(r, partnerId, err);
        },
      );
    });
  }

  /** Ends the wait of forwardFirst sends past their deadline; runs while any is waiting. */
  private armFirstTimer(): void {
    const head = this.firstWaits.peek();
    if (head === undefined) {
      this.firstTimer = undefined;
      return;
    }
    this.firstTimer = this.d.clock.setTimeout(() => {
      const now = this.d.clock.now();
      for (let f = this.firstWaits.peek(); f !== undefined && (f.resolve === undefined || f.deadline <= now); f = this.firstWaits.peek()) {
        this.firstWaits.shift();
        const waiting = f.resolve;
        f.resolve = undefined;
        waiting?.(false);
      }
      this.armFirstTimer();
    }, Math.max(1, head.deadline - this.d.clock.now()));
  }

  /** Loads owed receipts of a partner from the store (on bind, and periodically) and sends them. */
  async sweep(partnerId: string): Promise<void> {
    if (this.stopped || this.sweeping.has(partnerId) || this.d.sinksFor(partnerId).length === 0) return;
    this.sweeping.add(partnerId);
    const finishedMeanwhile = new Set<string>();
    this.sweptSince.set(partnerId, finishedMeanwhile);
    try {
      const owed = await this.d.store.owedReceipts(partnerId, this.d.sweepBatch);
      const oldest = this.d.clock.now() - this.d.maxAgeMs(partnerId);
      for (const r of owed) {
        if (this.active.has(r.partSeq ?? 0, r.messageId) || finishedMeanwhile.has(keyOf(r))) continue;
        if (r.doneAt < oldest) {
          this.expired++;
          this.d.obs.log('warn', 'owed receipt too old, dropped', { messageId: r.messageId, partner: partnerId });
          void this.d.store.receiptForwarded(r.messageId, r.partSeq).catch(() => undefined);
          continue;
        }
        this.offer(r);
      }
    } catch (err) {
      this.d.obs.log('error', 'owed receipt sweep failed', { partner: partnerId, err: String(err) });
    } finally {
      this.sweeping.delete(partnerId);
      this.sweptSince.delete(partnerId);
    }
  }

  start(intervalMs: number, partners: () => Iterable<string>): void {
    this.stopped = false;
    const tick = (): void => {
      this.timer = this.d.clock.setTimeout(() => {
        for (const p of partners()) void this.sweep(p);
        if (!this.stopped) tick();
      }, intervalMs);
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.d.clock.clearTimeout(this.timer);
    this.timer = undefined;
    // Receipts sent first and not answered yet are stored as owed now, as at their deadline.
    if (this.firstTimer !== undefined) this.d.clock.clearTimeout(this.firstTimer);
    this.firstTimer = undefined;
    for (let f = this.firstWaits.shift(); f !== undefined; f = this.firstWaits.shift()) {
      const waiting = f.resolve;
      f.resolve = undefined;
      waiting?.(false);
    }
  }
}
