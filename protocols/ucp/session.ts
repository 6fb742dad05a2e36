import { Subject, type Observable } from 'rxjs';
import { InboundTracker } from '../session/inbound';
import type { CloseReason, InboundRequest, SendOptions, SessionEvent } from '../session/types';
import { Window } from '../session/window';
import type { Transport } from '../transport/transport';
import { systemClock, type Clock, type TimerHandle } from '../wire/clock';
import {
  ConnectionClosedError,
  FrameError,
  RemoteError,
  SessionStateError,
  TimeoutError,
  WindowFullError,
} from '../wire/errors';
import { EC_TEXT, MAX_WINDOW, UcpEc } from './constants';
import { decodeUcp, encodeUcp } from './codec';
import type { UcpHeader, UcpOperation, UcpOutgoing, UcpReply, UcpResult } from './pdu';
import { missingFieldEc } from './required';
import { canOriginate, canReceive, nextState, type UcpRole, type UcpSessionState } from './states';
import { DirectSubject } from '../transport/direct-subject';

export type { UcpRole, UcpSessionState } from './states';

export interface UcpSessionOptions {
  clock?: Clock;
  /** Own operations in flight; at most 100 (TRN 00-99). Default 100. */
  windowSize?: number;
  /** Per-operation result timeout. Default 30 s. */
  responseTimeoutMs?: number;
  /** Send OT 31 after this long without sending anything; 0 = off. Default 30 s for clients, off for servers. */
  keepAliveIntervalMs?: number;
  /** No result to the keep-alive within this: close with keepalive_timeout. Default 10 s. */
  keepAliveTimeoutMs?: number;
  /** Pause reads at this many unanswered inbound operations, resume at inboundResumeAt. Default 100 / 50. */
  inboundPauseAt?: number;
  inboundResumeAt?: number;
  /** Unanswered inbound operations get NACK 55 (system error) after this; 0 = never. Default 30 s. */
  inboundTimeoutMs?: number;
  /** Client: wait this long for the 60 result. Server: close a connection not logged in by then. Default 30 s. */
  loginTimeoutMs?: number;
  /** Longest wait for in-flight operations on close(). Default 10 s. */
  closeTimeoutMs?: number;
  /**
   * Fields past an OT's fixed count (and past `A/MVP/SM` in results): NACK 02 ('reject') or drop them ('ignore').
   * Default by role: a client takes what a real SC sends (52/53/31 and results with trailing fields are read by
   * their known fields, as Kannel does, because a NACKed MO or notification is re-sent by the SC forever); a
   * server stays strict (EC 02, as Protocol::EMIUCP) so that a large account learns its frames are wrong.
   */
  extraFields?: 'reject' | 'ignore';
  /**
   * OT 31 from the peer: 'answer' (default) acknowledges it at once; 'surface' hands it to requests$ like any
   * other operation (simulators use it to play a peer that stops answering).
   */
  alerts?: 'answer' | 'surface';
}

export type UcpSessionEvent =
  | SessionEvent<UcpSessionState>
  | { type: 'unexpectedResult'; trn: number; ot: string }
  | { type: 'nackSent'; trn: number; ot: string; ec: string };

export type UcpInboundRequest = InboundRequest<UcpOperation, UcpReply>;

interface Resolved {
  clock: Clock;
  windowSize: number;
  responseTimeoutMs: number;
  keepAliveIntervalMs: number;
  keepAliveTimeoutMs: number;
  loginTimeoutMs: number;
  closeTimeoutMs: number;
  extraFields: 'reject' | 'ignore';
  alerts: 'answer' | 'surface';
}

/** Handles OT 60 on the SC side before login (installed by acceptUcpServerSession). */
export type LoginHandler = (session: UcpSession, pdu: UcpOperation) => void;

/**
 * One UCP connection, either side. Numbers its own operations with TRN 00-99 (never reusing one in flight),
 * matches results by TRN and OT, answers OT 31 itself, NACKs what the role or state does not allow (03 / 04)
 * and hands the rest to `requests$`, each to be answered once. Client and SC specifics live in client.ts and
 * server.ts; this class has no protocol branches beyond the role/state tables in states.ts.
 *
 * The surface is the shared `Session` one except that an inbound request is answered with a `UcpReply`
 * (the session adds TRN and OT), so the class does not declare `implements Session`.
 */
