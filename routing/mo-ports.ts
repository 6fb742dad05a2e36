/**
 * Ports of the MO and partner-HTTP side (interfaces only). SQLite implementations live in gateway/store/sqlite/mo-*.ts.
 * Every mutating call resolves once the change is durable (group commit, like MessageStore).
 */
import type { MessageId } from './message';
import type { MoPartInput } from './mo-reassembly';

/** Parts of long MOs kept until their message is complete (survive restarts). */
export interface MoPartStore {
  save(groupKey: string, part: MoPartInput): Promise<void>;
  /** Removes the group's parts (complete, expired or dropped). */
  deleteGroup(groupKey: string): Promise<void>;
  /** All stored parts, oldest first: fed back to the reassembler on start. */
  loadAll(): Promise<MoPartInput[]>;
}

export interface IdempotencyRecord {
  partnerId: string;
  key: string;
  messageId: MessageId;
  createdAt: number;
}

/** Idempotency keys of the send API: (partner, key) -> first message id, kept `ttlMs` (24 h). */
export interface IdempotencyStore {
  /** Stores the record unless one younger than `now - ttlMs` exists; returns the existing one in that case. */
  claim(rec: IdempotencyRecord, ttlMs: number): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyRecord }>;
  /** Drops a claim whose message was rejected, so a corrected retry with the same key can succeed. */
  release(partnerId: string, key: string): Promise<void>;
  purge(before: number): Promise<number>;
}

export type MoDeliveryState = 'pending' | 'dead';

/** An MO the partner handler has not taken yet: waiting for an SMPP bind (pending) or failed after retries (dead). */
export interface MoDeliveryRecord {
  moId: MessageId;
  partnerId: string;
  serviceId: string;
  state: MoDeliveryState;
  attempts: number;
  lastError?: string;
  queuedAt: number;
  updatedAt: number;
}

export interface MoDeliveryStore {
  put(rec: MoDeliveryRecord): Promise<void>;
  remove(moId: MessageId): Promise<void>;
  get(moId: MessageId): Promise<MoDeliveryRecord | undefined>;
  list(filter: { state?: MoDeliveryState; partnerId?: string; limit: number; afterMoId?: MessageId }): Promise<MoDeliveryRecord[]>;
}

/** What the send API keeps per message beyond the MessageStore: callback URL, MO link, idempotency key. */
export interface ApiMessageRecord {
  messageId: MessageId;
  partnerId: string;
  callbackUrl?: string;
  /** The MO this message answers (async partner reply or sync reply). */
  moRef?: MessageId;
  createdAt: number;
}

export interface ApiMessageStore {
  put(rec: ApiMessageRecord): Promise<void>;
  get(messageId: MessageId): Promise<ApiMessageRecord | undefined>;
  /** Replies linked to one MO. */
  byMoRef(moId: MessageId): Promise<ApiMessageRecord[]>;
}
