import type { Observable } from 'rxjs';

/** Why a session ended. */
export type CloseReason =
  | { kind: 'local' } // we closed or unbound
  | { kind: 'remote' } // the peer unbound/logged out or closed the socket
  | { kind: 'frame_error'; error: Error } // the byte stream was corrupt
  | { kind: 'keepalive_timeout' } // the peer stopped answering keep-alives
  | { kind: 'bind_failed'; status: number | string }
  | { kind: 'error'; error: Error };

/** Events common to every protocol session; protocols may add their own variants. */
export type SessionEvent<S extends string = string> =
  | { type: 'state'; from: S; to: S }
  | { type: 'bound'; systemId: string; state: S }
  | { type: 'windowFull'; inFlight: number }
  | { type: 'paused'; inboundInFlight: number }
  | { type: 'resumed'; inboundInFlight: number }
  | { type: 'keepaliveTimeout' }
  | { type: 'decodeError'; status: number | string; message: string }
  | { type: 'closed'; reason: CloseReason };

/**
 * A request from the peer. `respond` must be called exactly once; a second call is ignored and reported as false.
 * If the application does not answer within the session's inbound timeout, the session answers with a defined
 * error itself.
 */
export interface InboundRequest<Req, Resp> {
  readonly pdu: Req;
  readonly receivedAt: number;
  respond(resp: Resp): boolean;
}

export interface SendOptions {
  timeoutMs?: number;
}

/** The surface all three protocol sessions share. */
export interface Session<Req, Resp, S extends string, E = SessionEvent<S>> {
  readonly events$: Observable<E>;
  readonly requests$: Observable<InboundRequest<Req, Resp>>;
  readonly state: S;
  readonly inFlight: number;
  send(req: Req, opts?: SendOptions): Promise<Resp>;
  close(): Promise<void>;
}