export class UcpSession {
  private readonly ev = new Subject<UcpSessionEvent>();
  private readonly req = new DirectSubject<UcpInboundRequest>();
  readonly events$: Observable<UcpSessionEvent> = this.ev.asObservable();
  readonly requests$: Observable<UcpInboundRequest> = this.req.asObservable();
  private st: UcpSessionState = 'open';
  private readonly o: Resolved;
  private readonly window: Window<UcpResult>;
  /** OT awaited per TRN: a result with the right TRN but another OT is not ours. */
  private readonly awaitedOt: string[] = new Array<string>(MAX_WINDOW).fill('');
  private nextTrn = 0;
  private readonly inbound: InboundTracker;
  private lastSentAt: number;
  private keepAliveTimer: TimerHandle | undefined;
  private keepAliveInFlight = false;
  private closing: Promise<void> | undefined;
  private closeRequested = false;
  private readonly closedDeferred: { promise: Promise<CloseReason>; resolve: (r: CloseReason) => void };
  /** The peer's account once logged in (server) or ours (client). */
  account = '';
  /** Set by the server side to handle OT 60 before login. */
  loginHandler: LoginHandler | undefined;

  constructor(
    readonly transport: Transport,
    readonly role: UcpRole,
    opts: UcpSessionOptions = {},
  ) {
    this.o = {
      clock: opts.clock ?? systemClock,
      windowSize: Math.max(1, Math.min(MAX_WINDOW, opts.windowSize ?? MAX_WINDOW)),
      responseTimeoutMs: opts.responseTimeoutMs ?? 30_000,
      keepAliveIntervalMs: opts.keepAliveIntervalMs ?? (role === 'client' ? 30_000 : 0),
      keepAliveTimeoutMs: opts.keepAliveTimeoutMs ?? 10_000,
      loginTimeoutMs: opts.loginTimeoutMs ?? 30_000,
      closeTimeoutMs: opts.closeTimeoutMs ?? 10_000,
      extraFields: opts.extraFields ?? (role === 'client' ? 'ignore' : 'reject'),
      alerts: opts.alerts ?? 'answer',
    };
    const clock = this.o.clock;
    this.lastSentAt = clock.now();
    this.window = new Window<UcpResult>(this.o.windowSize, clock);
    let resolveClosed!: (r: CloseReason) => void;
    const closedPromise = new Promise<CloseReason>((r) => (resolveClosed = r));
    this.closedDeferred = { promise: closedPromise, resolve: resolveClosed };
    this.inbound = new InboundTracker(
      clock,
      {
        pauseAt: opts.inboundPauseAt ?? 100,
        resumeAt: opts.inboundResumeAt ?? 50,
        timeoutMs: opts.inboundTimeoutMs ?? 30_000,
      },
      (n) => {
        transport.pause();
        this.ev.next({ type: 'paused', inboundInFlight: n });
      },
      (n) => {
        transport.resume();
        this.ev.next({ type: 'resumed', inboundInFlight: n });
      },
    );
    transport.frames$.subscribe({
      next: (f) => this.onFrame(f),
      error: (err: unknown) => this.finish({ kind: 'frame_error', error: err instanceof Error ? err : new FrameError(String(err)) }),
      // The transport says why it closed (peer, our close, a slow-peer or socket error) once `closed` settles.
      complete: () => void transport.closed.then((r) => this.finish(r.kind === 'error' ? { kind: 'error', error: r.error } : { kind: 'remote' })),
    });
    void transport.closed.then((r) => this.finish(r.kind === 'error' ? { kind: 'error', error: r.error } : { kind: 'remote' }));
  }

  get state(): UcpSessionState {
    return this.st;
  }

  get inFlight(): number {
    return this.window.size;
  }

  get inboundInFlight(): number {
    return this.inbound.inFlight;
  }

  get options(): Readonly<Resolved> {
    return this.o;
  }

  /** Resolves with the reason once the session has closed. */
  get closed(): Promise<CloseReason> {
    return this.closedDeferred.promise;
  }

  /** Moves along the transition table; throws SessionStateError for a move the table does not have. */
  setState(to: UcpSessionState): void {
    const from = this.st;
    if (from === to) return;
    if (!nextState(from, to)) throw new SessionStateError(from, `no transition ${from} -> ${to}`);
    this.st = to;
    this.ev.next({ type: 'state', from, to });
    if (to === 'logged_in') this.armKeepAlive();
  }

  emit(e: UcpSessionEvent): void {
    this.ev.next(e);
  }

