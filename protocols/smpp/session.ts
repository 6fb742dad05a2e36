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
  TimeoutError,
  WindowFullError,
} from '../wire/errors';
import { decodePdu, encodePdu } from './codec';
import { isBadHeaderFrame } from './framing';
import { CommandId, CommandStatus } from './constants';
import { INBOUND_TIMEOUT_STATUS, errorResponseFor, genericNack } from './responses';
import type { SmppRequestPdu, SmppResponsePdu } from './responses';
import { resolveOptions } from './session-options';
import type {
  ResolvedSmppSessionOptions,
  SmppInboundRequest,
  SmppSessionEvent,
  SmppSessionOptions,
  SmppSessionStats,
} from './session-options';
import { PendingRequests } from './pending-requests';
import { SmppKeepalive } from './session-keepalive';
import { canTransition, isBindCommand, isBound, mayRequest, peerOf } from './states';
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

/**
 * One SMPP link, ESME or SMSC side: sequence numbers, the outbound window, inbound request tracking, state rules,
 * keep-alive and the unbind handshake. Binding itself is driven from client-session.ts (ESME) and
 * server-session.ts (SMSC) through the `@internal` hooks below.
 */
export class SmppSession implements Session<SmppRequestPdu, SmppResponsePdu, SmppSessionState, SmppSessionEvent> {
  private readonly eventsSubject = new Subject<SmppSessionEvent>();
  private readonly requestsSubject = new Subject<SmppInboundRequest>();
  readonly events$: Observable<SmppSessionEvent> = this.eventsSubject.asObservable();
  readonly requests$: Observable<SmppInboundRequest> = this.requestsSubject.asObservable();
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
  private bindTimer: TimerHandle | undefined;

  constructor(
    readonly transport: Transport,
    readonly role: SmppRole,
    options: SmppSessionOptions = {},
  ) {
    this.opts = resolveOptions(options);
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
    return !this.window.isFull && !this.closing && mayRequestState(this.role, this._state);
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
    try {
      buf = encodePdu(resp);
    } catch {
      // An application response we cannot encode must still answer the peer: a system error, not a stall.
      buf = encodePdu(errorResponseFor(requestIdOf(resp), CommandStatus.ESME_RSYSERR, sequenceNumber));
    }
    buf.writeUInt32BE(sequenceNumber, 12);
    this.stats.sent++;
    this.transport.send(buf);
  }

  /** @internal Called once bound: records the peer, arms the keep-alive. */
  markBound(to: 'bound_tx' | 'bound_rx' | 'bound_trx', peerSystemId: string): void {
    this.transition(to);
    this.peerSystemId = peerSystemId;
    this.clearBindTimer();
    this.emit({ type: 'bound', systemId: peerSystemId, state: to });
    this.keepalive.start();
  }

  /** @internal Fails the session with `reason` and drops the connection after flushing what is queued. */
  fail(reason: CloseReason): Promise<void> {
    this.closing = true;
    if (!this.closeReason) this.closeReason = reason;
    return this.transport.close();
  }

  /** @internal SMSC side: close a connection that does not bind in time. */
  armBindTimer(): void {
    if (this.opts.bindTimeoutMs <= 0) return;
    this.bindTimer = this.clock.setTimeout(() => {
      this.bindTimer = undefined;
      if (!isBound(this._state) && this._state !== 'closed') {
        void this.fail({ kind: 'error', error: new TimeoutError(`not bound within ${this.opts.bindTimeoutMs} ms`) });
      }
    }, this.opts.bindTimeoutMs);
  }

  private clearBindTimer(): void {
    if (this.bindTimer) this.clock.clearTimeout(this.bindTimer);
    this.bindTimer = undefined;
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
    if (pdu.command !== 'generic_nack' && this.keepalive.isProbeResponse(seq)) return;
    if (!this.window.complete(pdu)) {
      this.stats.unexpectedResponses++;
      this.emit({ type: 'unexpectedResponse', command: pdu.command, sequenceNumber: seq, commandStatus: pdu.commandStatus });
    }
  }

  private onRequest(pdu: SmppRequestPdu): void {
    const seq = pdu.sequenceNumber;
    switch (pdu.command) {
      case 'enquire_link':
        this.writeResponse({ command: 'enquire_link_resp', commandStatus: 0, sequenceNumber: seq }, seq);
        return;
      case 'unbind':
        if (isBound(this._state)) {
          this.writeResponse({ command: 'unbind_resp', commandStatus: 0, sequenceNumber: seq }, seq);
          void this.onPeerUnbind();
        } else if (this._state === 'unbinding') {
          // Both sides unbinding at once: agree, and let our own unbind finish the close.
          this.writeResponse({ command: 'unbind_resp', commandStatus: 0, sequenceNumber: seq }, seq);
        } else {
          this.reject(pdu.command, CommandId.unbind, CommandStatus.ESME_RINVBNDSTS, seq);
        }
        return;
      case 'alert_notification':
        if (mayRequest(pdu.command, peerOf(this.role), this._state)) this.emit({ type: 'alertNotification', pdu });
        else this.emit({ type: 'rejectedRequest', command: pdu.command, status: CommandStatus.ESME_RINVBNDSTS });
        return;
      case 'outbind':
        // Only an ESME waiting in open state for one (acceptOutbind) binds back; outbind has no response of its
        // own, so any other is refused with generic_nack rather than left to the peer's timeout.
        if (this.role === 'esme' && this._state === 'open' && this.outbindHandler && !this.closing) this.outbindHandler(pdu);
        else this.reject(pdu.command, CommandId.outbind, CommandStatus.ESME_RINVBNDSTS, seq);
        return;
      default:
        break;
    }
    if (isBindCommand(pdu.command) && this.role === 'smsc') {
      if (this._state === 'open' && this.bindRequestHandler && !this.closing) this.bindRequestHandler(pdu);
      else {
        // A second bind while bound or binding is "already bound"; while unbinding or closing the state is wrong.
        const status = isBound(this._state) || this._state === 'binding' ? CommandStatus.ESME_RALYBND : CommandStatus.ESME_RINVBNDSTS;
        this.reject(pdu.command, CommandId[pdu.command], status, seq);
      }
      return;
    }
    if (this.closing || !mayRequest(pdu.command, peerOf(this.role), this._state)) {
      this.reject(pdu.command, CommandId[pdu.command], CommandStatus.ESME_RINVBNDSTS, seq);
      return;
    }
    const requestId = CommandId[pdu.command];
    const status = this.fallbackStatus;
    const req = this.tracker.track<SmppRequestPdu, SmppResponsePdu>(
      pdu,
      (resp) => this.writeResponse(resp, seq),
      () => errorResponseFor(requestId, status, seq),
    );
    this.requestsSubject.next(req);
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
    this.clearBindTimer();
    this.transition('closed');
    this.window.rejectAll(new ConnectionClosedError());
    this.emit({ type: 'closed', reason });
    this.eventsSubject.complete();
    this.requestsSubject.complete();
    this.resolveClosed(reason);
  }
}

function mapTransportReason(r: TransportCloseReason): CloseReason {
  if (r.kind === 'error') return r.error instanceof FrameError ? { kind: 'frame_error', error: r.error } : r;
  return r;
}

function mayRequestState(role: SmppRole, state: SmppSessionState): boolean {
  return role === 'esme' ? state === 'bound_tx' || state === 'bound_trx' : state === 'bound_rx' || state === 'bound_trx';
}

function requestIdOf(resp: SmppResponsePdu): number {
  return (CommandId[resp.command] & 0x7fffffff) >>> 0;
}
