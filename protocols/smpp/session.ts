import { Subject } from 'rxjs';
import type { Observable } from 'rxjs';
import { InboundTracker } from '../session/inbound';
import type { CloseReason, Session, SendOptions } from '../session/types';
import type { Transport, TransportCloseReason } from '../transport/transport';
import type { Clock, TimerHandle } from '../wire/clock';
import {
  ConnectionClosedError,
  FrameError,
  PduDecodeError,
  SessionStateError,
  WindowFullError,
} from '../wire/errors';
import { decodePdu, encodePdu } from './codec';
import { isBadHeaderFrame } from './framing';
import { CommandId, CommandStatus } from './constants';
import { INBOUND_TIMEOUT_STATUS, errorResponseFor, genericNack, requestIdOf } from './responses';
import type { SmppRequestPdu, SmppResponsePdu } from './responses';
import { resolveOptions } from './session-options';
import type {
  ResolvedSmppSessionOptions,
  SmppInboundRequest,
  SmppSessionEvent,
  SmppSessionOptions,
  SmppSessionStats,
} from './session-options';
import { routeInbound } from './inbound-rules';
import { PendingRequests } from './pending-requests';
import { RequestStream } from './request-stream';
import { SmppKeepalive } from './session-keepalive';
import { canTransition, isBound, mayRequest, maySendMessages } from './states';
import type { SmppRole, SmppSessionState } from './states';

export type { SmppSessionState, SmppRole } from './states';
export type { SmppRequestPdu, SmppResponsePdu } from './responses';
export type {
  ResolvedSmppSessionOptions,
  SmppInboundRequest,
  SmppSessionEvent,
  SmppSessionOptions,
  SmppSessionStats,
} from './session-options';
export { resolveOptions } from './session-options';

const MAX_SEQ = 0x7fffffff;
const OMIT_EMPTY_ERROR_BODY = { omitEmptyErrorBody: true } as const;

/**
 * One SMPP link, ESME or SMSC side: sequence numbers, the outbound window, inbound request tracking, state rules,
 * keep-alive and the unbind handshake. Binding itself is driven from client-session.ts (ESME) and
 * server-session.ts (SMSC) through the `@internal` hooks below.
 */
export class SmppSession implements Session<SmppRequestPdu, SmppResponsePdu, SmppSessionState, SmppSessionEvent> {
  private readonly eventsSubject = new Subject<SmppSessionEvent>();
  readonly events$: Observable<SmppSessionEvent> = this.eventsSubject.asObservable();
  /** Inbound requests; those arriving before the first subscriber are held for it (see RequestStream). */
  readonly requests$: Observable<SmppInboundRequest>;
  private readonly requests: RequestStream<SmppInboundRequest>;
  readonly closed: Promise<CloseReason>;
  readonly stats: SmppSessionStats = {
    sent: 0,
    received: 0,
    unexpectedResponses: 0,
    decodeErrors: 0,
    rejectedRequests: 0,
    windowFull: 0,
  };
  /** The peer's system_id once bound. */
  peerSystemId: string | undefined;
  /** interface_version the peer announced (bind) or sc_interface_version it answered (bind_resp), if known. */
  peerInterfaceVersion: number | undefined;

  /**
   * Simulators only (the blackHole persona): read and drop every frame, answering nothing, enquire_link included.
   * The link still counts as busy, so our own keep-alive does not fire.
   */
  muted = false;

  /** @internal */ readonly opts: ResolvedSmppSessionOptions;
  /** @internal */ bindRequestHandler: ((pdu: SmppRequestPdu) => void) | undefined;
  /**
   * @internal ESME side: called synchronously with a successful bind_*_resp, before any later frame of the same
   * chunk is handled, so traffic right behind the bind_resp finds the session bound.
   */
  bindResponseHandler: ((pdu: SmppResponsePdu) => void) | undefined;
  /** @internal ESME side waiting for an outbind (acceptOutbind). */ outbindHandler: ((pdu: SmppRequestPdu) => void) | undefined;
  private readonly clock: Clock;
  private readonly window: PendingRequests;
  private readonly tracker: InboundTracker;
  private readonly fallbackStatus: number;
  private _state: SmppSessionState = 'open';
  private seq = 0;
  private closing = false;
  private closeReason: CloseReason | undefined;
  private closePromise: Promise<void> | undefined;
  private resolveClosed!: (r: CloseReason) => void;
  private readonly keepalive: SmppKeepalive;

