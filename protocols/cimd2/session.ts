import { Subject, type Observable } from 'rxjs';
import { InboundTracker } from '../session/inbound';
import type { CloseReason, InboundRequest, Session, SendOptions } from '../session/types';
import { Window } from '../session/window';
import type { Transport } from '../transport/transport';
import { systemClock, type Clock } from '../wire/clock';
import {
  ConnectionClosedError,
  FrameError,
  RemoteError,
  SessionStateError,
  WindowFullError,
} from '../wire/errors';
import { decodePacket, encodePacket, type Cimd2DecodeFailure } from './codec';
import {
  CLIENT_REQUEST_OPS,
  ErrorCode,
  isRequestOp,
  isResponseOp,
  NACK_STATUS,
  OpCode,
  Param,
  SERVER_REQUEST_OPS,
} from './constants';
import { alive, errorCodeOf, getParam, errorTextOf, errorResponseTo, generalError, login, logout, nack, responseTo, type Cimd2Packet, type LoginFields } from './packet';
import {
  CIMD2_TRANSITIONS,
  type Cimd2Authenticator,
  type Cimd2Reply,
  type Cimd2Role,
  type Cimd2SessionEvent,
  type Cimd2SessionOptions,
  type Cimd2SessionState,
} from './session-types';
import { Keepalive } from './keepalive';
import { runServerLogin } from './server-login';
import { submitError } from './submit-check';
import { DirectSubject } from '../transport/direct-subject';

const MAX_WINDOW = 128;

/**
 * One CIMD2 link, as client (SME) or server (MC). Same surface as the SMPP and UCP sessions: `events$`,
 * `requests$` (each answered exactly once, with a fallback 900:6 on timeout), `send()` on a bounded window keyed by
 * packet number, `close()` that drains, logs out (client) and awaits the write.
 */
export class Cimd2Session implements Session<Cimd2Packet, Cimd2Reply, Cimd2SessionState, Cimd2SessionEvent> {
  private readonly eventsSubject = new Subject<Cimd2SessionEvent>();
  private readonly requestsSubject = new DirectSubject<InboundRequest<Cimd2Packet, Cimd2Reply>>();
  readonly events$: Observable<Cimd2SessionEvent> = this.eventsSubject.asObservable();
  readonly requests$: Observable<InboundRequest<Cimd2Packet, Cimd2Reply>> = this.requestsSubject.asObservable();
  readonly clock: Clock;
  private current: Cimd2SessionState = 'open';
  private readonly window: Window<Cimd2Packet>;
  private readonly tracker: InboundTracker;
  private readonly sentOp = new Int16Array(256);
  private nextNumber: number;
  private readonly checksum: boolean;
  private readonly responseTimeoutMs: number;
  private readonly logoutTimeoutMs: number;
  readonly loginTimeoutMs: number;
  private readonly keepalive: Keepalive;
  private lastRx: number;
  private lastReqOp = -1;
  private lastReqNum = -1;
  private lastAnswer: Buffer | undefined;
  private closeStarted: Promise<void> | undefined;
  /** Why the transport is about to close, when we close it ourselves (its completion would otherwise read as remote). */
  private closeHint: CloseReason | undefined;
  private resolveFinished!: (r: CloseReason) => void;
  /** Resolves with the reason once the session is closed. */
  readonly finished: Promise<CloseReason>;
  /** Set by the server side once a login succeeded. */
  user: string | undefined;

