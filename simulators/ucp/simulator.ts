import type { TlsOptions } from 'node:tls';
import { ucpMessageId } from '../../protocols/ucp/receipt';
import { encodeUcp } from '../../protocols/ucp/codec';
import { deliversFromText, notificationFor } from '../../protocols/ucp/message';
import type { UcpOperation, UcpResult, UcpSubmit } from '../../protocols/ucp/pdu';
import { UcpServer, acceptUcpServerSession, type UcpAuthenticator } from '../../protocols/ucp/server';
import type { UcpSession, UcpSessionOptions } from '../../protocols/ucp/session';
import { formatUcpTime } from '../../protocols/ucp/time';
import type { Transport } from '../../protocols/transport/transport';
import { systemClock, type Clock, type TimerHandle } from '../../protocols/wire/clock';
import { UCP_DLR_OUTCOMES, type UcpDlrOutcome, type UcpPersona, ucpPersonaName } from './personas';
import { SctsAllocator } from './scts';

export interface UcpSimulatorOptions {
  port?: number;
  host?: string;
  /** The account (OAdC of OT 60) and password accepted. */
  user: string;
  password: string;
  persona?: UcpPersona;
  clock?: Clock;
  log?: (line: string) => void;
  /** SC local time offset from UTC in minutes, for SCTS/DSCTS. */
  tzOffsetMinutes?: number;
  sessionOptions?: UcpSessionOptions;
  /** Serve TLS instead of plain TCP. */
  tls?: TlsOptions;
}

export interface UcpSimulatorStats {
  logins: number;
  loginFailures: number;
  submits: number;
  notificationsSent: number;
  mosSent: number;
}

/**
 * A UCP SMSC for tests, benchmarks and manual runs, built on the production server session. Usable over TCP
 * (startUcpSimulator) or on any transport (UcpSimulator.attach) for fake-clock tests.
 */
export class UcpSimulator {
  readonly stats: UcpSimulatorStats = { logins: 0, loginFailures: 0, submits: 0, notificationsSent: 0, mosSent: 0 };
  readonly sessions = new Set<UcpSession>();
  readonly persona: UcpPersona;
  private readonly clock: Clock;
  private readonly scts: SctsAllocator;
  private readonly timers = new Set<TimerHandle>();
  private readonly log: (line: string) => void;
  private readonly auth: UcpAuthenticator;
  readonly sessionOptions: UcpSessionOptions;

  constructor(private readonly opts: UcpSimulatorOptions) {
    this.persona = opts.persona ?? { kind: 'happy' };
    this.clock = opts.clock ?? systemClock;
    this.scts = new SctsAllocator(this.clock, opts.tzOffsetMinutes ?? 0);
    this.log = opts.log ?? (() => undefined);
    this.auth = (r) => {
      const ok = r.oadc === opts.user && r.password === opts.password;
      if (ok) this.stats.logins++;
      else this.stats.loginFailures++;
      this.log(`login ${r.oadc} from ${r.remoteAddress ?? '?'}: ${ok ? 'ok' : 'refused (07)'}`);
      return ok ? { ok: true } : { ok: false };
    };
    const silent = this.persona.kind === 'blackHole' || this.persona.kind === 'noResponseOnSubmit';
    this.sessionOptions = {
      clock: this.clock,
      ...opts.sessionOptions,
      // Personas that never answer must not be rescued by the session's fallback NACK.
      ...(silent ? { inboundTimeoutMs: 0 } : {}),
      ...(this.persona.kind === 'blackHole' ? { alerts: 'surface' as const } : {}),
    };
  }

  get authenticator(): UcpAuthenticator {
    return this.auth;
  }

  /** Serves one connection on `transport` (tests use a memory transport). */
  attach(transport: Transport): UcpSession {
    const s = acceptUcpServerSession(transport, this.auth, this.sessionOptions);
    this.adopt(s);
    return s;
  }

  adopt(session: UcpSession): void {
    this.sessions.add(session);
    session.events$.subscribe((e) => {
      if (e.type === 'bound' && this.persona.kind === 'dropAfterLogin') {
        this.log(`dropAfterLogin: closing ${e.systemId}`);
        void session.close();
      }
      if (e.type === 'closed') {
        this.sessions.delete(session);
        this.log(`closed ${session.account || '(not logged in)'}: ${e.reason.kind}`);
      }
    });
    let slowNextAt = 0;
    let corrupted = false;
    session.requests$.subscribe((req) => {
      const pdu = req.pdu;
      if (this.persona.kind === 'blackHole') return;
      if (pdu.ot !== '51' && pdu.ot !== '01') {
        req.respond({ ack: false, ec: '03' });
        return;
      }
      this.stats.submits++;
      const p = this.persona;
      if (p.kind === 'noResponseOnSubmit') return;
      if (p.kind === 'nackOnSubmit') {
        req.respond({ ack: false, ec: p.ec });
        this.log(`submit to ${pdu.adc}: NACK ${p.ec}`);
        return;
      }
      const scts = this.scts.next(pdu.adc);
      const id = ucpMessageId(pdu.adc, scts);
      if (p.kind === 'corruptChecksum' && !corrupted) {
        corrupted = true;
        this.writeCorrupt(session, pdu, id);
        return;
      }
      const answer = (): void => {
        req.respond({ ack: true, sm: id });
        if (pdu.ot === '51') this.afterSubmit(session, pdu, scts);
      };
      if (p.kind === 'slow') {
        const now = this.clock.now();
        const at = Math.max(now, slowNextAt);
        slowNextAt = at + 1000 / p.perSec;
        if (at <= now) answer();
        else this.later(at - now, answer);
        return;
      }
      answer();
    });
  }

