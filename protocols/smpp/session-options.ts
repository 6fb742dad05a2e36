import type { InboundRequest, SessionEvent } from '../session/types';
import { systemClock } from '../wire/clock';
import type { Clock } from '../wire/clock';
import type { SmppPdu } from './pdu';
import type { SmppRequestPdu, SmppResponsePdu } from './responses';
import type { SmppSessionState } from './states';

export interface SmppSessionOptions {
  clock?: Clock;
  /** Outbound requests in flight; default 100. */
  windowSize?: number;
  /** Default per-request response timeout; default 30_000. */
  responseTimeoutMs?: number;
  /** Send enquire_link after this long without inbound traffic; 0 = off; default 30_000. */
  enquireLinkIntervalMs?: number;
  /** No enquire_link_resp by then -> close with keepalive_timeout; default 10_000. */
  enquireLinkTimeoutMs?: number;
  inboundPauseAt?: number;
  inboundResumeAt?: number;
  inboundTimeoutMs?: number;
  /** SMSC side: close a connection not bound by then. ESME side: bind response timeout. Default 30_000. */
  bindTimeoutMs?: number;
  /** Upper bound on each phase of close(): draining in-flight requests, then awaiting unbind_resp. Default 10_000. */
  unbindTimeoutMs?: number;
  /**
   * Error responses whose fields are all empty go out as a bare 16-octet header (the SMPP 3.4 text for
   * submit_sm_resp / bind_resp) instead of with their empty fields (Kannel's form, e.g. `...0000000e 00000001 00`).
   * Default false: every decoder we know accepts the empty fields, while some read a missing body as a short PDU.
   * Turn on per peer when it rejects the body.
   */
  omitEmptyErrorBody?: boolean;
}

export type SmppInboundRequest = InboundRequest<SmppRequestPdu, SmppResponsePdu>;

export type SmppSessionEvent =
  | SessionEvent<SmppSessionState>
  /** A response whose sequence number is not in flight (late after a timeout, or bogus). */
  | { type: 'unexpectedResponse'; command: string; sequenceNumber: number; commandStatus: number }
  /** A request refused because of the session state (answered with ESME_RINVBNDSTS / ESME_RALYBND). */
  | { type: 'rejectedRequest'; command: string; status: number }
  /** alert_notification has no response: it is reported here rather than on requests$. */
  | { type: 'alertNotification'; pdu: SmppPdu };

/** Counters kept per session (cheap; read by the gateway's metrics). */
export interface SmppSessionStats {
  sent: number;
  received: number;
  unexpectedResponses: number;
  decodeErrors: number;
  rejectedRequests: number;
  windowFull: number;
}

const DEFAULTS = {
  windowSize: 100,
  responseTimeoutMs: 30_000,
  enquireLinkIntervalMs: 30_000,
  enquireLinkTimeoutMs: 10_000,
  inboundPauseAt: 1000,
  inboundResumeAt: 500,
  inboundTimeoutMs: 30_000,
  bindTimeoutMs: 30_000,
  unbindTimeoutMs: 10_000,
  omitEmptyErrorBody: false,
} as const;

export type ResolvedSmppSessionOptions = Required<Omit<SmppSessionOptions, 'clock'>> & { clock: Clock };

export function resolveOptions(o: SmppSessionOptions = {}): ResolvedSmppSessionOptions {
  return {
    clock: o.clock ?? systemClock,
    windowSize: o.windowSize ?? DEFAULTS.windowSize,
    responseTimeoutMs: o.responseTimeoutMs ?? DEFAULTS.responseTimeoutMs,
    enquireLinkIntervalMs: o.enquireLinkIntervalMs ?? DEFAULTS.enquireLinkIntervalMs,
    enquireLinkTimeoutMs: o.enquireLinkTimeoutMs ?? DEFAULTS.enquireLinkTimeoutMs,
    inboundPauseAt: o.inboundPauseAt ?? DEFAULTS.inboundPauseAt,
    inboundResumeAt: o.inboundResumeAt ?? DEFAULTS.inboundResumeAt,
    inboundTimeoutMs: o.inboundTimeoutMs ?? DEFAULTS.inboundTimeoutMs,
    bindTimeoutMs: o.bindTimeoutMs ?? DEFAULTS.bindTimeoutMs,
    unbindTimeoutMs: o.unbindTimeoutMs ?? DEFAULTS.unbindTimeoutMs,
    omitEmptyErrorBody: o.omitEmptyErrorBody ?? DEFAULTS.omitEmptyErrorBody,
  };
}