  constructor(
    readonly transport: Transport,
    readonly role: Cimd2Role,
    opts: Cimd2SessionOptions = {},
    private readonly auth?: Cimd2Authenticator,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.checksum = opts.checksum !== false;
    this.responseTimeoutMs = opts.responseTimeoutMs ?? 30_000;
    this.logoutTimeoutMs = opts.logoutTimeoutMs ?? 10_000;
    this.loginTimeoutMs = opts.loginTimeoutMs ?? 30_000;
    this.nextNumber = role === 'client' ? 1 : 0;
    this.lastRx = this.clock.now();
    this.finished = new Promise((r) => (this.resolveFinished = r));
    const size = Math.max(1, Math.min(MAX_WINDOW, opts.windowSize ?? 1));
    this.window = new Window<Cimd2Packet>(size, this.clock);
    const self = this;
    this.keepalive = new Keepalive(this.clock, opts.aliveIntervalMs ?? 60_000, opts.aliveTimeoutMs ?? 10_000, {
      get active() {
        return self.current === 'logged_in';
      },
      get lastRx() {
        return self.lastRx;
      },
      canSend: () => !this.window.isFull,
      sendAlive: (ms) => this.transmit(alive(), ms),
      onDead: () => {
        this.emit({ type: 'keepaliveTimeout' });
        this.finish({ kind: 'keepalive_timeout' });
      },
    });
    this.tracker = new InboundTracker(
      this.clock,
      {
        pauseAt: opts.inboundPauseAt ?? 1000,
        resumeAt: opts.inboundResumeAt ?? 500,
        timeoutMs: opts.inboundTimeoutMs ?? 30_000,
      },
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
      next: (f) => this.onFrame(f),
      error: (e: unknown) => this.finish({ kind: 'frame_error', error: e instanceof Error ? e : new FrameError(String(e)) }),
      complete: () => this.finish(this.closeHint ?? { kind: 'remote' }),
    });
  }

  get state(): Cimd2SessionState {
    return this.current;
  }

  get inFlight(): number {
    return this.window.size;
  }

  get inboundInFlight(): number {
    return this.tracker.inFlight;
  }

  /** Sends a request (its packet number is assigned here) and resolves with the positive response. */
  send(req: Cimd2Packet, opts: SendOptions = {}): Promise<Cimd2Packet> {
    if (this.current !== 'logged_in') {
      return Promise.reject(new SessionStateError(this.current, `cannot send op ${req.opCode} in state ${this.current}`));
    }
    const allowed = this.role === 'client' ? CLIENT_REQUEST_OPS : SERVER_REQUEST_OPS;
    if (!allowed.has(req.opCode) || req.opCode === OpCode.LOGIN || req.opCode === OpCode.LOGOUT) {
      return Promise.reject(new SessionStateError(this.current, `op ${req.opCode} is not a ${this.role} request here`));
    }
    return this.transmit(req, opts.timeoutMs ?? this.responseTimeoutMs);
  }

  private transmit(req: Cimd2Packet, timeoutMs: number): Promise<Cimd2Packet> {
    if (this.window.isFull) {
      this.emit({ type: 'windowFull', inFlight: this.window.size });
      return Promise.reject(new WindowFullError(`window of ${this.window.capacity} is full`));
    }
    let num = this.nextNumber;
    for (let guard = 0; guard < MAX_WINDOW && this.window.has(num); guard++) num = (num + 2) & 0xff;
    this.nextNumber = (num + 2) & 0xff;
    let buf: Buffer;
    try {
      buf = encodePacket({ opCode: req.opCode, packetNumber: num, params: req.params }, { checksum: this.checksum });
    } catch (e) {
      return Promise.reject(e);
    }
    const p = this.window.add(num, timeoutMs);
    this.sentOp[num] = req.opCode;
    this.transport.send(buf);
    return p;
  }

  /** Client: 01 login as packet 001 (as Kannel does), resolves once 51 arrives without 900. */
  async login(f: LoginFields): Promise<void> {
    if (this.role !== 'client' || this.current !== 'open') throw new SessionStateError(this.current, 'login only from open (client)');
    this.transition('logging_in');
    this.nextNumber = 1;
    try {
      await this.transmit(login(f), this.loginTimeoutMs);
    } catch (e) {
      if (e instanceof RemoteError) this.finish({ kind: 'bind_failed', status: e.status as number });
      else this.finish({ kind: 'error', error: e instanceof Error ? e : new Error(String(e)) });
      throw e;
    }
    this.onLoggedIn(f.user);
  }

  /** @internal called by the login paths. */
  onLoggedIn(user: string): void {
    if (this.current !== 'logging_in') return;
    this.user = user;
    this.transition('logged_in');
    this.emit({ type: 'bound', systemId: user, state: this.current });
    this.keepalive.start();
  }

  /** @internal server login path. */
  beginLogin(): boolean {
    if (this.current !== 'open') return false;
    this.transition('logging_in');
    return true;
  }

  /** @internal writes a packet outside the window (responses, 98, 99). */
  writePacket(pkt: Cimd2Packet): Buffer | undefined {
    try {
      const buf = encodePacket(pkt, { checksum: this.checksum });
      this.transport.send(buf);
      return buf;
    } catch {
      // An application reply with an invalid value: answer a system error rather than nothing.
      if (pkt.opCode !== OpCode.GENERAL_ERROR && pkt.opCode !== OpCode.NACK) {
        return this.writePacket(errorResponseTo({ opCode: pkt.opCode - 50, packetNumber: pkt.packetNumber }, ErrorCode.GENERAL_SYSTEM_ERROR));
      }
      return undefined;
    }
  }

  /** Drains in-flight requests, logs out (client), then closes the transport. */
  close(): Promise<void> {
    if (!this.closeStarted) this.closeStarted = this.doClose();
    return this.closeStarted;
  }

  private async doClose(): Promise<void> {
    if (this.current === 'closed') return;
    // From here on the link ends because we asked for it, even if the peer closes first after 52.
    this.closeHint = { kind: 'local' };
    if (this.current === 'logged_in') {
      this.transition('logging_out');
      this.keepalive.stop();
      await this.bounded(this.window.drained(), this.logoutTimeoutMs);
      if (this.role === 'client' && this.transport.isOpen) {
        await this.bounded(this.transmit(logout(), this.logoutTimeoutMs).catch(() => undefined), this.logoutTimeoutMs);
      }
    }
    if (this.transport.isOpen) await this.transport.close();
    this.finish({ kind: 'local' });
  }

  private bounded<T>(p: Promise<T>, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = this.clock.setTimeout(resolve, ms);
      p.then(
        () => {
          this.clock.clearTimeout(t);
          resolve();
        },
        () => {
          this.clock.clearTimeout(t);
          resolve();
        },
      );
    });
  }

  private onFrame(frame: Buffer): void {
    this.lastRx = this.clock.now();
    const r = decodePacket(frame);
    if (!r.ok) {
      this.onDecodeFailure(r);
      return;
    }
    const pkt = r.pdu;
    const op = pkt.opCode;
    if (isResponseOp(op)) this.onResponse(pkt, op);
    else if (op === OpCode.GENERAL_ERROR || op === OpCode.NACK) this.onReject(pkt, op);
    else this.onRequest(pkt, op);
  }

  private onResponse(pkt: Cimd2Packet, op: number): void {
    const num = pkt.packetNumber;
    if (!this.window.has(num) || this.sentOp[num]! + 50 !== op) {
      this.emit({ type: 'unexpectedPacket', opCode: op, packetNumber: num });
      return;
    }
    const code = errorCodeOf(pkt);
    if (code === undefined) this.window.resolve(num, pkt);
    else this.window.reject(num, new RemoteError<number>(code, `op ${op} error ${code}${errorTextOf(pkt) ? ': ' + errorTextOf(pkt) : ''}`));
  }

  /**
   * A response to one of ours with an odd parameter value (e.g. an empty 021 or a 14-digit 060 in a 53): its
   * outcome still stands. Failing a submit the MC accepted would make the gateway send it twice, so a response
   * without a usable 900 resolves; one with 900 rejects with that code (8 when the code itself is unreadable).
   */
  private onMalformedResponse(pkt: Cimd2Packet, op: number, error: Error): void {
    const num = pkt.packetNumber;
    if (!this.window.has(num) || this.sentOp[num]! + 50 !== op) {
      this.emit({ type: 'unexpectedPacket', opCode: op, packetNumber: num });
      return;
    }
    const raw = getParam(pkt, Param.ERROR_CODE);
    if (raw === undefined || raw === '' || raw === '0' || raw === '000') {
      this.window.resolve(num, pkt);
      return;
    }
    const code = errorCodeOf(pkt) ?? ErrorCode.PARAMETER_FORMATTING_ERROR;
    this.window.reject(num, new RemoteError<number>(code, `op ${op} error ${code} (${error.message})`));
  }

  private onReject(pkt: Cimd2Packet, op: number): void {
    const num = pkt.packetNumber;
    const status = op === OpCode.NACK ? NACK_STATUS : (errorCodeOf(pkt) ?? ErrorCode.UNEXPECTED_OPERATION);
    if (!this.window.reject(num, new RemoteError<number>(status, `peer answered packet ${num} with ${op}`))) {
      this.emit({ type: 'unexpectedPacket', opCode: op, packetNumber: num });
    }
  }

  private onRequest(pkt: Cimd2Packet, op: number): void {
    if (op === OpCode.ALIVE) {
      this.writePacket(this.current === 'logged_in' || this.role === 'client' ? responseTo(pkt) : errorResponseTo(pkt, ErrorCode.UNEXPECTED_OPERATION));
      return;
    }
    const allowed = this.role === 'server' ? CLIENT_REQUEST_OPS : SERVER_REQUEST_OPS;
    if (!isRequestOp(op) || !allowed.has(op)) {
      this.emit({ type: 'unexpectedPacket', opCode: op, packetNumber: pkt.packetNumber });
      this.writePacket(generalError(pkt.packetNumber, ErrorCode.UNEXPECTED_OPERATION));
      return;
    }
    if (this.role === 'server' && op === OpCode.LOGIN) {
      runServerLogin(this, pkt, this.auth);
      return;
    }
    if (this.current !== 'logged_in') {
      this.writePacket(errorResponseTo(pkt, ErrorCode.UNEXPECTED_OPERATION));
      return;
    }
    if (op === OpCode.LOGOUT) {
      this.onPeerLogout(pkt);
      return;
    }
    if (op === this.lastReqOp && pkt.packetNumber === this.lastReqNum) {
      this.emit({ type: 'duplicateRequest', opCode: op, packetNumber: pkt.packetNumber });
      if (this.lastAnswer) this.transport.send(this.lastAnswer);
      return;
    }
    this.lastReqOp = op;
    this.lastReqNum = pkt.packetNumber;
    this.lastAnswer = undefined;
    const refused = this.role === 'server' ? submitError(pkt) : undefined;
    if (refused !== undefined) {
      this.lastAnswer = this.writePacket(errorResponseTo(pkt, refused));
      return;
    }
    const req = this.tracker.track<Cimd2Packet, Cimd2Reply>(
      pkt,
      (reply) => {
        const resp = reply.errorCode ? errorResponseTo(pkt, reply.errorCode, reply.errorText) : responseTo(pkt, reply.params ?? []);
        const buf = this.transport.isOpen ? this.writePacket(resp) : undefined;
        if (this.lastReqOp === op && this.lastReqNum === pkt.packetNumber) this.lastAnswer = buf;
      },
      () => ({ errorCode: ErrorCode.GENERAL_SYSTEM_ERROR }),
    );
    this.requestsSubject.next(req);
  }

  private onPeerLogout(pkt: Cimd2Packet): void {
    this.transition('logging_out');
    this.keepalive.stop();
    const buf = encodePacket(responseTo(pkt), { checksum: this.checksum });
    this.transport
      .write(buf)
      .catch(() => undefined)
      .then(() => {
        this.closeHint = { kind: 'remote' };
        return this.transport.close();
      })
      .finally(() => this.finish({ kind: 'remote' }));
  }

  private onDecodeFailure(r: Cimd2DecodeFailure): void {
    this.emit({ type: 'decodeError', status: r.error.status, message: r.error.message });
    if (r.reason === 'header') {
      // Nothing to answer and no number to NACK: the stream cannot be trusted (cimd2.md decode policy).
      const err = new FrameError('CIMD2 frame without a readable header', { cause: r.error });
      this.finish({ kind: 'frame_error', error: err });
      return;
    }
    const num = r.packetNumber!;
    const op = r.opCode!;
    if (r.reason !== 'value') {
      this.emit({ type: 'nackSent', packetNumber: num, reason: r.reason });
      this.writePacket(nack(num));
      return;
    }
    if (isResponseOp(op)) {
      this.onMalformedResponse(r.packet!, op, r.error);
      return;
    }
    if (this.role === 'client' && (op === OpCode.DELIVER_MESSAGE || op === OpCode.DELIVER_STATUS_REPORT)) {
      // An MC re-sends an MO or report it sees refused, forever: take it (as Kannel does, with a warning event)
      // and let the application judge the odd value. The server side stays strict toward SMEs.
      this.onRequest(r.packet!, op);
      return;
    }
    const allowed = this.role === 'server' ? CLIENT_REQUEST_OPS : SERVER_REQUEST_OPS;
    if (isRequestOp(op) && allowed.has(op)) {
      const early = this.current !== 'logged_in' && op !== OpCode.LOGIN && op !== OpCode.ALIVE;
      this.writePacket(errorResponseTo(r.packet!, early ? ErrorCode.UNEXPECTED_OPERATION : r.error.status));
    }
    else if (op !== OpCode.GENERAL_ERROR && op !== OpCode.NACK) this.writePacket(generalError(num, ErrorCode.UNEXPECTED_OPERATION));
  }

  /** @internal */
  transition(to: Cimd2SessionState): void {
    const from = this.current;
    if (from === to) return;
    if (!CIMD2_TRANSITIONS[from].includes(to)) throw new SessionStateError(from, `illegal transition ${from} -> ${to}`);
    this.current = to;
    this.emit({ type: 'state', from, to });
  }

  /** @internal */
  emit(e: Cimd2SessionEvent): void {
    if (!this.eventsSubject.closed) this.eventsSubject.next(e);
  }

  /** @internal the transport is about to be closed by us for `reason`. */
  expectClose(reason: CloseReason): void {
    this.closeHint = reason;
  }

  /** @internal ends the session once, whatever closed it. */
  finish(reason: CloseReason): void {
    if (this.current === 'closed') return;
    this.transition('closed');
    this.keepalive.stop();
    this.window.rejectAll(new ConnectionClosedError());
    if (this.transport.isOpen) this.transport.destroy();
    this.emit({ type: 'closed', reason });
    this.eventsSubject.complete();
    this.requestsSubject.complete();
    this.resolveFinished(reason);
  }
}
