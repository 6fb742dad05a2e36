import { PduDecodeError } from '../wire/errors';
import { CommandStatus } from './constants';

/**
 * A response whose command_id does not answer the request with its sequence number (e.g. a deliver_sm_resp for our
 * submit_sm). The request fails with this error instead of resolving as if accepted: whether the peer took the
 * message is unknown, so callers treat it as a temporary failure (cloudhopper's UnexpectedPduResponseException).
 * `status` is ESME_RINVCMDID; `expected` / `received` are the command ids.
 */
export class UnexpectedResponseError extends PduDecodeError<number> {
  constructor(
    readonly expected: number,
    readonly received: number,
    readonly sequenceNumber: number,
  ) {
    super(
      CommandStatus.ESME_RINVCMDID,
      `response 0x${received.toString(16)} to request expecting 0x${expected.toString(16)} (seq ${sequenceNumber})`,
    );
  }
}
