import { Window } from '../session/window';
import type { Clock } from '../wire/clock';
import { RemoteError } from '../wire/errors';
import { CommandId, statusName } from './constants';
import type { SmppResponsePdu } from './responses';
import { UnexpectedResponseError } from './unexpected-response-error';

/**
 * Our requests awaiting their response: the bounded window keyed by sequence number, each tagged with the response
 * command_id it expects, so a response of the wrong kind fails its request instead of completing it (smpp.md section 11
 * matches by sequence number; cloudhopper additionally checks the type, and so do we).
 */
export class PendingRequests {
  private readonly window: Window<SmppResponsePdu>;

  constructor(capacity: number, clock: Clock) {
    this.window = new Window<SmppResponsePdu>(capacity, clock);
  }

  get size(): number {
    return this.window.size;
  }

  get isFull(): boolean {
    return this.window.isFull;
  }

  get capacity(): number {
    return this.window.capacity;
  }

  /** Takes a slot for the request numbered `seq` with command id `requestId`; throws WindowFullError when full. */
  add(seq: number, requestId: number, timeoutMs: number): Promise<SmppResponsePdu> {
    return this.window.add(seq, timeoutMs, (requestId | 0x80000000) >>> 0);
  }

  /**
   * Completes the request `pdu` answers: resolves on ESME_ROK, rejects with RemoteError(status) on an error status
   * or generic_nack, with UnexpectedResponseError when the response is of another kind. False when no request with
   * that sequence number is in flight or the kind did not match (both worth reporting).
   */
  complete(pdu: SmppResponsePdu): boolean {
    const seq = pdu.sequenceNumber;
    const expected = this.window.tagOf(seq);
    if (expected === undefined) return false;
    if (pdu.command !== 'generic_nack') {
      const received = CommandId[pdu.command];
      if (received !== expected) {
        this.window.reject(seq, new UnexpectedResponseError(expected, received, seq));
        return false;
      }
      if (pdu.commandStatus === 0) return this.window.resolve(seq, pdu);
    }
    return this.window.reject(seq, new RemoteError(pdu.commandStatus, `${pdu.command} ${statusName(pdu.commandStatus)}`));
  }

  /** Whether the request numbered `seq` is in flight and awaits a response with command id `responseId`. */
  expects(seq: number, responseId: number): boolean {
    return this.window.tagOf(seq) === responseId;
  }

  reject(seq: number, err: Error): boolean {
    return this.window.reject(seq, err);
  }

  rejectAll(err: Error): void {
    this.window.rejectAll(err);
  }

  drained(): Promise<void> {
    return this.window.drained();
  }
}
