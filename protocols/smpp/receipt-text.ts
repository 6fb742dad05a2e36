import { isFinalOutcome, type Receipt, type ReceiptOutcome } from '../session/receipt';
import { EsmClass, MessageState, Tlv } from './constants';
import { getTlv, type DataSm, type DeliverSm } from './pdu';
import { tlvString, tlvUint } from './tlv';

/**
 * The de-facto delivery receipt text of SMPP 3.4 Appendix B (smpp.md section 10), parsed tolerantly the way Kannel
 * does it: every `key:` is looked up on its own, so missing, reordered or oddly spaced fields still parse.
 */
export interface ReceiptText {
  id: string;
  sub?: string;
  dlvrd?: string;
  /** Epoch ms, reading the SMSC's YYMMDDhhmm[ss] as UTC (receipts carry no zone). */
  submitDate?: Date | number;
  doneDate?: Date | number;
  stat?: string;
  err?: string;
  text?: string;
}

/** After `key:` and its spaces, a value never starts with the next key (`dlvrd: submit date:...` is an empty dlvrd). */
const V = '[ \\t]*(?!(?:id|sub|dlvrd|submit[ _]*date|done[ _]*date|stat|err|text):)';
const KEY_RE = {
  id: new RegExp(`(?:^|\\s)id:${V}(\\S*)`, 'i'),
  sub: new RegExp(`(?:^|\\s)sub:${V}(\\S*)`, 'i'),
  dlvrd: new RegExp(`(?:^|\\s)dlvrd:${V}(\\S*)`, 'i'),
  submitDate: new RegExp(`(?:^|\\s)submit[ _]*date:${V}(\\d*)`, 'i'),
  doneDate: new RegExp(`(?:^|\\s)done[ _]*date:${V}(\\d*)`, 'i'),
  stat: new RegExp(`(?:^|\\s)stat:${V}(\\S*)`, 'i'),
  err: new RegExp(`(?:^|\\s)err:${V}(\\S*)`, 'i'),
} as const;
const TEXT_RE = /(?:^|\s)text:/i;

function field(head: string, re: RegExp): string | undefined {
  const m = re.exec(head);
  return m === null ? undefined : m[1] ?? '';
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two ASCII digits at i as a number, NaN when either is not a digit. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : Number.NaN;
}

/** YYMMDDhhmm or YYMMDDhhmmss (UTC) to epoch ms; undefined when not a plausible date. */
function parseDate(digits: string | undefined): number | undefined {
  if (digits === undefined || (digits.length !== 10 && digits.length !== 12)) return undefined;
  const yy = two(digits, 0);
  const mo = two(digits, 2);
  const dd = two(digits, 4);
  const hh = two(digits, 6);
  const mi = two(digits, 8);
  const ss = digits.length === 12 ? two(digits, 10) : 0;
  // NaN fails every comparison below, so it is refused by the negated ranges.
  if (!(mo >= 1 && mo <= 12 && dd >= 1 && hh <= 23 && mi <= 59 && ss <= 59 && yy >= 0)) return undefined;
  // Refuses 31 February and the like, which Date.UTC would roll over (years are 2000-2099: every 4th is leap).
  const days = mo === 2 && yy % 4 === 0 ? 29 : DAYS_IN_MONTH[mo - 1]!;
  if (dd > days) return undefined;
  return Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss);
}

/**
 * The canonical layout (every key, in order, single spaces, values without ':'), matched in one pass. On such text
 * the per-key search below finds exactly these values, so this is only a shortcut for the usual case.
 */
const CANONICAL_RE =
  /^id:([^\s:]+) sub:([^\s:]*) dlvrd:([^\s:]*) submit date:(\d*) done date:(\d*) stat:([^\s:]*) err:([^\s:]*)(?: text:([\s\S]*))?$/i;

export function parseCanonical(text: string): ReceiptText | null {
  const m = CANONICAL_RE.exec(text);
  if (m === null) return null;
  const r: ReceiptText = { id: m[1]!, sub: m[2]!, dlvrd: m[3]! };
  const submitDate = parseDate(m[4]);
  if (submitDate !== undefined) r.submitDate = submitDate;
  const doneDate = parseDate(m[5]);
  if (doneDate !== undefined) r.doneDate = doneDate;
  r.stat = m[6]!.toUpperCase();
  r.err = m[7]!;
  if (m[8] !== undefined) r.text = m[8];
  return r;
}

function formatDate(d: Date | number | undefined): string {
  if (d === undefined) return '';
  const t = new Date(typeof d === 'number' ? d : d.getTime());
  if (Number.isNaN(t.getTime())) return '';
  const p = (v: number) => String(v).padStart(2, '0');
  const base = `${p(t.getUTCFullYear() % 100)}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}${p(t.getUTCHours())}${p(t.getUTCMinutes())}`;
  return t.getUTCSeconds() === 0 ? base : base + p(t.getUTCSeconds());
}

/** Parses receipt text; null when there is no usable `id:` (not a receipt). */
export function parseReceiptText(text: string): ReceiptText | null {
  if (typeof text !== 'string' || text.length === 0) return null;
  return parseCanonical(text) ?? parseReceiptTextByKeys(text);
}

