import { EsmClass, MessageState, Tlv } from '../../protocols/smpp/constants';
import type { DeliverSm } from '../../protocols/smpp/pdu';
import type { OwedReceipt } from '../../routing/ports';
import { formatReceiptText } from '../../protocols/smpp/receipt-text';

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

function err3(code: string | undefined): string {
  const s = (code ?? '0').replace(/[^0-9A-Za-z]/g, '').slice(-3);
  return s.length >= 3 ? s : '000'.slice(s.length) + s;
}

/** The de-facto receipt text (smpp.md §10, vector S5) with our id; the text field stays empty (content not echoed). */
export function partnerReceiptText(r: OwedReceipt): string {
  return formatReceiptText({
    id: r.messageId,
    sub: '001',
    dlvrd: r.outcome === 'delivered' ? '001' : '000',
    submitDate: r.submittedAt,
    doneDate: r.doneAt,
    stat: STAT[r.outcome] ?? 'UNKNOWN',
    err: err3(r.errorCode),
    text: '',
  });
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
      { tag: Tlv.message_state, value: Buffer.from([STATE[r.outcome] ?? MessageState.UNKNOWN]) },
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
