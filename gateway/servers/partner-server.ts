import type { TlsOptions } from 'node:tls';
import { CommandId, CommandStatus, MessageState } from '../../protocols/smpp/constants';
import type { DataSm, SubmitMulti, SubmitSm, UnsuccessSme } from '../../protocols/smpp/pdu';
import { errorResponseFor } from '../../protocols/smpp/responses';
import { SmppServer } from '../../protocols/smpp/server';
import type { SmppInboundRequest, SmppSession, SmppSessionOptions } from '../../protocols/smpp/session';
import type { Clock } from '../../protocols/wire/clock';
import type { Message, RejectCode } from '../../routing/message';
import type { MessageStore } from '../../routing/ports';
import { messageFromPartnerSubmit, submitsOfMulti } from '../adapters/smpp-mt';
import type { RuntimeObserver } from '../binders/observer';
import type { MtIntake } from './mt-intake';
import type { PartnerDirectory, PartnerEntry } from './partner-directory';
import type { ReceiptSink } from './receipt-forwarder';

export interface PartnerServerOptions {
  host: string;
  port: number;
  /** A second listener speaking SMPP over TLS. */
  tls?: { port: number; options: TlsOptions };
  session: SmppSessionOptions;
}

export interface PartnerServerDeps {
  store: MessageStore;
  clock: Clock;
  obs: RuntimeObserver;
  directory: PartnerDirectory;
  intake: MtIntake;
  /** A partner's rx/trx bind came up: owed receipts can go. */
  onReceiverBound(partnerId: string): void;
}

const STATUS_FOR: Readonly<Record<RejectCode, number>> = {
  no_route: CommandStatus.ESME_RINVDSTADR,
  throttled: CommandStatus.ESME_RTHROTTLED,
  invalid_destination: CommandStatus.ESME_RINVDSTADR,
  invalid_source: CommandStatus.ESME_RINVSRCADR,
  blacklisted: CommandStatus.ESME_RINVDSTADR,
  fraud_limit: CommandStatus.ESME_RTHROTTLED,
  spam: CommandStatus.ESME_RSUBMITFAIL,
  duplicate: CommandStatus.ESME_RSUBMITFAIL,
  insufficient_balance: CommandStatus.ESME_RSUBMITFAIL,
  system_error: CommandStatus.ESME_RSYSERR,
};

const QUERY_STATE: Readonly<Record<Message['state'], number>> = {
  accepted: MessageState.ENROUTE,
  routed: MessageState.ENROUTE,
  submitted: MessageState.ENROUTE,
  delivered: MessageState.DELIVERED,
  undeliverable: MessageState.UNDELIVERABLE,
  expired: MessageState.EXPIRED,
  rejected: MessageState.REJECTED,
};