/** The tolerant parser: each key searched on its own (exported for the test that holds the shortcut to it). */
export function parseReceiptTextByKeys(text: string): ReceiptText | null {
  if (typeof text !== 'string' || text.length === 0) return null;
  const textAt = TEXT_RE.exec(text);
  // Keys are searched only before `text:`, so a quoted original message cannot fake them.
  const head = textAt === null ? text : text.slice(0, textAt.index);
  const id = field(head, KEY_RE.id);
  if (id === undefined || id === '') return null;
  const r: ReceiptText = { id };
  const sub = field(head, KEY_RE.sub);
  if (sub !== undefined) r.sub = sub;
  const dlvrd = field(head, KEY_RE.dlvrd);
  if (dlvrd !== undefined) r.dlvrd = dlvrd;
  const submitDate = parseDate(field(head, KEY_RE.submitDate));
  if (submitDate !== undefined) r.submitDate = submitDate;
  const doneDate = parseDate(field(head, KEY_RE.doneDate));
  if (doneDate !== undefined) r.doneDate = doneDate;
  const stat = field(head, KEY_RE.stat);
  if (stat !== undefined) r.stat = stat.toUpperCase();
  const err = field(head, KEY_RE.err);
  if (err !== undefined) r.err = err;
  if (textAt !== null) r.text = text.slice(textAt.index + textAt[0].length);
  return r;
}

/** The canonical form (vector S5): every key present, dates YYMMDDhhmm (plus ss when non-zero), text cut to 20. */
export function formatReceiptText(r: ReceiptText): string {
  return (
    `id:${r.id} sub:${r.sub ?? '001'} dlvrd:${r.dlvrd ?? (r.stat === 'DELIVRD' ? '001' : '000')} ` +
    `submit date:${formatDate(r.submitDate)} done date:${formatDate(r.doneDate)} ` +
    `stat:${r.stat ?? 'UNKNOWN'} err:${r.err ?? '000'} text:${(r.text ?? '').slice(0, 20)}`
  );
}

/** esm_class message type says receipt or acknowledgement: SMSC receipt, SME delivery/user ack, intermediate. */
export function isReceipt(esmClass: number): boolean {
  const t = esmClass & EsmClass.TYPE_MASK;
  return (
    t === EsmClass.TYPE_SMSC_DELIVERY_RECEIPT ||
    t === EsmClass.TYPE_SME_DELIVERY_ACK ||
    t === EsmClass.TYPE_SME_USER_ACK ||
    t === EsmClass.TYPE_INTERMEDIATE_NOTIFICATION
  );
}

const STAT_OUTCOME: Readonly<Record<string, ReceiptOutcome>> = {
  DELIVRD: 'delivered',
  DELIVERED: 'delivered',
  EXPIRED: 'expired',
  DELETED: 'deleted',
  UNDELIV: 'undeliverable',
  UNDELIVERABLE: 'undeliverable',
  ACCEPTD: 'accepted',
  ACCEPTED: 'accepted',
  UNKNOWN: 'unknown',
  REJECTD: 'rejected',
  REJECTED: 'rejected',
  ENROUTE: 'buffered',
  BUFFRED: 'buffered',
  BUFFERED: 'buffered',
};

function outcomeOfState(state: number): ReceiptOutcome | undefined {
  switch (state) {
    case MessageState.SCHEDULED:
    case MessageState.ENROUTE:
      return 'buffered';
    case MessageState.DELIVERED:
      return 'delivered';
    case MessageState.EXPIRED:
      return 'expired';
    case MessageState.DELETED:
      return 'deleted';
    case MessageState.UNDELIVERABLE:
    case MessageState.SKIPPED:
      return 'undeliverable';
    case MessageState.ACCEPTED:
      return 'accepted';
    case MessageState.UNKNOWN:
      return 'unknown';
    case MessageState.REJECTED:
      return 'rejected';
    default:
      return undefined;
  }
}

function toMs(d: Date | number | undefined): number | undefined {
  if (d === undefined) return undefined;
  return typeof d === 'number' ? d : d.getTime();
}

/**
 * The protocol-neutral receipt carried by a deliver_sm / data_sm, or null when the PDU is not a receipt or names no
 * message. TLVs win over the text (receipted_message_id, message_state, network_error_code), as smpp.md advises.
 */
export function receiptFromDeliverSm(pdu: DeliverSm | DataSm): Receipt | null {
  if (!isReceipt(pdu.esmClass)) return null;
  const payload = getTlv(pdu, Tlv.message_payload);
  const body = pdu.command === 'deliver_sm' && pdu.shortMessage.length > 0 ? pdu.shortMessage : payload;
  const parsed = body !== undefined && body.length > 0 ? parseReceiptText(body.toString('latin1')) : null;

  const tlvId = tlvString(getTlv(pdu, Tlv.receipted_message_id));
  const id = tlvId !== undefined && tlvId !== '' ? tlvId : parsed?.id;
  if (id === undefined) return null;

  const stateValue = getTlv(pdu, Tlv.message_state);
  const stateOutcome = stateValue !== undefined && stateValue.length === 1 ? outcomeOfState(stateValue[0]!) : undefined;
  const outcome: ReceiptOutcome =
    stateOutcome ?? (parsed?.stat !== undefined ? STAT_OUTCOME[parsed.stat] ?? 'unknown' : 'unknown');

  const receipt: Receipt = { smscMessageId: id, outcome, final: isFinalOutcome(outcome) };
  const nec = getTlv(pdu, Tlv.network_error_code);
  const necCode = nec !== undefined && nec.length === 3 ? tlvUint(nec.subarray(1)) : undefined;
  if (necCode !== undefined && necCode !== 0) receipt.errorCode = String(necCode).padStart(3, '0');
  else if (parsed?.err !== undefined) receipt.errorCode = parsed.err;
  const submittedAt = toMs(parsed?.submitDate);
  if (submittedAt !== undefined) receipt.submittedAt = submittedAt;
  const doneAt = toMs(parsed?.doneDate);
  if (doneAt !== undefined) receipt.doneAt = doneAt;
  // The receipt travels back: its source is the original recipient and its destination the original sender.
  receipt.destination = pdu.sourceAddr;
  receipt.source = pdu.destinationAddr;
  if (parsed?.text !== undefined) receipt.text = parsed.text;
  return receipt;
}
