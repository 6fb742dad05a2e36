import { EsmClass, MessageState, Tlv } from '../../protocols/smpp/constants';
import type { DeliverSm } from '../../protocols/smpp/pdu';
import type { OwedReceipt } from '../../routing/ports';

const STAT: Readonly<Record<string, string>> = {
  delivered: 'DELIVRD',
  buffered: 'ENROUTE',
  expired: 'EXPIRED',
  deleted: 'DELETED',
  undeliverable: 'UNDELIV',
  accepted: 'ACCEPTD',
  rejected: 'REJECTD',
  unknown: 'UNKNOWN',
};

const STATE: Readonly<Record<string, number>> = {
  delivered: MessageState.DELIVERED,
  buffered: MessageState.ENROUTE,
  expired: MessageState.EXPIRED,
  deleted: MessageState.DELETED,
  undeliverable: MessageState.UNDELIVERABLE,
  accepted: MessageState.ACCEPTED,
  rejected: MessageState.REJECTED,
  unknown: MessageState.UNKNOWN,
};

/** message_state TLV values, shared: encoders only read a PDU's buffers. */
const STATE_VALUE: Readonly<Record<string, Buffer>> = Object.fromEntries(
  Object.entries(STATE).map(([k, v]) => [k, Buffer.from([v])]),
);
const UNKNOWN_STATE_VALUE = Buffer.from([MessageState.UNKNOWN]);

function err3(code: string | undefined): string {
  if (code === undefined || code === '0' || code === '000') return '000';
  const s = code.replace(/[^0-9A-Za-z]/g, '').slice(-3);
  return s.length >= 3 ? s : '000'.slice(s.length) + s;
}

/** Receipts come in bursts within the same minute: the last few minute stamps are kept formatted. */
const minuteCache = new Map<number, string>();

/** 'YYMMDDhhmm' in UTC, the 10-digit receipt date (vector S5). */
export function receiptDate(ms: number): string {
  const minute = Math.floor(ms / 60_000);
  let s = minuteCache.get(minute);
  if (s === undefined) {
    const d = new Date(minute * 60_000);
    const p2 = (v: number): string => (v < 10 ? '0' : '') + v;
    s = p2(d.getUTCFullYear() % 100) + p2(d.getUTCMonth() + 1) + p2(d.getUTCDate()) + p2(d.getUTCHours()) + p2(d.getUTCMinutes());
    if (minuteCache.size >= 8) minuteCache.delete(minuteCache.keys().next().value as number);
    minuteCache.set(minute, s);
  }
  return s;
}

/**
 * The de-facto receipt text (smpp.md §10, vector S5) with our id, dates to the minute as in S5; the text field
 * stays empty (content is not echoed). Written directly rather than through formatReceiptText: it runs once per
 * message and Date formatting was a visible share of the gateway's CPU.
 */
export function partnerReceiptText(r: OwedReceipt): string {
  const delivered = r.outcome === 'delivered';
  return (
    'id:' + r.messageId +
    (delivered ? ' sub:001 dlvrd:001 submit date:' : ' sub:001 dlvrd:000 submit date:') +
    receiptDate(r.submittedAt) + ' done date:' + receiptDate(r.doneAt) +
    ' stat:' + (STAT[r.outcome] ?? 'UNKNOWN') + ' err:' + err3(r.errorCode) + ' text:'
  );
}

function cstringTlv(tag: number, s: string): { tag: number; value: Buffer } {
  const value = Buffer.allocUnsafe(s.length + 1);
  value.write(s, 0, 'latin1');
  value[s.length] = 0;
  return { tag, value };
}

/** The deliver_sm receipt a partner gets on its rx/trx bind: from its destination to its source, with our id. */
export function partnerReceiptDeliverSm(r: OwedReceipt): DeliverSm {
  return {
    command: 'deliver_sm',
    commandStatus: 0,
    sequenceNumber: 0,
    serviceType: '',
    sourceAddrTon: r.destination.ton,
    sourceAddrNpi: r.destination.npi,
    sourceAddr: r.destination.addr,
    destAddrTon: r.source.ton,
    destAddrNpi: r.source.npi,
    destinationAddr: r.source.addr,
    esmClass: EsmClass.TYPE_SMSC_DELIVERY_RECEIPT,
    protocolId: 0,
    priorityFlag: 0,
    scheduleDeliveryTime: '',
    validityPeriod: '',
    registeredDelivery: 0,
    replaceIfPresentFlag: 0,
    dataCoding: 0,
    smDefaultMsgId: 0,
    shortMessage: Buffer.from(partnerReceiptText(r), 'latin1'),
    tlvs: [
      cstringTlv(Tlv.receipted_message_id, r.messageId),
      { tag: Tlv.message_state, value: STATE_VALUE[r.outcome] ?? UNKNOWN_STATE_VALUE },
    ],
  };
}

/** Whether the partner asked for this receipt (registered_delivery bits 1-0: 1 any, 2 failure only, 3 success only). */
export function partnerWantsReceipt(registeredDelivery: number, outcome: string): boolean {
  switch (registeredDelivery & 0x03) {
    case 1:
      return true;
    case 2:
      return outcome !== 'delivered';
    case 3:
      return outcome === 'delivered';
    default:
      return false;
  }
}
