import type { Message, MessageId, MessageState } from './message';

/** Time for the pipeline; the same shape as protocols/wire/clock.ts Clock.now (routing/ must not import protocols/). */
export interface Clock {
  now(): number;
}

/** A receipt as the gateway records it, protocol-neutral. */
export interface StoredReceipt {
  messageId: MessageId;
  partSeq: number;
  /** delivered | buffered | expired | deleted | undeliverable | accepted | rejected | unknown */
  outcome: string;
  final: boolean;
  errorCode?: string;
  receivedAt: number;
  doneAt?: number;
}

/** What the gateway owes a partner: a receipt to forward on its SMPP bind or HTTP callback. */
export interface OwedReceipt {
  messageId: MessageId;
  partnerId: string;
  partnerRef?: string;
  source: Message['source'];
  destination: Message['destination'];
  outcome: string;
  errorCode?: string;
  submittedAt: number;
  doneAt: number;
  /** The part this receipt is for, when the partner gets one receipt per part. */
  partSeq?: number;
}

export interface StoreStats {
  /** Writes queued for the next group commit. */
  queueDepth: number;
  /** createdAt of the oldest message not in a final state, or undefined. */
  oldestUnfinishedAt?: number;
  unfinished: number;
}

/**
 * Durable message store. Every mutating call is batched into a group commit; the returned promise resolves once
 * the change is durable (fsync'd). Calls made in one event-loop turn share one transaction.
 */
export interface MessageStore {
  /** Next id (unique across restarts of this node). */
  nextId(): MessageId;
  insert(msg: Message): Promise<void>;
  /** Partial update of top-level fields (state, connectorId, routeId, attempts, nextAttemptAt, lastError, ...). */
  update(id: MessageId, patch: Partial<Omit<Message, 'id' | 'parts'>>): Promise<void>;
  /**
   * Part-level transition, e.g. submitted with the SMSC's id. The (connector, normalised SMSC id) index uses
   * `connectorId` when given, else the message's connectorId at that point of the batch.
   */
  updatePart(
    id: MessageId,
    seq: number,
    patch: { state?: MessageState; smscMessageId?: string; connectorId?: string },
  ): Promise<void>;
  /** Stores a receipt and the resulting message/part state; marks a receipt owed to the partner when asked. */
  recordReceipt(r: StoredReceipt, owed: OwedReceipt | undefined): Promise<void>;
  /** The partner got the receipt: drop it from the owed list. */
  receiptForwarded(messageId: MessageId, partSeq?: number): Promise<void>;
  get(id: MessageId): Promise<Message | undefined>;
  /**
   * (connectorId, SMSC id as the SMSC wrote it) -> message and part, for receipts that miss the in-memory index. The
   * store normalises the id as it did when the id was written (the connector's id format), once.
   */
  findBySmscId(connectorId: string, smscMessageId: string): Promise<{ id: MessageId; seq: number } | undefined>;
  /** Messages not in a final state, oldest first (resume after restart). */
  unfinished(direction: Message['direction'], limit: number, afterId?: MessageId): Promise<Message[]>;
  /** Receipts owed to a partner, oldest first. */
  owedReceipts(partnerId: string, limit: number): Promise<OwedReceipt[]>;
  /** Deletes final messages (and their parts/receipts) whose updatedAt is older than `before`. */
  purgeFinished(before: number): Promise<number>;
  stats(): StoreStats;
  close(): Promise<void>;
}

/** Counters for fraud limits / throttles: in memory on one node, Redis in a cluster. */
export interface Counters {
  /** Adds `by` to the key's sliding window of `windowMs` and returns the new total. */
  add(key: string, by: number, windowMs: number): Promise<number>;
  get(key: string, windowMs: number): Promise<number>;
}