  private writeCorrupt(session: UcpSession, pdu: UcpOperation, id: string): void {
    const result: UcpResult = { kind: 'R', ot: pdu.ot, trn: pdu.trn, result: { ack: true, mvp: '', sm: id } };
    const frame = encodeUcp(result);
    frame[frame.length - 2] = frame[frame.length - 2] === 0x30 ? 0x31 : 0x30;
    session.transport.send(frame);
    this.log(`corruptChecksum: answered TRN ${pdu.trn} with a bad checksum`);
  }

  private afterSubmit(session: UcpSession, pdu: UcpSubmit, scts: string): void {
    if (pdu.nrq !== '1') return;
    const p = this.persona;
    const outcome: UcpDlrOutcome = p.kind === 'dlrAfter' ? p.outcome : 'delivered';
    const delay = p.kind === 'dlrAfter' ? p.ms : 0;
    const o = UCP_DLR_OUTCOMES[outcome];
    const nt = pdu.nt === '' ? 7 : Number(pdu.nt);
    if ((nt & o.ntBit) === 0) return;
    const send = (): void => {
      if (session.state !== 'logged_in') return;
      const dscts = formatUcpTime(this.clock.now(), true, this.opts.tzOffsetMinutes ?? 0);
      // The 53 goes to the sender: its numeric OAdC, or the account when the sender was alphanumeric.
      const sender = /^\d+$/.test(pdu.oadc) && pdu.otoa !== '5039' ? pdu.oadc : session.account;
      const n = notificationFor({
        submitAdc: pdu.adc,
        submitOadc: sender,
        scts,
        dst: o.dst,
        rsn: o.rsn,
        dscts,
        text: `Message for ${pdu.adc}, with identification ${scts} has been ${o.word}`,
      });
      this.stats.notificationsSent++;
      session.send(n).then(
        () => this.log(`53 ${outcome} for ${ucpMessageId(pdu.adc, scts)} acknowledged`),
        (err: unknown) => this.log(`53 for ${ucpMessageId(pdu.adc, scts)} failed: ${(err as Error).name}`),
      );
    };
    if (delay <= 0) send();
    else this.later(delay, send);
  }

  private later(ms: number, fn: () => void): void {
    const h = this.clock.setTimeout(() => {
      this.timers.delete(h);
      fn();
    }, ms);
    this.timers.add(h);
  }

  /**
   * Sends an MO (52) from handset `from` to account/short code `to` on a logged-in session; long or non-GSM
   * texts go as concatenated parts (MT 3 or MT 4 UCS2 with XSer). Resolves with the results of all parts.
   */
  async injectMo(from: string, to: string, text: string, opts: { ref?: number } = {}): Promise<UcpResult[]> {
    const session = [...this.sessions].find((s) => s.state === 'logged_in');
    if (!session) throw new Error('no logged-in session to deliver the MO on');
    const scts = this.scts.next(to);
    const parts = deliversFromText({ to, from, text, scts, ref: opts.ref ?? (this.stats.mosSent & 0xff) });
    this.stats.mosSent++;
    this.log(`MO ${from} -> ${to} in ${parts.length} part(s)`);
    return Promise.all(parts.map((p) => session.send(p)));
  }

  /** A 53 sent on demand (e.g. a late receipt for a message the test submitted). */
  async injectNotification(id: { adc: string; scts: string }, outcome: UcpDlrOutcome): Promise<UcpResult> {
    const session = [...this.sessions].find((s) => s.state === 'logged_in');
    if (!session) throw new Error('no logged-in session to deliver the notification on');
    const o = UCP_DLR_OUTCOMES[outcome];
    this.stats.notificationsSent++;
    return session.send(
      notificationFor({
        submitAdc: id.adc, submitOadc: session.account, scts: id.scts, dst: o.dst, rsn: o.rsn,
        dscts: formatUcpTime(this.clock.now(), true, this.opts.tzOffsetMinutes ?? 0), text: `Message ${o.word}`,
      }),
    );
  }

  /** Closes every session (each drains its in-flight operations) and forgets pending notifications. */
  async close(): Promise<void> {
    for (const h of this.timers) this.clock.clearTimeout(h);
    this.timers.clear();
    await Promise.all([...this.sessions].map((s) => s.close()));
  }

  describe(): string {
    return `UCP simulator persona ${ucpPersonaName(this.persona)} account ${this.opts.user}`;
  }
}

export interface RunningUcpSimulator {
  port: number;
  simulator: UcpSimulator;
  stats: UcpSimulatorStats;
  sessions: ReadonlySet<UcpSession>;
  injectMo(from: string, to: string, text: string): Promise<UcpResult[]>;
  close(): Promise<void>;
}

/** Starts the simulator on host:port (127.0.0.1, port 0 = any free port). */
export async function startUcpSimulator(opts: UcpSimulatorOptions): Promise<RunningUcpSimulator> {
  const sim = new UcpSimulator(opts);
  const server = new UcpServer({
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    auth: sim.authenticator,
    sessionOptions: sim.sessionOptions,
    ...(opts.tls ? { tls: opts.tls } : {}),
  });
  server.sessions$.subscribe((s) => sim.adopt(s));
  const { port } = await server.listen();
  opts.log?.(`${sim.describe()} listening on ${opts.host ?? '127.0.0.1'}:${port}`);
  return {
    port,
    simulator: sim,
    stats: sim.stats,
    sessions: sim.sessions,
    injectMo: (from, to, text) => sim.injectMo(from, to, text),
    async close() {
      await sim.close();
      await server.close();
    },
  };
}

