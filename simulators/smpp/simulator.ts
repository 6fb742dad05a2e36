import type * as tls from 'node:tls';
import { CommandStatus, Tlv } from '../../protocols/smpp/constants';
import type { DataSm, DeliverSm, SubmitSm } from '../../protocols/smpp/pdu';
import { formatReceiptText } from '../../protocols/smpp/receipt-text';
import { SmppServer } from '../../protocols/smpp/server';
import type { BindDecision, BindRequest } from '../../protocols/smpp/server-session';
import type { SmppInboundRequest, SmppSession, SmppSessionOptions } from '../../protocols/smpp/session';
import { systemClock } from '../../protocols/wire/clock';
import type { Clock } from '../../protocols/wire/clock';
import { DLR_OUTCOMES, Personas, personaName } from './personas';
import type { DlrOutcome, Persona } from './personas';

export interface SmppSimulatorOptions {
  port?: number;
  host?: string;
  systemId: string;
  password: string;
  persona?: Persona;
  clock?: Clock;
  log?: (line: string) => void;
  tls?: tls.TlsOptions;
  sessionOptions?: SmppSessionOptions;
}

export interface SmppSimulatorStats {
  binds: number;
  bindFailures: number;
  submits: number;
  receiptsSent: number;
  /** Receipts that found no receiver bind, or no room in its window. */
  receiptsDropped: number;
  mosSent: number;
  throttled: number;
}

export interface SmppSimulator {
  readonly port: number;
  readonly stats: SmppSimulatorStats;
  readonly sessions: ReadonlySet<SmppSession>;
  /** Sends a deliver_sm MO to the first receiver-capable bind; resolves once the ESME acknowledges it. */
  injectMo(from: string, to: string, text: string): Promise<void>;
  /** Unbinds every client, then stops listening. */
  close(): Promise<void>;
}

interface SessionState {
  systemId: string;
  corrupted: boolean;
}

