import type { Receipt } from '../../protocols/session/receipt';
import type { Message, MessagePart } from '../../routing/message';

/** One part of one MT on its way to an operator link. */
export interface DispatchJob {
  msg: Message;
  part: MessagePart;
  /** Connectors to try, in order (failover list from the route). */
  targets: readonly string[];
  /** Set when the job is taken off the queue and sent (epoch ms). */
  sentAt: number;
}

/** How a failed submit is handled: retried later, slowed down, or final. */
export type SubmitFailureKind = 'temporary' | 'throttled' | 'timeout' | 'link' | 'permanent';

export interface SubmitFailure {
  kind: SubmitFailureKind;
  /** Protocol status name or error code, for the store's lastError and logs. */
  code: string;
}

/** What a link tells the binder about traffic the operator starts. `ack(true)` answers OK, `ack(false)` a temporary error. */
export interface LinkHandlers {
  onReceipt(receipt: Receipt, ack: (ok: boolean) => void): void;
  /** A mobile-originated message (not a receipt); absent = acknowledged and counted as unhandled. */
  onMo?(mo: unknown, ack: (ok: boolean) => void): void;
}

/**
 * One bound connection to an operator, whatever the protocol. The binder owns reconnects and pacing; the link only
 * sends and classifies.
 */
export interface LinkSession {
  readonly canSend: boolean;
  readonly inFlight: number;
  /** Settles when the connection is gone for any reason. */
  readonly closed: Promise<unknown>;
  /** Resolves with the SMSC's message id; rejects with an error that `classify` understands. */
  submit(job: DispatchJob, timeoutMs: number): Promise<string>;
  close(): Promise<void>;
}

export interface LinkFactory {
  readonly protocol: 'smpp' | 'ucp' | 'cimd2';
  /** Connects and binds; rejects when either fails. */
  connect(handlers: LinkHandlers): Promise<LinkSession>;
  classify(err: unknown): SubmitFailure;
}
