import { OpCode, Param } from './constants';

/**
 * A CIMD2 packet as on the wire: parameters in wire order (unknown ones too), codes as their 3-digit text and
 * values as the raw wire text (033 still carries its `_XY` combinations; see user-data.ts for text).
 */
export interface Cimd2Param {
  code: string;
  value: string;
}

export interface Cimd2Packet {
  opCode: number;
  packetNumber: number;
  params: Cimd2Param[];
}

/** First value of `code`, or undefined. */
export function getParam(pkt: Cimd2Packet, code: string): string | undefined {
  const ps = pkt.params;
  for (let i = 0; i < ps.length; i++) if (ps[i]!.code === code) return ps[i]!.value;
  return undefined;
}

/** Every value of `code` in order (021 may repeat in a submit). */
export function getParams(pkt: Cimd2Packet, code: string): string[] {
  const out: string[] = [];
  for (const p of pkt.params) if (p.code === code) out.push(p.value);
  return out;
}

/** Integer value of `code`, or undefined when absent or not a number. */
export function getIntParam(pkt: Cimd2Packet, code: string): number | undefined {
  const v = getParam(pkt, code);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

/** The 900 error code of a response, 98 or 99, or undefined for a positive response (900:0 counts as none). */
export function errorCodeOf(pkt: Cimd2Packet): number | undefined {
  const v = getIntParam(pkt, Param.ERROR_CODE);
  return v === undefined || v === 0 ? undefined : v;
}

export function errorTextOf(pkt: Cimd2Packet): string | undefined {
  return getParam(pkt, Param.ERROR_TEXT);
}

/** A builder helper: drops undefined values, stringifies numbers. */
export function params(entries: ReadonlyArray<readonly [string, string | number | undefined]>): Cimd2Param[] {
  const out: Cimd2Param[] = [];
  for (const [code, value] of entries) if (value !== undefined) out.push({ code, value: String(value) });
  return out;
}

export function packet(opCode: number, packetNumber = 0, ps: Cimd2Param[] = []): Cimd2Packet {
  return { opCode, packetNumber, params: ps };
}

/** Positive response to `req` (op + 50, same number). */
export function responseTo(req: Pick<Cimd2Packet, 'opCode' | 'packetNumber'>, ps: Cimd2Param[] = []): Cimd2Packet {
  return { opCode: req.opCode + 50, packetNumber: req.packetNumber, params: ps };
}

/** Negative response to `req`: op + 50 with 900 [901]. */
export function errorResponseTo(
  req: Pick<Cimd2Packet, 'opCode' | 'packetNumber'>,
  errorCode: number,
  errorText?: string,
): Cimd2Packet {
  return responseTo(req, params([[Param.ERROR_CODE, errorCode], [Param.ERROR_TEXT, errorText]]));
}

/** 98 general error answering a packet that could not be handled as an operation. */
export function generalError(packetNumber: number, errorCode: number, errorText?: string): Cimd2Packet {
  return packet(OpCode.GENERAL_ERROR, packetNumber, params([[Param.ERROR_CODE, errorCode], [Param.ERROR_TEXT, errorText]]));
}

/** 99 NACK: transport-level reject of the packet with this number. */
export function nack(packetNumber: number): Cimd2Packet {
  return packet(OpCode.NACK, packetNumber);
}

export function alive(packetNumber = 0): Cimd2Packet {
  return packet(OpCode.ALIVE, packetNumber);
}

export function logout(packetNumber = 0): Cimd2Packet {
  return packet(OpCode.LOGOUT, packetNumber);
}

export interface LoginFields {
  user: string;
  password: string;
  subaddress?: number;
  windowSize?: number;
}

export function login(f: LoginFields, packetNumber = 1): Cimd2Packet {
  return packet(
    OpCode.LOGIN,
    packetNumber,
    params([
      [Param.USER_IDENTITY, f.user],
      [Param.PASSWORD, f.password],
      [Param.SUBADDRESS, f.subaddress],
      [Param.WINDOW_SIZE, f.windowSize],
    ]),
  );
}

export function readLogin(pkt: Cimd2Packet): LoginFields {
  return {
    user: getParam(pkt, Param.USER_IDENTITY) ?? '',
    password: getParam(pkt, Param.PASSWORD) ?? '',
    subaddress: getIntParam(pkt, Param.SUBADDRESS),
    windowSize: getIntParam(pkt, Param.WINDOW_SIZE),
  };
}

export function enquireStatus(destination: string, scts: string, packetNumber = 0): Cimd2Packet {
  return packet(OpCode.ENQUIRE_STATUS, packetNumber, params([[Param.DESTINATION_ADDRESS, destination], [Param.SERVICE_CENTRE_TIME_STAMP, scts]]));
}

export function deliveryRequest(mode: number, scts?: string, packetNumber = 0): Cimd2Packet {
  return packet(OpCode.DELIVERY_REQUEST, packetNumber, params([[Param.DELIVERY_REQUEST_MODE, mode], [Param.SERVICE_CENTRE_TIME_STAMP, scts]]));
}

export function cancel(f: { destination?: string; scts?: string; mode?: number }, packetNumber = 0): Cimd2Packet {
  return packet(
    OpCode.CANCEL,
    packetNumber,
    params([[Param.CANCEL_MODE, f.mode], [Param.DESTINATION_ADDRESS, f.destination], [Param.SERVICE_CENTRE_TIME_STAMP, f.scts]]),
  );
}

/** 08 set: e.g. a password change (011). */
export function set(ps: Cimd2Param[], packetNumber = 0): Cimd2Packet {
  return packet(OpCode.SET, packetNumber, ps);
}

/** 09 get: 500 names the item (501 = MC time). */
export function get(item: number, packetNumber = 0): Cimd2Packet {
  return packet(OpCode.GET, packetNumber, params([[Param.GET_PARAMETER, item]]));
}