  /**
   * Sends an operation: takes a TRN and a window slot, resolves with the ACK result, rejects with RemoteError(EC)
   * on a NACK, TimeoutError, WindowFullError, ConnectionClosedError, or SessionStateError when the role or state
   * does not allow this OT.
   */
  send(op: UcpOutgoing, opts?: SendOptions): Promise<UcpResult> {
    if (this.st === 'closed') return Promise.reject(new ConnectionClosedError());
    if (!canOriginate(this.role, this.st, op.ot)) {
      return Promise.reject(new SessionStateError(this.st, `${this.role} cannot send OT ${op.ot} in state ${this.st}`));
    }
    return this.sendRaw(op, opts?.timeoutMs ?? this.o.responseTimeoutMs);
  }

  /** Sends without the role/state check (login and keep-alive use it). */
  sendRaw(op: UcpOutgoing, timeoutMs: number): Promise<UcpResult> {
    if (this.st === 'closed' || !this.transport.isOpen) return Promise.reject(new ConnectionClosedError());
    const trn = this.takeTrn();
    if (trn < 0) {
      this.ev.next({ type: 'windowFull', inFlight: this.window.size });
      return Promise.reject(new WindowFullError(`window of ${this.o.windowSize} is full`));
    }
    let frame: Buffer;
    try {
      frame = encodeUcp(op as Omit<UcpOperation, 'trn'>, trn);
    } catch (err) {
      return Promise.reject(err);
    }
    const p = this.window.add(trn, timeoutMs);
    this.awaitedOt[trn] = op.ot;
    this.transport.send(frame);
    this.lastSentAt = this.o.clock.now();
    return p;
  }

  /** Next TRN not in flight, or -1 when the window is full. */
  private takeTrn(): number {
    if (this.window.size >= this.o.windowSize) return -1;
    for (let i = 0; i < MAX_WINDOW; i++) {
      const trn = this.nextTrn;
      this.nextTrn = trn === 99 ? 0 : trn + 1;
      if (!this.window.has(trn)) return trn;
    }
    return -1;
  }

  /** Writes a result for an operation of the peer. */
  reply(header: { trn: number; ot: string }, reply: UcpReply): void {
    if (!this.transport.isOpen) return;
    const result: UcpResult = {
      kind: 'R',
      ot: header.ot,
      trn: header.trn,
      result: reply.ack ? { ack: true, ...(reply.mvp !== undefined ? { mvp: reply.mvp } : {}), sm: reply.sm ?? '' } : { ack: false, ec: reply.ec, sm: reply.sm ?? EC_TEXT[reply.ec] ?? '' },
    };
    if (!reply.ack) this.ev.next({ type: 'nackSent', trn: header.trn, ot: header.ot, ec: reply.ec });
    this.transport.send(encodeUcp(result));
    this.lastSentAt = this.o.clock.now();
  }

  nack(header: { trn: number; ot: string }, ec: string): void {
    this.reply(header, { ack: false, ec });
  }

  private onFrame(frame: Buffer): void {
    if (this.st === 'closed') return;
    const r = decodeUcp(frame, { extraFields: this.o.extraFields });
    if (!r.ok) {
      this.ev.next({ type: 'decodeError', status: r.error.status, message: r.error.message });
      if (!r.header) {
        this.finish({ kind: 'frame_error', error: new FrameError('unreadable UCP header', { cause: r.error }) });
        return;
      }
      if (r.header.kind === 'O') this.nack(r.header, r.error.status);
      else this.window.reject(r.header.trn, r.error);
      return;
    }
    const pdu = r.pdu;
    if (pdu.kind === 'R') {
      this.onResult(pdu);
      return;
    }
    this.onOperation(pdu);
  }

  private onResult(pdu: UcpResult): void {
    const trn = pdu.trn;
    if (!this.window.has(trn) || this.awaitedOt[trn] !== pdu.ot) {
      this.ev.next({ type: 'unexpectedResult', trn, ot: pdu.ot });
      return;
    }
    const res = pdu.result;
    if (res.ack) this.window.resolve(trn, pdu);
    else this.window.reject(trn, new RemoteError<string>(res.ec, res.sm || (EC_TEXT[res.ec] ?? `EC ${res.ec}`)));
  }