  constructor(
    readonly transport: Transport,
    readonly role: SmppRole,
    options: SmppSessionOptions = {},
  ) {
    this.opts = resolveOptions(options);
    this.requests = new RequestStream<SmppInboundRequest>(this.opts.inboundPauseAt);
    this.requests$ = this.requests.requests$;
    this.clock = this.opts.clock;
    this.fallbackStatus = INBOUND_TIMEOUT_STATUS[role];
    this.closed = new Promise((r) => (this.resolveClosed = r));
    this.window = new PendingRequests(this.opts.windowSize, this.clock);
    this.keepalive = new SmppKeepalive(
      this.clock,
      this.opts.enquireLinkIntervalMs,
      this.opts.enquireLinkTimeoutMs,
      () => this.sendProbe(),
      () => {
        this.emit({ type: 'keepaliveTimeout' });
        void this.fail({ kind: 'keepalive_timeout' });
      },
    );
    this.tracker = new InboundTracker(
      this.clock,
      { pauseAt: this.opts.inboundPauseAt, resumeAt: this.opts.inboundResumeAt, timeoutMs: this.opts.inboundTimeoutMs },
      (n) => {
        this.transport.pause();
        this.emit({ type: 'paused', inboundInFlight: n });
      },
      (n) => {
        this.transport.resume();
        this.emit({ type: 'resumed', inboundInFlight: n });
      },
    );
    transport.frames$.subscribe({
      next: (frame) => this.onFrame(frame),
      error: (err: unknown) => this.onFrameError(err),
    });
    void transport.closed.then((r) => this.finish(r));
  }

  get state(): SmppSessionState {
    return this._state;
  }

  /** Outbound requests awaiting a response. */
  get inFlight(): number {
    return this.window.size;
  }

  /** Inbound requests the application has not answered yet. */
  get inboundInFlight(): number {
    return this.tracker.inFlight;
  }

  /** Room for another send() right now. */
  get canSend(): boolean {
    return !this.window.isFull && !this.closing && maySendMessages(this.role, this._state);
  }

  /**
   * Sends a request and resolves with its response when command_status is 0. The sequence number is assigned here
   * (whatever the PDU carries is ignored; the PDU object is not modified).
   */
  send(req: SmppRequestPdu, opts?: SendOptions): Promise<SmppResponsePdu> {
    if (this.closing || this._state === 'closed') {
      return Promise.reject(new SessionStateError(this._state, `session is ${this.closing ? 'closing' : 'closed'}`));
    }
    if (!mayRequest(req.command, this.role, this._state)) {
      return Promise.reject(
        new SessionStateError(this._state, `${this.role} may not send ${req.command} in state ${this._state}`),
      );
    }
    return this.dispatch(req, opts?.timeoutMs ?? this.opts.responseTimeoutMs);
  }

  /** @internal Sends without the state check (bind, unbind during close). */
  dispatch(req: SmppRequestPdu, timeoutMs: number): Promise<SmppResponsePdu> {
    if (this.window.isFull) {
      this.stats.windowFull++;
      this.emit({ type: 'windowFull', inFlight: this.window.size });
      return Promise.reject(new WindowFullError(`window of ${this.window.capacity} is full`));
    }
    let buf: Buffer;
    try {
      buf = encodePdu(req);
    } catch (err) {
      return Promise.reject(err);
    }
    const seq = this.nextSeq();
    // Patch the fresh buffer instead of copying the caller's PDU object to set sequence_number.
    buf.writeUInt32BE(seq, 12);
    const p = this.window.add(seq, buf.readUInt32BE(4), timeoutMs);
    this.stats.sent++;
    this.transport.send(buf);
    return p;
  }

  close(): Promise<void> {
    if (!this.closePromise) this.closePromise = this.doClose();
    return this.closePromise;
  }

  /** Same as close(): drain, unbind, await unbind_resp, close the connection. */
  unbind(): Promise<void> {
    return this.close();
  }

  /** @internal */
  transition(to: SmppSessionState): void {
    const from = this._state;
    if (from === to) return;
    if (!canTransition(from, to)) throw new SessionStateError(from, `no transition ${from} -> ${to}`);
    this._state = to;
    this.emit({ type: 'state', from, to });
  }

  /** @internal */
  emit(e: SmppSessionEvent): void {
    this.eventsSubject.next(e);
  }

