import type { ConnectionOptions } from 'node:tls';
import { connectCimd2Client } from '../../protocols/cimd2/client';
import { ErrorCode, NACK_STATUS, OpCode, Param, StatusReportRequest } from '../../protocols/cimd2/constants';
import { submit } from '../../protocols/cimd2/message';
import type { Cimd2Packet } from '../../protocols/cimd2/packet';
import { getParam } from '../../protocols/cimd2/packet';
import { cimd2MessageId, receiptFromStatusReport } from '../../protocols/cimd2/receipt';
import type { Cimd2Session } from '../../protocols/cimd2/session';
import type { Cimd2SessionOptions } from '../../protocols/cimd2/session-types';
import type { InboundRequest } from '../../protocols/session/types';
import type { Cimd2Reply } from '../../protocols/cimd2/session-types';
import { gsm7Decode } from '../../protocols/wire/gsm7';
import { encodingForDataCoding } from '../../protocols/wire/text';
import { RemoteError } from '../../protocols/wire/errors';
import type { Message, MessagePart } from '../../routing/message';
import type { DispatchJob, LinkFactory, LinkHandlers, LinkSession, SubmitFailure } from './link';
import { classifyLocalError, splitPartUdh } from './link-errors';

export interface Cimd2LinkOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  tls?: ConnectionOptions;
  connectTimeoutMs?: number;
  session: Cimd2SessionOptions;
}

/** 900 codes worth a retry: link/MC trouble and congestion (cimd2.md §5); the rest fail the message. */
const TEMPORARY = new Set<number>([
  ErrorCode.CONNECTION_TO_MC_LOST,
  ErrorCode.NO_RESPONSE_FROM_MC,
  ErrorCode.GENERAL_SYSTEM_ERROR,
  ErrorCode.REQUESTED_OPERATION_FAILED,
  NACK_STATUS,
]);

export function classifyCimd2Error(err: unknown): SubmitFailure {
  if (err instanceof RemoteError) {
    const code = Number(err.status);
    if (code === ErrorCode.TEMPORARY_CONGESTION) return { kind: 'throttled', code: 'CIMD2_900_10' };
    return { kind: TEMPORARY.has(code) ? 'temporary' : 'permanent', code: `CIMD2_900_${code}` };
  }
  return classifyLocalError(err);
}


/** 03 submit for one part: GSM text in 033, anything else as octets in 034 with 030; the UDH in 032. */
export function cimd2SubmitForPart(msg: Message, part: MessagePart): Cimd2Packet {
  const { udh, payload } = splitPartUdh(part);
  const gsm = encodingForDataCoding(msg.dataCoding) === 'gsm7';
  return submit({
    destinations: [msg.destination.addr],
    originator: msg.source.addr,
    ...(gsm ? { text: gsm7Decode(payload) } : { binary: payload, dcs: msg.dataCoding }),
    ...(udh ? { udh } : {}),
    statusReportRequest: StatusReportRequest.ALL_FINAL,
  });
}

class Cimd2LinkSession implements LinkSession {
  readonly closed: Promise<unknown>;

  constructor(
    private readonly s: Cimd2Session,
    private readonly windowSize: number,
    handlers: LinkHandlers,
  ) {
    this.closed = s.finished;
    s.requests$.subscribe((req) => this.onRequest(req, handlers));
  }

  get canSend(): boolean {
    return this.s.state === 'logged_in' && this.s.inFlight < this.windowSize;
  }

  get inFlight(): number {
    return this.s.inFlight;
  }

  submit(job: DispatchJob, timeoutMs: number): Promise<string> {
    let pkt: Cimd2Packet;
    try {
      pkt = cimd2SubmitForPart(job.msg, job.part);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.s.send(pkt, { timeoutMs }).then((resp) => {
      const dest = getParam(resp, Param.DESTINATION_ADDRESS) ?? job.msg.destination.addr;
      const scts = getParam(resp, Param.SERVICE_CENTRE_TIME_STAMP) ?? '';
      return cimd2MessageId(dest, scts);
    });
  }

  close(): Promise<void> {
    return this.s.close();
  }

  private onRequest(req: InboundRequest<Cimd2Packet, Cimd2Reply>, handlers: LinkHandlers): void {
    const pkt = req.pdu;
    const ack = (ok: boolean): void => {
      req.respond(ok ? {} : { errorCode: ErrorCode.GENERAL_SYSTEM_ERROR });
    };
    if (pkt.opCode === OpCode.DELIVER_STATUS_REPORT) {
      handlers.onReceipt(receiptFromStatusReport(pkt), ack);
      return;
    }
    if (pkt.opCode === OpCode.DELIVER_MESSAGE && handlers.onMo) {
      handlers.onMo(pkt, ack);
      return;
    }
    ack(true);
  }
}

export function cimd2LinkFactory(o: Cimd2LinkOptions): LinkFactory {
  const windowSize = Math.min(128, Math.max(1, o.session.windowSize ?? 1));
  return {
    protocol: 'cimd2',
    classify: classifyCimd2Error,
    async connect(handlers: LinkHandlers): Promise<LinkSession> {
      const session = await connectCimd2Client(
        {
          host: o.host,
          port: o.port,
          ...(o.tls ? { tls: o.tls } : {}),
          connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
          login: { user: o.user, password: o.password, ...(windowSize > 1 ? { windowSize } : {}) },
        },
        o.session,
      );
      return new Cimd2LinkSession(session, windowSize, handlers);
    },
  };
}
