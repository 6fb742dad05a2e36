import type { ConnectionOptions } from 'node:tls';
import { encodingForDataCoding } from '../../protocols/wire/text';
import { RemoteError } from '../../protocols/wire/errors';
import { originatorFields } from '../../protocols/ucp/address';
import { connectUcpClient } from '../../protocols/ucp/client';
import { encodeTMsg } from '../../protocols/ucp/content';
import { empty5x } from '../../protocols/ucp/message';
import type { UcpOutgoing } from '../../protocols/ucp/pdu';
import { messageIdFromSubmitAck, receiptFromNotification } from '../../protocols/ucp/receipt';
import type { UcpInboundRequest, UcpSession, UcpSessionOptions } from '../../protocols/ucp/session';
import { xserOf } from '../../protocols/ucp/xser';
import type { Message, MessagePart } from '../../routing/message';
import type { DispatchJob, LinkFactory, LinkHandlers, LinkSession, SubmitFailure } from './link';
import { classifyLocalError, splitPartUdh } from './link-errors';

export interface UcpLinkOptions {
  host: string;
  port: number;
  /** Large-account number (OAdC of the OT 60 login). */
  account: string;
  password: string;
  tls?: ConnectionOptions;
  connectTimeoutMs?: number;
  session: UcpSessionOptions;
}

/** NACK codes worth a later retry (ucp.md §4): low network status, system error. The rest fail the message. */
const TEMPORARY_EC = new Set(['50', '55']);

export function classifyUcpError(err: unknown): SubmitFailure {
  if (err instanceof RemoteError) {
    const ec = String(err.status).padStart(2, '0');
    return { kind: TEMPORARY_EC.has(ec) ? 'temporary' : 'permanent', code: `UCP_NACK_${ec}` };
  }
  return classifyLocalError(err);
}

/**
 * OT 51 for one part: GSM text as MT 3 (septets as IRA hex, as the protocol helpers do), anything else as MT 4
 * with the DCS in XSer; a concatenation UDH travels in XSer 01. Notification requested for delivered and failed.
 */
export function ucpSubmitForPart(msg: Message, part: MessagePart): UcpOutgoing {
  const adc = msg.destination.addr.replace(/^\+/, '');
  const sender = originatorFields(msg.source.addr);
  const { udh, payload } = splitPartUdh(part);
  const f = { ...empty5x(), adc, oadc: sender.oadc, otoa: sender.otoa, nrq: '1', nt: '3' };
  if (encodingForDataCoding(msg.dataCoding) === 'gsm7') {
    f.mt = '3';
    f.msg = payload.toString('hex').toUpperCase();
    f.xser = xserOf(udh ? { udh } : {});
  } else {
    const t = encodeTMsg(payload);
    f.mt = '4';
    f.nb = t.nb;
    f.msg = t.msg;
    f.xser = xserOf({ ...(udh ? { udh } : {}), dcs: msg.dataCoding });
  }
  return { kind: 'O', ot: '51', ...f };
}

class UcpLinkSession implements LinkSession {
  readonly closed: Promise<unknown>;

  constructor(
    private readonly s: UcpSession,
    handlers: LinkHandlers,
  ) {
    this.closed = s.closed;
    s.requests$.subscribe((req) => this.onRequest(req, handlers));
  }

  get canSend(): boolean {
    return this.s.state === 'logged_in' && this.s.inFlight < this.s.options.windowSize;
  }

  get inFlight(): number {
    return this.s.inFlight;
  }

  submit(job: DispatchJob, timeoutMs: number): Promise<string> {
    let op: UcpOutgoing;
    try {
      op = ucpSubmitForPart(job.msg, job.part);
    } catch (err) {
      return Promise.reject(err);
    }
    const adc = op.ot === '51' ? op.adc : '';
    return this.s.send(op, { timeoutMs }).then((res) => {
      const id = res.result.ack ? messageIdFromSubmitAck(res.result, adc) : undefined;
      // Without an id the receipt cannot be matched; the message still counts as submitted.
      return id ?? `${adc}:?${job.msg.id}.${job.part.seq}`;
    });
  }

  close(): Promise<void> {
    return this.s.close();
  }

  private onRequest(req: UcpInboundRequest, handlers: LinkHandlers): void {
    const pdu = req.pdu;
    const ack = (ok: boolean): void => {
      req.respond(ok ? { ack: true } : { ack: false, ec: '55' });
    };
    if (pdu.ot === '53') {
      handlers.onReceipt(receiptFromNotification(pdu), ack);
      return;
    }
    if (pdu.ot === '52' && handlers.onMo) {
      handlers.onMo(pdu, ack);
      return;
    }
    ack(pdu.ot === '52');
  }
}

export function ucpLinkFactory(o: UcpLinkOptions): LinkFactory {
  return {
    protocol: 'ucp',
    classify: classifyUcpError,
    async connect(handlers: LinkHandlers): Promise<LinkSession> {
      const session = await connectUcpClient(
        {
          host: o.host,
          port: o.port,
          ...(o.tls ? { tls: o.tls } : {}),
          connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
          login: { oadc: o.account, password: o.password },
        },
        o.session,
      );
      return new UcpLinkSession(session, handlers);
    },
  };
}
