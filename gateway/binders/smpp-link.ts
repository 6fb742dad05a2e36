import type { ConnectionOptions } from 'node:tls';
import { connectClient } from '../../protocols/smpp/client-session';
import { CommandId, CommandStatus, statusName } from '../../protocols/smpp/constants';
import type { DeliverSm, DataSm } from '../../protocols/smpp/pdu';
import { isReceipt, receiptFromDeliverSm } from '../../protocols/smpp/receipt-text';
import { errorResponseFor } from '../../protocols/smpp/responses';
import type { SmppInboundRequest, SmppSession, SmppSessionOptions } from '../../protocols/smpp/session';
import type { BindType } from '../../protocols/smpp/states';
import { RemoteError } from '../../protocols/wire/errors';
import { submitSmForPart } from '../adapters/smpp-mt';
import type { DispatchJob, LinkFactory, LinkHandlers, LinkSession, SubmitFailure } from './link';
import { classifyLocalError } from './link-errors';

export interface SmppLinkOptions {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType?: string;
  bindType: BindType;
  tls?: ConnectionOptions;
  connectTimeoutMs?: number;
  session: SmppSessionOptions;
}

/** SMSC answers worth retrying later; anything else non-zero fails the message. */
const TEMPORARY = new Set<number>([
  CommandStatus.ESME_RMSGQFUL,
  CommandStatus.ESME_RSYSERR,
  CommandStatus.ESME_RSUBMITFAIL,
  CommandStatus.ESME_RX_T_APPN,
  CommandStatus.ESME_RINVBNDSTS,
]);

export function classifySmppError(err: unknown): SubmitFailure {
  if (err instanceof RemoteError) {
    const status = typeof err.status === 'number' ? err.status : Number(err.status);
    if (status === CommandStatus.ESME_RTHROTTLED) return { kind: 'throttled', code: 'ESME_RTHROTTLED' };
    return { kind: TEMPORARY.has(status) ? 'temporary' : 'permanent', code: statusName(status) };
  }
  return classifyLocalError(err);
}

class SmppLinkSession implements LinkSession {
  readonly closed: Promise<unknown>;

  constructor(private readonly s: SmppSession, handlers: LinkHandlers) {
    this.closed = s.closed;
    s.requests$.subscribe((req) => this.onRequest(req, handlers));
  }

  get canSend(): boolean {
    return this.s.canSend;
  }

  get inFlight(): number {
    return this.s.inFlight;
  }

  submit(job: DispatchJob, timeoutMs: number): Promise<string> {
    const pdu = submitSmForPart(job.msg, job.part, { registeredDelivery: 1 });
    return this.s.send(pdu, { timeoutMs }).then((resp) => (resp.command === 'submit_sm_resp' ? resp.messageId : ''));
  }

  close(): Promise<void> {
    return this.s.close();
  }

  private onRequest(req: SmppInboundRequest, handlers: LinkHandlers): void {
    const pdu = req.pdu;
    if (pdu.command !== 'deliver_sm' && pdu.command !== 'data_sm') {
      req.respond(errorResponseFor(CommandId[pdu.command], CommandStatus.ESME_RINVCMDID, pdu.sequenceNumber));
      return;
    }
    const ack = (ok: boolean): void => {
      req.respond(respFor(pdu, ok ? CommandStatus.ESME_ROK : CommandStatus.ESME_RX_T_APPN));
    };
    if (isReceipt(pdu.esmClass)) {
      const receipt = receiptFromDeliverSm(pdu);
      if (receipt) handlers.onReceipt(receipt, ack);
      else ack(true); // unreadable receipt: answering an error would only make the SMSC resend it
      return;
    }
    if (handlers.onMo) handlers.onMo(pdu, ack);
    else ack(true);
  }
}

function respFor(pdu: DeliverSm | DataSm, status: number) {
  if (pdu.command === 'deliver_sm') {
    return { command: 'deliver_sm_resp' as const, commandStatus: status, sequenceNumber: pdu.sequenceNumber, messageId: '' };
  }
  return { command: 'data_sm_resp' as const, commandStatus: status, sequenceNumber: pdu.sequenceNumber, messageId: '' };
}

export function smppLinkFactory(o: SmppLinkOptions): LinkFactory {
  return {
    protocol: 'smpp',
    classify: classifySmppError,
    async connect(handlers: LinkHandlers): Promise<LinkSession> {
      const session = await connectClient(
        {
          host: o.host,
          port: o.port,
          systemId: o.systemId,
          password: o.password,
          systemType: o.systemType,
          bindType: o.bindType,
          tls: o.tls,
          connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
        },
        o.session,
      );
      return new SmppLinkSession(session, handlers);
    },
  };
}
