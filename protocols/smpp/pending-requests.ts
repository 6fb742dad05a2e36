import { Window } from '../session/window';
import type { Clock } from '../wire/clock';
import { RemoteError } from '../wire/errors';
import { CommandId, statusName } from './constants';
import type { SmppResponsePdu } from './responses';
import { UnexpectedResponseError } from './unexpected-response-error';

/**
 * Our requests awaiting their response: the bounded window keyed by sequence number, plus the response command_id
 * each one expects, so a response of the wrong kind fails its request instead of completing it (smpp.md section 11
 * matches by sequence number; cloudhopper additionally checks the type, and so do we).
 */
export class PendingRequests {
  private readonly window: Window<SmppResponsePdu>;
  /** sequence_number -> expected response command_id. */
  private readonly expected = new Map<number, number>();

  constructor(capacity: number, clock: Clock) {
    this.window = new Window<SmppResponsePdu>(capacity, clock, (seq) => this.expected.delete(seq));
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
    const p = this.window.add(seq, timeoutMs);
    this.expected.set(seq, (requestId | 0x80000000) >>> 0);
    return p;
  }

  /**
   * Completes the request `pdu` answers: resolves on ESME_ROK, rejects with RemoteError(status) on an error status
   * or generic_nack, with UnexpectedResponseError when the response is of another kind. False when no request with
   * that sequence number is in flight or the kind did not match (both worth reporting).
   */
  complete(pdu: SmppResponsePdu): boolean {
    const seq = pdu.sequenceNumber;
    const expected = this.expected.get(seq);
    if (expected === undefined) return false;
    this.expected.delete(seq);
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
    return this.expected.get(seq) === responseId;
  }

  reject(seq: number, err: Error): boolean {
    this.expected.delete(seq);
    return this.window.reject(seq, err);
  }

  rejectAll(err: Error): void {
    this.expected.clear();
    this.window.rejectAll(err);
  }

  drained(): Promise<void> {
    return this.window.drained();
  }
}
