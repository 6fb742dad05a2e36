import type { Receipt, ReceiptOutcome } from '../session/receipt';
import { isFinalOutcome } from '../session/receipt';
import { decodeAMsg } from './content';
import type { UcpAck, UcpNotification } from './pdu';
import { ucpTimeToMs } from './time';

/**
 * UCP message ids are `AdC:SCTS`: the recipient of the 51 and the SC time stamp the SC gave it. The 51 ACK
 * carries that string in SM; a 53 repeats the recipient in OAdC and the stamp in SCTS.
 */
export function ucpMessageId(recipient: string, scts: string): string {
  return `${recipient}:${scts}`;
}

/**
 * Message id from a 51 ACK. Most SCs put `AdC:SCTS` in SM; some send only the SCTS (then the submit's AdC is
 * prefixed) and a few nothing usable (undefined).
 */
export function messageIdFromSubmitAck(ack: UcpAck, submitAdc: string): string | undefined {
  const sm = ack.sm;
  if (/^\d*:\d{10,12}$/.test(sm)) return sm;
  if (/^\d{12}$/.test(sm)) return ucpMessageId(submitAdc, sm);
  return sm === '' ? undefined : sm;
}

export function outcomeForDst(dst: string): ReceiptOutcome {
  switch (dst) {
    case '0':
      return 'delivered';
    case '1':
      return 'buffered';
    case '2':
      return 'undeliverable';
    default:
      return 'unknown';
  }
}

/** Maps a 53 to the receipt shape shared by all protocols. `offsetMinutes` is the SC's UTC offset for times. */
export function receiptFromNotification(pdu: Omit<UcpNotification, 'trn'>, offsetMinutes = 0): Receipt {
  const outcome = outcomeForDst(pdu.dst);
  const submittedAt = ucpTimeToMs(pdu.scts, offsetMinutes);
  const doneAt = ucpTimeToMs(pdu.dscts, offsetMinutes);
  const text = pdu.mt === '3' ? decodeAMsg(pdu.msg) : pdu.mt === '2' ? pdu.msg : undefined;
  return {
    smscMessageId: ucpMessageId(pdu.oadc, pdu.scts),
    outcome,
    final: isFinalOutcome(outcome),
    ...(pdu.rsn !== '' && outcome !== 'delivered' ? { errorCode: pdu.rsn } : {}),
    ...(submittedAt !== undefined ? { submittedAt } : {}),
    ...(doneAt !== undefined ? { doneAt } : {}),
    destination: pdu.oadc,
    source: pdu.adc,
    ...(text !== undefined ? { text } : {}),
  };
}