  private onOperation(pdu: UcpOperation): void {
    const header: UcpHeader = { trn: pdu.trn, kind: 'O', ot: pdu.ot };
    if (pdu.ot === '31') {
      // Alerts are keep-alives: answered at once in any state unless the application asked to see them.
      if (this.o.alerts === 'answer') this.reply(header, { ack: true, sm: '' });
      else this.req.next(this.inbound.track<UcpOperation, UcpReply>(pdu, (r) => this.reply(header, r), () => ({ ack: false, ec: UcpEc.SYSTEM_ERROR })));
      return;
    }
    if (this.role === 'server' && this.st === 'open' && pdu.ot === '60' && this.loginHandler) {
      this.loginHandler(this, pdu);
      return;
    }
    const verdict = canReceive(this.role, this.st, pdu.ot);
    if (verdict !== 'ok') {
      this.nack(header, verdict === 'state' ? UcpEc.OPERATION_NOT_ALLOWED : UcpEc.OPERATION_NOT_SUPPORTED);
      return;
    }
    const missing = missingFieldEc(this.role, pdu);
    if (missing !== undefined) {
      this.nack(header, missing);
      return;
    }
    const request = this.inbound.track<UcpOperation, UcpReply>(
      pdu,
      (reply) => this.reply(header, reply),
      () => ({ ack: false, ec: UcpEc.SYSTEM_ERROR }),
    );
    this.req.next(request);
  }

  private armKeepAlive(): void {
    const every = this.o.keepAliveIntervalMs;
    if (every <= 0 || this.st !== 'logged_in') return;
    if (this.keepAliveTimer) this.o.clock.clearTimeout(this.keepAliveTimer);
    const due = Math.max(0, this.lastSentAt + every - this.o.clock.now());
    this.keepAliveTimer = this.o.clock.setTimeout(() => this.onKeepAliveTimer(), due);
  }

  private onKeepAliveTimer(): void {
    this.keepAliveTimer = undefined;
    if (this.st !== 'logged_in') return;
    const idle = this.o.clock.now() - this.lastSentAt;
    if (idle >= this.o.keepAliveIntervalMs && !this.keepAliveInFlight && this.window.size < this.o.windowSize) {
      this.keepAliveInFlight = true;
      this.sendRaw({ kind: 'O', ot: '31', adc: this.account, pid: '0539' }, this.o.keepAliveTimeoutMs).then(
        () => {
          this.keepAliveInFlight = false;
        },
        (err: unknown) => {
          this.keepAliveInFlight = false;
          // A NACK still proves the peer is alive; silence does not.
          if (err instanceof TimeoutError) {
            this.ev.next({ type: 'keepaliveTimeout' });
            this.finish({ kind: 'keepalive_timeout' });
          }
        },
      );
    }
    this.armKeepAlive();
  }

  /**
   * Stops new operations, waits for those in flight (up to closeTimeoutMs), then closes the connection.
   * UCP has no logout operation: closing the TCP connection ends the session.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    if (this.st === 'closed') return Promise.resolve();
    this.closeRequested = true;
    this.closing = this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    if (nextState(this.st, 'closing')) this.setState('closing');
    if (this.keepAliveTimer) this.o.clock.clearTimeout(this.keepAliveTimer);
    if (this.window.size > 0) {
      let timer: TimerHandle | undefined;
      const timeout = new Promise<void>((r) => (timer = this.o.clock.setTimeout(r, this.o.closeTimeoutMs)));
      await Promise.race([this.window.drained(), timeout, this.closed.then(() => undefined)]);
      if (timer) this.o.clock.clearTimeout(timer);
    }
    if (this.st !== 'closed') {
      await this.transport.close();
      this.finish({ kind: 'local' });
    }
  }

  /** Ends the session now: in-flight operations fail with ConnectionClosedError. */
  finish(reason: CloseReason): void {
    if (this.st === 'closed') return;
    // Our own close() ends the transport too; that is not the peer leaving.
    if (this.closeRequested && reason.kind === 'remote') reason = { kind: 'local' };
    const from = this.st;
    this.st = 'closed';
    if (this.keepAliveTimer) this.o.clock.clearTimeout(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
    this.window.rejectAll(new ConnectionClosedError());
    if (this.transport.isOpen) this.transport.destroy(reason.kind === 'frame_error' ? reason.error : undefined);
    this.ev.next({ type: 'state', from, to: 'closed' });
    this.ev.next({ type: 'closed', reason });
    this.ev.complete();
    this.req.complete();
    this.closedDeferred.resolve(reason);
  }
}