/** An SMSC for tests, benchmarks and manual runs, built on the production SmppServer and codec. */
export async function startSmppSimulator(opts: SmppSimulatorOptions): Promise<SmppSimulator> {
  const persona = opts.persona ?? Personas.happy;
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? (() => undefined);
  const stats: SmppSimulatorStats = {
    binds: 0,
    bindFailures: 0,
    submits: 0,
    receiptsSent: 0,
    receiptsDropped: 0,
    mosSent: 0,
    throttled: 0,
  };
  const perSession = new Map<SmppSession, SessionState>();
  let nextMessageId = 0x5f3a0000;
  // slow(perSec): one-second buckets on the injected clock.
  let bucketStart = clock.now();
  let bucketCount = 0;

  const auth = (req: BindRequest): BindDecision => {
    if (req.systemId !== opts.systemId) return { ok: false, status: CommandStatus.ESME_RINVSYSID };
    if (req.password !== opts.password) return { ok: false, status: CommandStatus.ESME_RINVPASWD };
    return { ok: true, systemId: 'TOLLSIM' };
  };

  const server = new SmppServer({
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    port: opts.port ?? 0,
    ...(opts.tls ? { tls: opts.tls } : {}),
    auth,
    // Receipts and MOs go out on the simulator's own window; keep it roomy so a burst of receipts fits.
    sessionOptions: { clock, windowSize: 1000, ...opts.sessionOptions },
  });

  const receiverFor = (origin: SmppSession): SmppSession | undefined => {
    if (origin.state === 'bound_trx' || origin.state === 'bound_rx') return origin;
    const id = perSession.get(origin)?.systemId;
    for (const s of server.sessions) {
      if ((s.state === 'bound_trx' || s.state === 'bound_rx') && perSession.get(s)?.systemId === id) return s;
    }
    return undefined;
  };

  const sendReceipt = (origin: SmppSession, pdu: SubmitSm | DataSm, messageId: string, outcome: DlrOutcome, submittedAt: number): void => {
    const target = receiverFor(origin);
    if (!target || !target.canSend) {
      stats.receiptsDropped++;
      return;
    }
    const o = DLR_OUTCOMES[outcome];
    const original = pdu.command === 'submit_sm' && (pdu.dataCoding === 0 || pdu.dataCoding === 1 || pdu.dataCoding === 3)
      ? pdu.shortMessage.toString('latin1', pdu.esmClass & 0x40 ? 1 + (pdu.shortMessage[0] ?? 0) : 0).slice(0, 20)
      : '';
    const text = formatReceiptText({
      id: messageId,
      sub: '001',
      dlvrd: outcome === 'delivered' ? '001' : '000',
      submitDate: submittedAt,
      doneDate: clock.now(),
      stat: o.stat,
      err: o.err,
      text: original,
    });
    const receipt: DeliverSm = {
      command: 'deliver_sm',
      commandStatus: 0,
      sequenceNumber: 0,
      serviceType: '',
      sourceAddrTon: pdu.destAddrTon,
      sourceAddrNpi: pdu.destAddrNpi,
      sourceAddr: pdu.destinationAddr,
      destAddrTon: pdu.sourceAddrTon,
      destAddrNpi: pdu.sourceAddrNpi,
      destinationAddr: pdu.sourceAddr,
      esmClass: 0x04,
      protocolId: 0,
      priorityFlag: 0,
      scheduleDeliveryTime: '',
      validityPeriod: '',
      registeredDelivery: 0,
      replaceIfPresentFlag: 0,
      dataCoding: 0,
      smDefaultMsgId: 0,
      shortMessage: Buffer.from(text, 'latin1'),
      tlvs: [
        { tag: Tlv.receipted_message_id, value: Buffer.from(messageId + '\0', 'latin1') },
        { tag: Tlv.message_state, value: Buffer.from([o.state]) },
      ],
    };
    stats.receiptsSent++;
    log(`receipt id=${messageId} stat=${o.stat} to=${receipt.destinationAddr}`);
    target.send(receipt).catch(() => undefined);
  };

  const onSubmit = (session: SmppSession, req: SmppInboundRequest, pdu: SubmitSm | DataSm): void => {
    stats.submits++;
    const st = perSession.get(session);
    const seq = pdu.sequenceNumber;
    log(`submit seq=${seq} from=${pdu.sourceAddr} to=${pdu.destinationAddr}`);
    const respCommand = pdu.command === 'submit_sm' ? 'submit_sm_resp' : 'data_sm_resp';
    switch (persona.kind) {
      case 'nackOnSubmit':
        req.respond({ command: respCommand, commandStatus: persona.status, sequenceNumber: seq, messageId: '' });
        return;
      case 'noResponseOnSubmit':
        return;
      case 'unbindOnSubmit':
        log('unbind (persona unbindOnSubmit)');
        void session.close();
        return;
      case 'corruptLength':
        if (st && !st.corrupted) {
          st.corrupted = true;
          const bad = Buffer.alloc(16);
          bad.writeUInt32BE(8, 0);
          bad.writeUInt32BE(0x80000004, 4);
          bad.writeUInt32BE(seq, 12);
          session.transport.send(bad);
          return;
        }
        break;
      case 'slow': {
        const now = clock.now();
        if (now - bucketStart >= 1000) {
          bucketStart = now;
          bucketCount = 0;
        }
        if (++bucketCount > persona.perSec) {
          stats.throttled++;
          req.respond({ command: respCommand, commandStatus: CommandStatus.ESME_RTHROTTLED, sequenceNumber: seq, messageId: '' });
          return;
        }
        break;
      }
      default:
        break;
    }
    const messageId = (nextMessageId++ >>> 0).toString(16);
    const submittedAt = clock.now();
    req.respond({ command: respCommand, commandStatus: 0, sequenceNumber: seq, messageId });
    if ((pdu.registeredDelivery & 0x03) === 0) return;
    if (persona.kind === 'dlrAfter') {
      const { ms, outcome } = persona;
      clock.setTimeout(() => sendReceipt(session, pdu, messageId, outcome, submittedAt), ms);
    } else {
      sendReceipt(session, pdu, messageId, 'delivered', submittedAt);
    }
  };

  const onRequest = (session: SmppSession, req: SmppInboundRequest): void => {
    const pdu = req.pdu;
    switch (pdu.command) {
      case 'submit_sm':
      case 'data_sm':
        onSubmit(session, req, pdu);
        return;
      case 'query_sm':
        req.respond({ command: 'query_sm_resp', commandStatus: 0, sequenceNumber: pdu.sequenceNumber, messageId: pdu.messageId, finalDate: '', messageState: 6, errorCode: 0 });
        return;
      case 'cancel_sm':
        req.respond({ command: 'cancel_sm_resp', commandStatus: 0, sequenceNumber: pdu.sequenceNumber });
        return;
      case 'replace_sm':
        req.respond({ command: 'replace_sm_resp', commandStatus: 0, sequenceNumber: pdu.sequenceNumber });
        return;
      case 'submit_multi':
        stats.submits++;
        req.respond({ command: 'submit_multi_resp', commandStatus: 0, sequenceNumber: pdu.sequenceNumber, messageId: (nextMessageId++ >>> 0).toString(16), unsuccess: [] });
        return;
      default:
        req.respond({ command: 'generic_nack', commandStatus: CommandStatus.ESME_RINVCMDID, sequenceNumber: pdu.sequenceNumber });
    }
  };

  server.sessions$.subscribe((session) => {
    const st: SessionState = { systemId: '', corrupted: false };
    perSession.set(session, st);
    session.events$.subscribe((e) => {
      if (e.type === 'bound') {
        stats.binds++;
        st.systemId = e.systemId;
        log(`bind system_id=${e.systemId} state=${e.state} from=${session.transport.remoteAddress ?? '?'}`);
        if (persona.kind === 'dropAfterBind') {
          log('drop (persona dropAfterBind)');
          void session.transport.close();
        } else if (persona.kind === 'blackHole') {
          session.muted = true;
        }
      } else if (e.type === 'state' && e.to === 'unbinding') {
        log(`unbind system_id=${st.systemId}`);
      } else if (e.type === 'closed') {
        if (e.reason.kind === 'bind_failed') stats.bindFailures++;
        perSession.delete(session);
        log(`close system_id=${st.systemId || '-'} reason=${e.reason.kind}`);
      }
    });
    session.requests$.subscribe((req) => onRequest(session, req));
  });

  const { port } = await server.listen();
  log(`listening on ${opts.host ?? '127.0.0.1'}:${port} persona=${personaName(persona)}`);

  return {
    port,
    stats,
    get sessions() {
      return server.sessions;
    },
    async injectMo(from: string, to: string, text: string): Promise<void> {
      let target: SmppSession | undefined;
      for (const s of server.sessions) if (s.state === 'bound_trx' || s.state === 'bound_rx') target = target ?? s;
      if (!target) throw new Error('no receiver bind to deliver an MO to');
      const ascii = /^[\x20-\x7e\r\n]*$/.test(text);
      const mo: DeliverSm = {
        command: 'deliver_sm',
        commandStatus: 0,
        sequenceNumber: 0,
        serviceType: '',
        sourceAddrTon: 1,
        sourceAddrNpi: 1,
        sourceAddr: from,
        destAddrTon: 0,
        destAddrNpi: 1,
        destinationAddr: to,
        esmClass: 0,
        protocolId: 0,
        priorityFlag: 0,
        scheduleDeliveryTime: '',
        validityPeriod: '',
        registeredDelivery: 0,
        replaceIfPresentFlag: 0,
        // IA5 for plain ASCII (no GSM table questions), UCS2 for anything else.
        dataCoding: ascii ? 0x01 : 0x08,
        smDefaultMsgId: 0,
        shortMessage: ascii ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf16le').swap16(),
      };
      stats.mosSent++;
      log(`mo from=${from} to=${to}`);
      await target.send(mo);
    },
    close: () => server.close(),
  };
}
