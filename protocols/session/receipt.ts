/**
 * The delivery receipt shape shared by SMPP (deliver_sm receipts), UCP (OT 53) and CIMD2 (op 23), so the
 * gateway correlates and forwards receipts without knowing the protocol.
 */
export type ReceiptOutcome =
  | 'delivered'
  | 'buffered' // still trying (UCP Dst 1, CIMD2 "in process"/"validity not expired")
  | 'expired'
  | 'deleted'
  | 'undeliverable'
  | 'accepted' // SMPP ACCEPTD
  | 'rejected'
  | 'unknown';

export interface Receipt {
  /** The SMSC's message id as it appeared (not normalised). */
  smscMessageId: string;
  outcome: ReceiptOutcome;
  /** Final outcomes end the message's life; buffered/accepted/unknown do not. */
  final: boolean;
  /** Protocol-specific reason code as text (SMPP err:, UCP Rsn, CIMD2 062 status error code). */
  errorCode?: string;
  /** Epoch ms when the SMSC says it submitted / finished, if given. */
  submittedAt?: number;
  doneAt?: number;
  /** Subscriber and originator as the receipt carries them (used to match UCP/CIMD2 ids built from them). */
  destination?: string;
  source?: string;
  text?: string;
}

export function isFinalOutcome(o: ReceiptOutcome): boolean {
  return o === 'delivered' || o === 'expired' || o === 'deleted' || o === 'undeliverable' || o === 'rejected';
}