/** 'YYMMDDhhmmss000+' (UTC), the absolute time format of query_sm_resp final_date. */
function smppAbsoluteTime(ms: number): string {
  const d = new Date(ms);
  const p = (v: number): string => String(v).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}000+`;
}

const PENDING_BIND_MS = 5000;

type Accepted = { status: 0; id: string } | { status: number; id: '' };

/**
 * The SMPP server partners bind to: per-partner credentials, address filter and bind limit; submit_sm, data_sm and
 * submit_multi go through the MT intake and are answered only once stored. Above a partner's maxSubmitPerSec the
 * answer is ESME_RTHROTTLED.
 */
export class PartnerServer {
  private readonly servers: SmppServer[] = [];
  private readonly bound = new Map<string, Set<SmppSession>>();
  private readonly receivers = new Map<string, SmppSession[]>();
  private readonly sessionPartner = new WeakMap<SmppSession, PartnerEntry>();
  /** Accept times of binds said yes to but not yet bound; a bind that dies in between ages out. */
  private readonly pendingBinds = new Map<string, number[]>();
  /** Submits taken but not yet answered (waiting for the store): shutdown answers them before unbinding. */
  private pendingIntake = 0;
  private draining = false;
  private drained: (() => void) | undefined;

  constructor(
    opts: PartnerServerOptions,
    private readonly d: PartnerServerDeps,
  ) {
    const auth: ConstructorParameters<typeof SmppServer>[0]['auth'] = (req) => {
      const res = d.directory.authenticate(req.systemId, req.password, req.remoteAddress, (id) => this.bindCount(id));
      if (!res.ok) {
        d.obs.log('warn', 'partner bind refused', { systemId: req.systemId, remote: req.remoteAddress, reason: res.reason });
        return { ok: false, status: res.status };
      }
      const pending = this.pendingBinds.get(res.partner.id) ?? [];
      pending.push(d.clock.now());
      this.pendingBinds.set(res.partner.id, pending);
      return { ok: true, systemId: 'tollgate' };
    };
    this.servers.push(new SmppServer({ host: opts.host, port: opts.port, sessionOptions: opts.session, auth }));
    if (opts.tls) {
      this.servers.push(new SmppServer({ host: opts.host, port: opts.tls.port, tls: opts.tls.options, sessionOptions: opts.session, auth }));
    }
    for (const server of this.servers) server.sessions$.subscribe((s) => this.attach(s));
  }

  /** Listens on the plain port, then the TLS port if any; returns the bound ports in that order. */
  async listen(): Promise<{ port: number; tlsPort?: number }> {
    const ports: number[] = [];
    for (const server of this.servers) ports.push((await server.listen()).port);
    return ports.length > 1 ? { port: ports[0]!, tlsPort: ports[1]! } : { port: ports[0]! };
  }

  /** Bound sessions plus binds accepted in the last few seconds that have not reported bound yet. */
  private bindCount(partnerId: string): number {
    const since = this.d.clock.now() - PENDING_BIND_MS;
    const pending = (this.pendingBinds.get(partnerId) ?? []).filter((t) => t > since);
    this.pendingBinds.set(partnerId, pending);
    return (this.bound.get(partnerId)?.size ?? 0) + pending.length;
  }

  bindsOf(partnerId: string): number {
    return this.bound.get(partnerId)?.size ?? 0;
  }

  /** Bound receiver/transceiver sessions of a partner. */
  sinksFor(partnerId: string): readonly ReceiptSink[] {
    return this.receivers.get(partnerId) ?? [];
  }

  boundPartners(): string[] {
    return [...this.receivers.keys()].filter((p) => (this.receivers.get(p)?.length ?? 0) > 0);
  }

  private attach(session: SmppSession): void {
    session.events$.subscribe((e) => {
      if (e.type !== 'bound') return;
      const partner = this.d.directory.bySystemId(e.systemId);
      if (!partner) {
        void session.close();
        return;
      }
      this.pendingBinds.get(partner.id)?.shift();
      this.sessionPartner.set(session, partner);
      let set = this.bound.get(partner.id);
      if (!set) {
        set = new Set();
        this.bound.set(partner.id, set);
      }
      set.add(session);
      this.d.obs.binds('partner', partner.id, set.size);
      this.d.obs.log('info', 'partner bound', { partner: partner.id, state: e.state, remote: session.transport.remoteAddress });
      if (e.state === 'bound_rx' || e.state === 'bound_trx') {
        this.receivers.set(partner.id, [...(this.receivers.get(partner.id) ?? []), session]);
        this.d.onReceiverBound(partner.id);
      }
    });
    session.requests$.subscribe((req) => this.onRequest(session, req));
    void session.closed.then(() => {
      const partner = this.sessionPartner.get(session);
      if (!partner) return;
      const set = this.bound.get(partner.id);
      set?.delete(session);
      const rx = this.receivers.get(partner.id);
      if (rx) this.receivers.set(partner.id, rx.filter((s) => s !== session));
      this.d.obs.binds('partner', partner.id, set?.size ?? 0);
      this.d.obs.log('info', 'partner unbound', { partner: partner.id });
    });
  }

  private onRequest(session: SmppSession, req: SmppInboundRequest): void {
    const partner = this.sessionPartner.get(session);
    const pdu = req.pdu;
    if (!partner) {
      req.respond(errorResponseFor(CommandId[pdu.command], CommandStatus.ESME_RINVBNDSTS, pdu.sequenceNumber));
      return;
    }
    switch (pdu.command) {
      case 'submit_sm':
      case 'data_sm': {
        const seq = pdu.sequenceNumber;
        const command = pdu.command === 'submit_sm' ? ('submit_sm_resp' as const) : ('data_sm_resp' as const);
        if (this.draining) {
          // Shutting down: not taken, so the partner retries it elsewhere or after the restart.
          req.respond({ command, commandStatus: CommandStatus.ESME_RTHROTTLED, sequenceNumber: seq, messageId: '' });
          return;
        }
        this.pendingIntake++;
        const readAt = this.d.clock.now();
        void this.acceptOne(partner, pdu).then((a) => {
          req.respond({ command, commandStatus: a.status, sequenceNumber: seq, messageId: a.id });
          if (a.status === 0) this.d.obs.acceptLatency(partner.id, (this.d.clock.now() - readAt) / 1000);
          this.intakeDone();
        });
        return;
      }
      case 'submit_multi':
        if (this.draining) {
          req.respond({ ...errorResponseFor(CommandId.submit_multi, CommandStatus.ESME_RTHROTTLED, pdu.sequenceNumber) });
          return;
        }
        this.pendingIntake++;
        void this.acceptMulti(partner, pdu).then((r) => {
          req.respond(r);
          this.intakeDone();
        });
        return;
      case 'query_sm':
        void this.query(pdu.messageId, pdu.sequenceNumber, partner).then((r) => req.respond(r));
        return;
      default:
        req.respond(errorResponseFor(CommandId[pdu.command], CommandStatus.ESME_RINVCMDID, pdu.sequenceNumber));
    }
  }

  private validityMs(partner: PartnerEntry): number {
    return partner.settings.defaultValidityHours * 3_600_000;
  }

  private acceptOne(partner: PartnerEntry, pdu: SubmitSm | DataSm, skipThrottle = false): Promise<Accepted> {
    const now = this.d.clock.now();
    if (!skipThrottle && !partner.bucket.take(now)) {
      this.d.obs.throttled('partner', partner.id);
      return Promise.resolve({ status: CommandStatus.ESME_RTHROTTLED, id: '' });
    }
    const built = messageFromPartnerSubmit(pdu, {
      id: this.d.store.nextId(),
      partnerId: partner.id,
      now,
      defaultValidityMs: this.validityMs(partner),
    });
    if (!built.ok) return Promise.resolve({ status: built.status, id: '' });
    return this.d.intake.submit(built.msg).then((r) =>
      r.ok ? { status: 0 as const, id: r.id } : { status: STATUS_FOR[r.code], id: '' as const },
    );
  }

  private async acceptMulti(partner: PartnerEntry, pdu: SubmitMulti) {
    const base = { command: 'submit_multi_resp' as const, sequenceNumber: pdu.sequenceNumber };
    if (!partner.bucket.take(this.d.clock.now())) {
      this.d.obs.throttled('partner', partner.id);
      return { ...base, commandStatus: CommandStatus.ESME_RTHROTTLED, messageId: '', unsuccess: [] };
    }
    const { submits, distributionLists } = submitsOfMulti(pdu);
    const unsuccess: UnsuccessSme[] = [];
    let firstId = '';
    const results = await Promise.all(submits.map((s) => this.acceptOne(partner, s, true)));
    results.forEach((r, i) => {
      const s = submits[i]!;
      if (r.status === 0) {
        if (firstId === '') firstId = r.id;
      } else unsuccess.push({ ton: s.destAddrTon, npi: s.destAddrNpi, addr: s.destinationAddr, errorStatusCode: r.status });
    });
    if (distributionLists.length > 0) this.d.obs.log('warn', 'submit_multi distribution lists not supported', { partner: partner.id });
    // Every SME failed (or only lists were given): the request as a whole fails with the first reason.
    const status = firstId === '' ? (unsuccess[0]?.errorStatusCode ?? CommandStatus.ESME_RINVDSTADR) : 0;
    return { ...base, commandStatus: status, messageId: firstId, unsuccess: firstId === '' ? [] : unsuccess };
  }

  private intakeDone(): void {
    this.pendingIntake--;
    if (this.pendingIntake === 0 && this.drained) this.drained();
  }

  /** query_sm for one of the partner's own messages: its state in SMPP terms. */
  private async query(messageId: string, seq: number, partner: PartnerEntry) {
    const msg = /^[0-9]+$/.test(messageId) ? await this.d.store.get(messageId).catch(() => undefined) : undefined;
    if (!msg || msg.partnerId !== partner.id) {
      return { command: 'query_sm_resp' as const, commandStatus: CommandStatus.ESME_RQUERYFAIL, sequenceNumber: seq, messageId, finalDate: '', messageState: 0, errorCode: 0 };
    }
    const final = msg.state === 'delivered' || msg.state === 'undeliverable' || msg.state === 'expired' || msg.state === 'rejected';
    return {
      command: 'query_sm_resp' as const,
      commandStatus: 0,
      sequenceNumber: seq,
      messageId,
      finalDate: final ? smppAbsoluteTime(msg.updatedAt) : '',
      messageState: QUERY_STATE[msg.state],
      errorCode: 0,
    };
  }

  /**
   * Graceful stop: submits already taken are answered once stored (bounded by `maxWaitMs`), new ones get
   * ESME_RTHROTTLED, then every partner is unbound (each session drains its own window first).
   */
  async close(maxWaitMs = 5000): Promise<void> {
    this.draining = true;
    if (this.pendingIntake > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, maxWaitMs);
        this.drained = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
    await Promise.all(this.servers.map((s) => s.close()));
  }
}
