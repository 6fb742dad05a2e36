import type { Receipt, ReceiptOutcome } from '../../protocols/session/receipt';
import type { Clock } from '../../protocols/wire/clock';
import type { Message, MessageState } from '../../routing/message';
import type { MessageStore, OwedReceipt, StoredReceipt } from '../../routing/ports';
import { partnerWantsReceipt } from '../adapters/partner-receipt';
import type { FailureSink } from '../binders/dispatcher';
import type { RuntimeObserver } from '../binders/observer';
import { normaliseSmscId } from '../ids';
import type { SmscIdFormat } from '../ids';
import { EarlyReceipts } from './early-receipts';
import type { ParkedReceipt } from './early-receipts';
import { ReceiptIndex } from './receipt-index';
import type { IndexedPart } from './receipt-index';

export interface CorrelatorOptions {
  /** How long a receipt that matches nothing waits for its submit_sm_resp. */
  earlyHoldMs: number;
  earlyMax: number;
  indexMax: number;
}

export interface CorrelatorDeps {
  store: MessageStore;
  clock: Clock;
  obs: RuntimeObserver;
  /** How a connector writes its ids (config receiptIdFormat). */
  idFormat(connectorId: string): SmscIdFormat;
  /** Partner setting: one receipt per part or one for the whole message. */
  receiptMode(partnerId: string): 'perPart' | 'whole';
  /** Hands an owed receipt (already durable) to the partner side. */
  forward(owed: OwedReceipt): void;
  /**
   * Sends a final receipt to the partner before it is stored; true once the partner took it (it is then stored as
   * not owed), false when it could not go or got no answer in time (stored as owed, then forwarded). Optional.
   */
  forwardFirst?(owed: OwedReceipt): Promise<boolean>;
}

const STATE_OF: Readonly<Record<ReceiptOutcome, MessageState | undefined>> = {
  delivered: 'delivered',
  expired: 'expired',
  deleted: 'undeliverable',
  undeliverable: 'undeliverable',
  rejected: 'rejected',
  buffered: undefined,
  accepted: undefined,
  unknown: undefined,
};

/**
 * Matches SMSC receipts to our messages by (connector, normalised SMSC id): in memory first, then the store; a
 * receipt that matches neither is parked until its submit_sm_resp shows up or `earlyHoldMs` passes (then counted
 * as unmatched and acknowledged, so the SMSC does not resend it forever). The receipt is durable before it is
 * acknowledged; the partner's copy is owed in the same write.
 */
export class ReceiptCorrelator implements FailureSink {
  readonly index: ReceiptIndex;
  private readonly early: EarlyReceipts;
  unmatched = 0;

  constructor(
    private readonly d: CorrelatorDeps,
    opts: CorrelatorOptions,
  ) {
    this.index = new ReceiptIndex(opts.indexMax);
    this.early = new EarlyReceipts(d.clock, opts.earlyHoldMs, opts.earlyMax, (p) => this.expire(p));
  }

  get parked(): number {
    return this.early.size;
  }

  onSubmitted(connectorId: string, smscMessageId: string, msg: Message, seq: number): void {
    const norm = normaliseSmscId(smscMessageId, this.d.idFormat(connectorId));
    const ref: IndexedPart = { msg, seq };
    const parked = this.early.claim(connectorId, norm);
    if (parked) {
      this.apply(connectorId, norm, ref, parked.receipt, parked.ack);
      if (!parked.receipt.final) this.index.set(connectorId, norm, ref);
      return;
    }
    this.index.set(connectorId, norm, ref);
  }

  onReceipt(connectorId: string, receipt: Receipt, ack: (ok: boolean) => void): void {
    const norm = normaliseSmscId(receipt.smscMessageId, this.d.idFormat(connectorId));
    const ref = this.index.get(connectorId, norm);
    if (ref) {
      this.apply(connectorId, norm, ref, receipt, ack);
      return;
    }
    // An SMSC often writes the receipt in the same packet as the submit_sm_resp: the receipt is decoded first,
    // the response's promise settles a moment later. One turn later the index usually has it, without a store read.
    // All such receipts of a turn share one immediate (flat: connector, id, receipt, ack).
    this.retry.push(connectorId, norm, receipt, ack);
    if (this.retry.length === 4) setImmediate(this.retryNow);
  }

  private retry: unknown[] = [];
  private readonly retryNow = (): void => {
    const q = this.retry;
    this.retry = [];
    for (let i = 0; i < q.length; i += 4) {
      const connectorId = q[i] as string;
      const norm = q[i + 1] as string;
      const receipt = q[i + 2] as Receipt;
      const ack = q[i + 3] as (ok: boolean) => void;
      const later = this.index.get(connectorId, norm);
      if (later) this.apply(connectorId, norm, later, receipt, ack);
      else void this.lookup(connectorId, norm, receipt, ack);
    }
  };

  private async lookup(connectorId: string, norm: string, receipt: Receipt, ack: (ok: boolean) => void): Promise<void> {
    try {
      // The id as the SMSC wrote it: the store normalises it once, with the connector's format ('hex' is not idempotent).
      const hit = await this.d.store.findBySmscId(connectorId, receipt.smscMessageId);
      const msg = hit ? await this.d.store.get(hit.id) : undefined;
      if (hit && msg) {
        this.apply(connectorId, norm, { msg, seq: hit.seq }, receipt, ack);
        return;
      }
      // The index may have been filled while we were reading the store.
      const late = this.index.get(connectorId, norm);
      if (late) {
        this.apply(connectorId, norm, late, receipt, ack);
        return;
      }
      this.early.park({ connectorId, smscIdNorm: norm, receipt, ack, parkedAt: this.d.clock.now() });
    } catch (err) {
      this.d.obs.log('error', 'receipt lookup failed', { connector: connectorId, smscId: receipt.smscMessageId, err: String(err) });
      ack(false);
    }
  }