  /** @internal Encodes and queues a response to the request numbered `sequenceNumber`. */
  writeResponse(resp: SmppResponsePdu, sequenceNumber: number): void {
    if (!this.transport.isOpen) return;
    let buf: Buffer;
    const encodeOpts = this.opts.omitEmptyErrorBody ? OMIT_EMPTY_ERROR_BODY : undefined;
    try {
      buf = encodePdu(resp, encodeOpts);
    } catch {
      // An application response we cannot encode must still answer the peer: a system error, not a stall.
      buf = encodePdu(errorResponseFor(requestIdOf(resp), CommandStatus.ESME_RSYSERR, sequenceNumber), encodeOpts);
    }
    buf.writeUInt32BE(sequenceNumber, 12);
    this.stats.sent++;
    this.transport.send(buf);
  }

  /** @internal Called once bound: records the peer, arms the keep-alive. */
  markBound(to: 'bound_tx' | 'bound_rx' | 'bound_trx', peerSystemId: string): void {
    this.transition(to);
    this.peerSystemId = peerSystemId;
    this.emit({ type: 'bound', systemId: peerSystemId, state: to });
    this.keepalive.start();
  }

  /** @internal Fails the session with `reason` and drops the connection after flushing what is queued. */
  fail(reason: CloseReason): Promise<void> {
    this.closing = true;
    if (!this.closeReason) this.closeReason = reason;
    return this.transport.close();
  }

  private nextSeq(): number {
    this.seq = this.seq >= MAX_SEQ ? 1 : this.seq + 1;
    return this.seq;
  }

  private onFrame(frame: Buffer): void {
    this.keepalive.rx = true;
    this.stats.received++;
    if (this.muted) return;
    if (isBadHeaderFrame(frame)) {
      this.onBadHeader(frame);
      return;
    }
    const r = decodePdu(frame);
    if (!r.ok) {
      this.onDecodeError(r.error, r.commandId, r.sequenceNumber);
      return;
    }
    const pdu = r.pdu;
    if (pdu.command === 'generic_nack' || (frame.readUInt32BE(4) & 0x80000000) !== 0) {
      this.onResponse(pdu as SmppResponsePdu);
    } else {
      this.onRequest(pdu as SmppRequestPdu);
    }
  }

  private onResponse(pdu: SmppResponsePdu): void {
    const seq = pdu.sequenceNumber;
    // A generic_nack to our enquire_link still proves the peer alive (some SMSCs nack it before bind completes).
    if (this.keepalive.isProbeResponse(seq)) return;
    if (this.bindResponseHandler && pdu.commandStatus === 0 && this.window.expects(seq, CommandId[pdu.command])) {
      const h = this.bindResponseHandler;
      this.bindResponseHandler = undefined;
      h(pdu);
    }
    if (!this.window.complete(pdu)) {
      this.stats.unexpectedResponses++;
      this.emit({ type: 'unexpectedResponse', command: pdu.command, sequenceNumber: seq, commandStatus: pdu.commandStatus });
    }
  }

  private onRequest(pdu: SmppRequestPdu): void {
    const seq = pdu.sequenceNumber;
    const route = routeInbound(pdu.command, {
      role: this.role,
      state: this._state,
      closing: this.closing,
      acceptsBind: this.bindRequestHandler !== undefined,
      acceptsOutbind: this.outbindHandler !== undefined,
    });
    switch (route.kind) {
      case 'answer':
        this.writeResponse({ command: 'enquire_link_resp', commandStatus: 0, sequenceNumber: seq }, seq);
        return;
      case 'peer_unbind':
      case 'agree_unbind':
        this.writeResponse({ command: 'unbind_resp', commandStatus: 0, sequenceNumber: seq }, seq);
        if (route.kind === 'peer_unbind') void this.onPeerUnbind();
        return;
      case 'alert':
        this.emit({ type: 'alertNotification', pdu });
        return;
      case 'drop':
        this.emit({ type: 'rejectedRequest', command: pdu.command, status: route.status });
        return;
      case 'outbind':
        this.outbindHandler?.(pdu);
        return;
      case 'bind':
        this.bindRequestHandler?.(pdu);
        return;
      case 'reject':
        this.reject(pdu.command, CommandId[pdu.command], route.status, seq);
        return;
      case 'application':
        break;
    }
    const requestId = CommandId[pdu.command];
    const status = this.fallbackStatus;
    const req = this.tracker.track<SmppRequestPdu, SmppResponsePdu>(
      pdu,
      (resp) => this.writeResponse(resp, seq),
      () => errorResponseFor(requestId, status, seq),
    );
    this.requests.next(req);
  }

