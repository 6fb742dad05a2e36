import type { Message, MessageId, RejectCode } from '../../routing/message';

/**
 * What the MO flow and the send API need from the MT side: route, store durably, queue. Resolves once the store has
 * the message (ok) or with the routing rejection; nothing is stored when rejected.
 */
export type SubmitMt = (msg: Message) => Promise<SubmitMtResult>;

export type SubmitMtResult = { ok: true; id: MessageId } | { ok: false; code: RejectCode; reason: string };
