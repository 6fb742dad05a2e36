import type { Receipt, ReceiptOutcome } from '../session/receipt';
import { OpCode, Param, StatusCode } from './constants';
import { getIntParam, getParam, params, type Cimd2Packet } from './packet';
import { decodeUserData } from './user-data';

/**
 * 23 status reports <-> the common Receipt. The SMSC message id is `<021>:<060>`: the same pair the 53 submit
 * response returns, so the gateway correlates CIMD2 receipts exactly like SMPP / UCP ones.
 */

export function cimd2MessageId(destination: string, scts: string): string {
  return `${destination}:${scts}`;
}

/** 061 status code -> outcome (cimd2.md §5; Kannel: 4 delivered; 2,3,6,7,8,9 failed; 1,5 intermediate). */
export function outcomeForStatusCode(code: number | undefined): ReceiptOutcome {
  switch (code) {
    case StatusCode.DELIVERY_SUCCESSFUL:
      return 'delivered';
    case StatusCode.IN_PROCESS:
    case StatusCode.NO_RESPONSE:
      return 'buffered';
    case StatusCode.VALIDITY_PERIOD_EXPIRED:
      return 'expired';
    case StatusCode.DELIVERY_FAILED:
    case StatusCode.LAST_NO_RESPONSE:
      return 'undeliverable';
    case StatusCode.MESSAGE_CANCELLED:
    case StatusCode.MESSAGE_DELETED:
    case StatusCode.MESSAGE_DELETED_BY_CANCEL:
      return 'deleted';
    default:
      return 'unknown';
  }
}

/** Outcome -> 061 status code (for the simulator and SMSC side). */
export function statusCodeForOutcome(o: ReceiptOutcome): number {
  switch (o) {
    case 'delivered':
      return StatusCode.DELIVERY_SUCCESSFUL;
    case 'expired':
      return StatusCode.VALIDITY_PERIOD_EXPIRED;
    case 'deleted':
      return StatusCode.MESSAGE_DELETED;
    case 'undeliverable':
    case 'rejected':
      return StatusCode.DELIVERY_FAILED;
    default:
      return StatusCode.IN_PROCESS;
  }
}

function isFinalStatus(code: number | undefined): boolean {
  return code !== undefined && code >= 2 && code <= 9 && code !== StatusCode.NO_RESPONSE;
}

/**
 * `yyMMddHHmmss` (MC local time, no zone) -> epoch ms, read as UTC: the gateway only compares and displays these.
 * Years 00-69 are 2000-2069, 70-99 are 1970-1999. Undefined when malformed.
 */
export function parseCimd2Time(t: string | undefined): number | undefined {
  if (t === undefined || !/^[0-9]{12}$/.test(t)) return undefined;
  const yy = Number(t.slice(0, 2));
  const ms = Date.UTC(
    yy < 70 ? 2000 + yy : 1900 + yy,
    Number(t.slice(2, 4)) - 1,
    Number(t.slice(4, 6)),
    Number(t.slice(6, 8)),
    Number(t.slice(8, 10)),
    Number(t.slice(10, 12)),
  );
  return Number.isNaN(ms) ? undefined : ms;
}

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Epoch ms -> `yyMMddHHmmss` (UTC). */
export function formatCimd2Time(ms: number): string {
  const dt = new Date(ms);
  return (
    two(dt.getUTCFullYear() % 100) +
    two(dt.getUTCMonth() + 1) +
    two(dt.getUTCDate()) +
    two(dt.getUTCHours()) +
    two(dt.getUTCMinutes()) +
    two(dt.getUTCSeconds())
  );
}

export function isStatusReport(pkt: Cimd2Packet): boolean {
  return pkt.opCode === OpCode.DELIVER_STATUS_REPORT;
}

/** 23 (or 54) -> Receipt. */
export function receiptFromStatusReport(pkt: Cimd2Packet): Receipt {
  const destination = getParam(pkt, Param.DESTINATION_ADDRESS) ?? '';
  const scts = getParam(pkt, Param.SERVICE_CENTRE_TIME_STAMP) ?? '';
  const status = getIntParam(pkt, Param.STATUS_CODE);
  const ud = getParam(pkt, Param.USER_DATA);
  const r: Receipt = {
    smscMessageId: cimd2MessageId(destination, scts),
    outcome: outcomeForStatusCode(status),
    final: isFinalStatus(status),
    destination,
  };
  const err = getParam(pkt, Param.STATUS_ERROR_CODE);
  if (err !== undefined) r.errorCode = err;
  const submittedAt = parseCimd2Time(scts);
  if (submittedAt !== undefined) r.submittedAt = submittedAt;
  const doneAt = parseCimd2Time(getParam(pkt, Param.DISCHARGE_TIME));
  if (doneAt !== undefined) r.doneAt = doneAt;
  const source = getParam(pkt, Param.ORIGINATING_ADDRESS) ?? getParam(pkt, Param.ALPHANUMERIC_ORIGINATING_ADDRESS);
  if (source !== undefined) r.source = source;
  if (ud !== undefined) r.text = decodeUserData(ud);
  return r;
}

export interface StatusReportFields {
  destination: string;
  scts: string;
  statusCode: number;
  statusErrorCode?: number;
  dischargeTime?: string;
  /** 033 as wire text (already `_XY`-encoded). */
  userData?: string;
}

/** 23 deliver status report, parameters as in vector C7. */
export function statusReport(f: StatusReportFields, packetNumber = 0): Cimd2Packet {
  return {
    opCode: OpCode.DELIVER_STATUS_REPORT,
    packetNumber,
    params: params([
      [Param.DESTINATION_ADDRESS, f.destination],
      [Param.SERVICE_CENTRE_TIME_STAMP, f.scts],
      [Param.STATUS_CODE, f.statusCode],
      [Param.STATUS_ERROR_CODE, f.statusErrorCode],
      [Param.DISCHARGE_TIME, f.dischargeTime],
      [Param.USER_DATA, f.userData],
    ]),
  };
}
