import type { Clock } from '../wire/clock';
import type { SessionEvent } from '../session/types';
import type { Cimd2Packet, Cimd2Param, LoginFields } from './packet';

export type Cimd2SessionState = 'open' | 'logging_in' | 'logged_in' | 'logging_out' | 'closed';

/** Allowed state changes; anything else is a bug and throws. */
export const CIMD2_TRANSITIONS: Readonly<Record<Cimd2SessionState, readonly Cimd2SessionState[]>> = {
  open: ['logging_in', 'closed'],
  logging_in: ['logged_in', 'closed'],
  logged_in: ['logging_out', 'closed'],
  logging_out: ['closed'],
  closed: [],
};

export type Cimd2Role = 'client' | 'server';

export interface Cimd2SessionOptions {
  clock?: Clock;
  /**
   * Outbound requests in flight. Default 1: CIMD2's default flow control is stop-and-wait; raise it only when the
   * MC allows windowing. At most 128 (the odd or even packet numbers of one side).
   */
  windowSize?: number;
  /** Default 30_000. */
  responseTimeoutMs?: number;
  /** Send 40 alive after this long without receiving anything; 0 = off. Default 60_000. */
  aliveIntervalMs?: number;
  /** No 90 in time closes the session with {kind: 'keepalive_timeout'}. Default 10_000. */
  aliveTimeoutMs?: number;
  /** InboundTracker: pause reads at / resume at / answer with the fallback after. Defaults 1000 / 500 / 30_000. */
  inboundPauseAt?: number;
  inboundResumeAt?: number;
  inboundTimeoutMs?: number;
  /** Server: close a connection that has not logged in by then. Client: login response timeout. Default 30_000. */
  loginTimeoutMs?: number;
  /** Bound on the drain and on the 02/52 exchange in close(). Default 10_000. */
  logoutTimeoutMs?: number;
  /** Write checksums (per link). Received checksums are verified whenever present. Default true. */
  checksum?: boolean;
}

/** The application's answer to an inbound request: a positive response with parameters, or 900 [901]. */
export interface Cimd2Reply {
  params?: Cimd2Param[];
  errorCode?: number;
  errorText?: string;
}

export type Cimd2SessionEvent =
  | SessionEvent<Cimd2SessionState>
  /** We answered a frame with 99 (bad checksum, no ETX, syntax). */
  | { type: 'nackSent'; packetNumber: number; reason: string }
  /** A response / 98 / 99 that matched nothing in flight, or a request not allowed for this side. */
  | { type: 'unexpectedPacket'; opCode: number; packetNumber: number }
  /** A repeated request (same op and number as the previous one): answered again, not surfaced twice. */
  | { type: 'duplicateRequest'; opCode: number; packetNumber: number };

export interface Cimd2LoginRequest extends LoginFields {
  remoteAddress?: string;
  packet: Cimd2Packet;
}

export type Cimd2AuthResult = { ok: true } | { ok: false; errorCode: number; errorText?: string };

/** Server side: decides a login. Failing with no code answers 100 (invalid login). */
export type Cimd2Authenticator = (req: Cimd2LoginRequest) => Cimd2AuthResult | Promise<Cimd2AuthResult>;
