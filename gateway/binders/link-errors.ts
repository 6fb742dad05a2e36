import {
  ConnectionClosedError,
  EncodeError,
  SessionStateError,
  TimeoutError,
  WindowFullError,
} from '../../protocols/wire/errors';
import type { MessagePart } from '../../routing/message';
import type { SubmitFailure } from './link';

/**
 * How a submit failed on our side of the wire, the same for every protocol. Each link classifies the peer's own
 * error statuses (RemoteError) itself and hands everything else here.
 */
export function classifyLocalError(err: unknown): SubmitFailure {
  // The message itself cannot be put on this protocol's wire: retrying will not help.
  if (err instanceof EncodeError) return { kind: 'permanent', code: 'ENCODE' };
  if (err instanceof TimeoutError) return { kind: 'timeout', code: 'TIMEOUT' };
  if (err instanceof ConnectionClosedError) return { kind: 'link', code: 'LINK_DOWN' };
  if (err instanceof SessionStateError || err instanceof WindowFullError) return { kind: 'temporary', code: err.code };
  return { kind: 'temporary', code: err instanceof Error ? err.name : 'ERROR' };
}

/** A part's UDH (when its UDHI is set) and the user data after it, for protocols that carry the UDH apart. */
export function splitPartUdh(part: MessagePart): { udh?: Buffer; payload: Buffer } {
  if (!part.udhi || part.body.length === 0) return { payload: part.body };
  const len = part.body[0]! + 1;
  return { udh: part.body.subarray(0, len), payload: part.body.subarray(len) };
}