  private expire(p: ParkedReceipt): void {
    this.unmatched++;
    this.d.obs.unmatchedReceipt(p.connectorId);
    this.d.obs.log('warn', 'unmatched receipt', { connector: p.connectorId, smscId: p.receipt.smscMessageId, outcome: p.receipt.outcome });
    p.ack(true);
  }

  /** A part that ends without an SMSC receipt (refused, expired in retry, out of attempts): a negative receipt. */
  failPart(msg: Message, seq: number, outcome: 'rejected' | 'expired' | 'undeliverable', code: string): void {
    const now = this.d.clock.now();
    msg.lastError = code;
    const r: Receipt = { smscMessageId: '', outcome, final: true, errorCode: code, doneAt: now };
    this.apply(undefined, undefined, { msg, seq }, r, () => undefined);
  }

  private apply(
    connectorId: string | undefined,
    norm: string | undefined,
    ref: IndexedPart,
    receipt: Receipt,
    ack: (ok: boolean) => void,
  ): void {
    const { msg, seq } = ref;
    const part = msg.parts[seq - 1];
    const now = this.d.clock.now();
    const partState = receipt.final ? STATE_OF[receipt.outcome] : undefined;
    if (part && partState) part.state = partState;
    const stored: StoredReceipt = {
      messageId: msg.id,
      partSeq: seq,
      outcome: receipt.outcome,
      final: receipt.final,
      receivedAt: now,
    };
    if (receipt.errorCode !== undefined) stored.errorCode = receipt.errorCode;
    if (receipt.doneAt !== undefined) stored.doneAt = receipt.doneAt;
    const owed = receipt.final ? this.owedFor(msg, seq, receipt, now) : undefined;
    // The partner's copy goes first when it can: taken in time, it is stored as not owed, and the store saves the
    // write that marks it owed and the one that clears it. The SMSC is still acknowledged only once it is stored.
    if (owed !== undefined && this.d.forwardFirst !== undefined) {
      this.d.forwardFirst(owed).then((taken) => this.record(connectorId, norm, msg, receipt, stored, partState, now, owed, taken, ack));
      return;
    }
    this.record(connectorId, norm, msg, receipt, stored, partState, now, owed, false, ack);
  }

  private record(
    connectorId: string | undefined,
    norm: string | undefined,
    msg: Message,
    receipt: Receipt,
    stored: StoredReceipt,
    partState: MessageState | undefined,
    now: number,
    owed: OwedReceipt | undefined,
    taken: boolean,
    ack: (ok: boolean) => void,
  ): void {
    this.d.store.recordReceipt(stored, taken ? undefined : owed).then(
      () => {
        ack(true);
        if (receipt.final && connectorId !== undefined && norm !== undefined) {
          this.index.delete(connectorId, norm);
          this.d.obs.receiptLatency(connectorId, (now - msg.createdAt) / 1000);
        }
        if (partState && msg.parts.every((p) => isFinal(p.state))) {
          msg.state = worstState(msg);
          this.d.obs.message(msg.state, msg.partnerId, msg.connectorId);
        }
        if (owed && !taken) this.d.forward(owed);
      },
      (err: unknown) => {
        this.d.obs.log('error', 'recordReceipt failed', { messageId: msg.id, err: String(err) });
        ack(false);
      },
    );
  }

  private owedFor(msg: Message, seq: number, receipt: Receipt, now: number): OwedReceipt | undefined {
    const partnerId = msg.partnerId;
    if (partnerId === undefined || msg.direction !== 'mt') return undefined;
    const multi = msg.parts.length > 1;
    let outcome: string = receipt.outcome;
    let partSeq: number | undefined;
    if (multi && this.d.receiptMode(partnerId) === 'perPart') partSeq = seq;
    else if (multi) {
      if (!msg.parts.every((p) => isFinal(p.state))) return undefined;
      outcome = wholeOutcome(msg, receipt.outcome);
    }
    if (!partnerWantsReceipt(msg.registeredDelivery, outcome)) return undefined;
    const owed: OwedReceipt = {
      messageId: msg.id,
      partnerId,
      source: msg.source,
      destination: msg.destination,
      outcome,
      submittedAt: msg.createdAt,
      doneAt: receipt.doneAt ?? now,
    };
    if (msg.partnerRef !== undefined) owed.partnerRef = msg.partnerRef;
    if (receipt.errorCode !== undefined) owed.errorCode = receipt.errorCode;
    if (partSeq !== undefined) owed.partSeq = partSeq;
    return owed;
  }

  /** Expires parked receipts now (shutdown). */
  stop(): void {
    this.early.flush();
  }
}

function isFinal(s: MessageState): boolean {
  return s === 'delivered' || s === 'undeliverable' || s === 'expired' || s === 'rejected';
}

/** Delivered only when every part was; otherwise the first part's failure. */
function wholeOutcome(msg: Message, last: string): string {
  for (const p of msg.parts) if (p.state !== 'delivered') return p.state === 'undeliverable' ? 'undeliverable' : p.state;
  return last === 'delivered' ? 'delivered' : last;
}

function worstState(msg: Message): MessageState {
  for (const p of msg.parts) if (p.state !== 'delivered') return p.state;
  return 'delivered';
}
