/**
 * Error classes shared by every protocol and by the gateway. Tests assert on `code` or class, never on text.
 * `status` on PduDecodeError / RemoteError is the protocol's own error code (SMPP command_status number,
 * UCP EC as a two-digit string, CIMD2 error code number).
 */
export type ErrorCode =
  | 'FRAME'
  | 'PDU_DECODE'
  | 'ENCODE'
  | 'SESSION_STATE'
  | 'REMOTE'
  | 'TIMEOUT'
  | 'WINDOW_FULL'
  | 'CONNECTION_CLOSED'
  | 'SLOW_PEER'
  | 'CONFIG'
  | 'BOUNDS'
  | 'STORE';

export class GatewayError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export class ProtocolError extends GatewayError {}

/** The byte stream cannot be framed any more: the session must close. */
export class FrameError extends ProtocolError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FRAME', message, options);
  }
}

/** A frame whose header was readable but whose body was not: answer `status` and carry on. */
export class PduDecodeError<S = number | string> extends ProtocolError {
  readonly status: S;
  constructor(status: S, message: string, options?: { cause?: unknown }) {
    super('PDU_DECODE', message, options);
    this.status = status;
  }
}

export class EncodeError extends ProtocolError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ENCODE', message, options);
  }
}

/** Read past the end of a buffer; codecs map it to their own "bad length" status. */
export class BoundsError extends ProtocolError {
  constructor(message: string) {
    super('BOUNDS', message);
  }
}

export class SessionStateError extends ProtocolError {
  readonly state: string;
  constructor(state: string, message: string) {
    super('SESSION_STATE', message);
    this.state = state;
  }
}

/** The peer answered with an error status. */
export class RemoteError<S = number | string> extends GatewayError {
  readonly status: S;
  constructor(status: S, message: string) {
    super('REMOTE', message);
    this.status = status;
  }
}

export class TimeoutError extends GatewayError {
  constructor(message: string) {
    super('TIMEOUT', message);
  }
}

export class WindowFullError extends GatewayError {
  constructor(message = 'window full') {
    super('WINDOW_FULL', message);
  }
}

export class ConnectionClosedError extends GatewayError {
  constructor(message = 'connection closed', options?: { cause?: unknown }) {
    super('CONNECTION_CLOSED', message, options);
  }
}

export class SlowPeerError extends GatewayError {
  constructor(message = 'peer does not read: write buffer stayed full past the drain limit') {
    super('SLOW_PEER', message);
  }
}

export type DecodeResult<T, S = number | string> =
  | { ok: true; pdu: T }
  | { ok: false; error: PduDecodeError<S> };