  private reject(command: string, requestId: number, status: number, seq: number): void {
    this.stats.rejectedRequests++;
    this.writeResponse(errorResponseFor(requestId, status, seq), seq);
    this.emit({ type: 'rejectedRequest', command, status });
  }

  private onDecodeError(error: PduDecodeError<number>, commandId: number, seq: number): void {
    this.stats.decodeErrors++;
    this.emit({ type: 'decodeError', status: error.status, message: error.message });
    if (commandId === CommandId.generic_nack) {
      // Never answer a nack with a nack (two broken peers would ping-pong); fail the request it refers to.
      this.window.reject(seq, error);
      return;
    }
    if ((commandId & 0x80000000) !== 0) {
      // An unreadable response: fail the request it answers now rather than at its timeout, and tell the peer.
      this.window.reject(seq, error);
      this.writeResponse(genericNack(error.status, seq), seq);
      return;
    }
    this.writeResponse(errorResponseFor(commandId, error.status, seq), seq);
  }

  /**
   * The framer reported a header with an impossible command_length (smpp.md section 11): answer
   * generic_nack(ESME_RINVCMDLEN) with the peer's sequence number, fail what is in flight, and close once the nack
   * is flushed. The framer drops everything after the bad header, so nothing else is read from this connection.
   */
  private onBadHeader(frame: Buffer): void {
    const length = frame.readUInt32BE(0);
    const seq = frame.readUInt32BE(12);
    const error = new FrameError(`command_length ${length} out of range`);
    this.stats.decodeErrors++;
    this.emit({ type: 'decodeError', status: CommandStatus.ESME_RINVCMDLEN, message: error.message });
    this.writeResponse(genericNack(CommandStatus.ESME_RINVCMDLEN, seq), seq);
    this.onFrameError(error);
    this.keepalive.stop();
    void this.transport.close();
  }

  private onFrameError(err: unknown): void {
    const error = err instanceof Error ? err : new FrameError(String(err));
    if (!this.closeReason) this.closeReason = error instanceof FrameError ? { kind: 'frame_error', error } : { kind: 'error', error };
    this.closing = true;
    this.window.rejectAll(new ConnectionClosedError('frame error', { cause: error }));
  }

  private async onPeerUnbind(): Promise<void> {
    this.closing = true;
    if (!this.closeReason) this.closeReason = { kind: 'remote' };
    this.keepalive.stop();
    this.transition('unbinding');
    await this.boundedDrain();
    await this.transport.close();
  }

  private async doClose(): Promise<void> {
    this.closing = true;
    if (this._state === 'closed') return;
    if (!this.closeReason) this.closeReason = { kind: 'local' };
    this.keepalive.stop();
    if (isBound(this._state)) {
      await this.boundedDrain();
      if (isBound(this._state) && this.transport.isOpen) {
        this.transition('unbinding');
        try {
          await this.dispatch({ command: 'unbind', commandStatus: 0, sequenceNumber: 0 }, this.opts.unbindTimeoutMs);
        } catch {
          // No unbind_resp (timeout, nack, link gone): we close anyway; the peer learns from the FIN.
        }
      }
    }
    await this.transport.close();
    await this.closed;
  }

  /** Waits until no outbound request is in flight, at most unbindTimeoutMs (leftovers fail on close). */
  private async boundedDrain(): Promise<void> {
    if (this.window.size === 0) return;
    let timer: TimerHandle | undefined;
    const timeout = new Promise<void>((r) => (timer = this.clock.setTimeout(r, this.opts.unbindTimeoutMs)));
    await Promise.race([this.window.drained(), timeout, this.closed]);
    if (timer) this.clock.clearTimeout(timer);
  }

  private sendProbe(): number {
    const seq = this.nextSeq();
    this.stats.sent++;
    this.transport.send(encodePdu({ command: 'enquire_link', commandStatus: 0, sequenceNumber: seq }));
    return seq;
  }

  private finish(r: TransportCloseReason): void {
    if (this._state === 'closed') return;
    const reason: CloseReason = this.closeReason ?? mapTransportReason(r);
    this.closeReason = reason;
    this.closing = true;
    this.keepalive.stop();
    this.transition('closed');
    this.window.rejectAll(new ConnectionClosedError());
    this.emit({ type: 'closed', reason });
    this.eventsSubject.complete();
    this.requests.complete();
    this.resolveClosed(reason);
  }
}

function mapTransportReason(r: TransportCloseReason): CloseReason {
  if (r.kind === 'error') return r.error instanceof FrameError ? { kind: 'frame_error', error: r.error } : r;
  return r;
}
