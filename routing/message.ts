/**
 * The protocol-neutral message that flows through the pipeline. Adapters in gateway/adapters/ turn SMPP/UCP/CIMD2
 * PDUs and HTTP requests into these and back. routing/ imports nothing from protocols/.
 */
export type MessageId = string;

export type Direction = 'mt' | 'mo';

/** Lifecycle of a message in the store. Final: delivered, undeliverable, expired, rejected. */
export type MessageState =
  | 'accepted' // stored, acknowledged to the sender, not yet routed
  | 'routed' // a target is chosen, waiting for a link / a window slot / its retry time
  | 'submitted' // the SMSC (MT) or the partner (MO) took it and gave its id
  | 'delivered'
  | 'undeliverable'
  | 'expired'
  | 'rejected';

export const FINAL_STATES: ReadonlySet<MessageState> = new Set(['delivered', 'undeliverable', 'expired', 'rejected']);

export interface Address {
  addr: string;
  ton: number;
  npi: number;
}

/** One segment as sent on the wire: the SMSC gives each part its own id and receipt. */
export interface MessagePart {
  seq: number; // 1-based
  /** short_message bytes for this part, UDH included when `udhi` */
  body: Buffer;
  udhi: boolean;
  smscMessageId?: string;
  state: MessageState;
}

export interface Message {
  id: MessageId;
  direction: Direction;
  /** MT: the partner that submitted it; MO: the partner the service routes it to (once matched). */
  partnerId?: string;
  /** The partner's own reference when it gave one (HTTP API); SMPP partners get our id and keep it. */
  partnerRef?: string;
  /** MT: operator link chosen by routing; MO: the operator link it came in on. */
  connectorId?: string;
  /** Route rule that matched (for CDRs and metrics). */
  routeId?: string;
  source: Address;
  destination: Address;
  dataCoding: number;
  esmClass: number;
  protocolId: number;
  priority: number;
  /** bit 0: the sender asked for a delivery receipt */
  registeredDelivery: number;
  /** Whole message content: what the partner sent (may carry UDH when esmClass has UDHI) */
  body: Buffer;
  /** Set when the message is one part of a concatenated message the sender split itself. */
  concat?: { ref: number; total: number; seq: number };
  /** Parts as sent to the SMSC; a single-part message has one. */
  parts: MessagePart[];
  state: MessageState;
  createdAt: number;
  updatedAt: number;
  /** Epoch ms after which the message expires undelivered. */
  validUntil: number;
  /** Submit attempts so far (retries on temporary errors). */
  attempts: number;
  /** Earliest time of the next attempt (backoff). */
  nextAttemptAt?: number;
  /** Set when a retry follows a submit whose response never came: the SMSC may have it twice. */
  possibleDuplicate: boolean;
  lastError?: string;
  /** Read back from the store: a receipt for this message (or one of its parts) is still owed to the partner. Set by
   *  the store when it records a receipt (recordReceipt), not by insert or update. */
  receiptOwed: boolean;
  /** Pass-through optional parameters the adapters keep (e.g. SMPP TLVs) as tag -> hex. */
  extras?: Record<string, string>;
}

/** A rejection is a value: the responder maps `code` to a wire status. */
export type RejectCode =
  | 'no_route'
  | 'throttled'
  | 'invalid_destination'
  | 'invalid_source'
  | 'blacklisted'
  | 'fraud_limit'
  | 'spam'
  | 'duplicate'
  | 'insufficient_balance'
  | 'system_error';

export type Verdict =
  | { kind: 'accepted' }
  | { kind: 'rejected'; code: RejectCode; reason: string }
  | { kind: 'routed'; routeId: string; targets: string[] };
