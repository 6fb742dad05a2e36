import { CommandId, CommandStatus, commandNameOf, isResponse, type CommandName } from './constants';
import {
  HEADER_LENGTH,
  MAX_SHORT_MESSAGE,
  badValue,
  checkCString,
  checkU32,
  checkU8,
  fail,
  latin1,
  writeCString,
  writeTlvs,
  type SmppDecodeResult,
} from './codec-primitives';
import { decodeSm, encodeSm } from './codec-sm';
import type { MultiDestAddress, SmppPdu, TlvField, UnsuccessSme } from './pdu';
import {
  FieldKind,
  cstringEnd,
  fieldsOf,
  isKnownEsmType,
  isLenientInput,
  isTimeBytes,
  isTimeString,
  missingMandatoryTlv,
  type AnyField,
} from './schema';
import { decodeTlvs, tlvEncodeProblem } from './tlv';

/**
 * SMPP PDU codec: one whole frame in, a typed PDU out, and back. Pure and allocation-lean: strings are read straight
 * from the frame, short_message and TLV values are views into it (the framer hands out frames the caller owns).
 * The mandatory bodies come from schema.ts; this file only interprets that table.
 */

export { HEADER_LENGTH, MAX_SHORT_MESSAGE, type SmppDecodeResult };

export interface SmppHeader {
  commandLength: number;
  commandId: number;
  commandStatus: number;
  sequenceNumber: number;
}

export function decodeHeader(frame: Buffer): SmppHeader | null {
  if (frame.length < HEADER_LENGTH) return null;
  return {
    commandLength: frame.readUInt32BE(0),
    commandId: frame.readUInt32BE(4),
    commandStatus: frame.readUInt32BE(8),
    sequenceNumber: frame.readUInt32BE(12),
  };
}

function defaultFor(kind: AnyField['kind']): unknown {
  switch (kind) {
    case FieldKind.U8:
      return 0;
    case FieldKind.CSTRING:
    case FieldKind.TIME:
      return '';
    case FieldKind.SHORT_MESSAGE:
      return Buffer.alloc(0);
    default:
      return [];
  }
}

/** Decodes one whole PDU. Never throws: a bad body gives {ok:false} with the command_status to answer. */
export function decodePdu(frame: Buffer): SmppDecodeResult {
  const n = frame.length;
  if (n < HEADER_LENGTH) {
    return fail(CommandStatus.ESME_RINVCMDLEN, n >= 8 ? frame.readUInt32BE(4) : 0, 0, `frame of ${n} octets`);
  }
  const commandLength = frame.readUInt32BE(0);
  const commandId = frame.readUInt32BE(4);
  const commandStatus = frame.readUInt32BE(8);
  const sequenceNumber = frame.readUInt32BE(12);
  if (commandLength !== n) {
    return fail(CommandStatus.ESME_RINVCMDLEN, commandId, sequenceNumber, `command_length ${commandLength} != ${n}`);
  }
  const command = commandNameOf(commandId);
  if (command === undefined) {
    return fail(CommandStatus.ESME_RINVCMDID, commandId, sequenceNumber, `unknown command_id 0x${commandId.toString(16)}`);
  }
  if (command === 'submit_sm' || command === 'deliver_sm') {
    return decodeSm(frame, command, commandId, commandStatus, sequenceNumber);
  }
  return decodeBySchema(frame, command, commandId, commandStatus, sequenceNumber);
}

/** The table interpreter; exported so tests can check the fast paths against it. */
export function decodeBySchema(
  frame: Buffer,
  command: CommandName,
  commandId: number,
  commandStatus: number,
  sequenceNumber: number,
): SmppDecodeResult {
  const n = frame.length;
  const fields = fieldsOf(command);
  const response = isResponse(commandId);
  const strict = !isLenientInput(command);
  const pdu: Record<string, unknown> = { command, commandStatus, sequenceNumber };
  let pos = HEADER_LENGTH;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (pos >= n) {
      // Responses (above all error responses) often stop early or carry no body at all.
      if (!response) return fail(CommandStatus.ESME_RINVCMDLEN, commandId, sequenceNumber, `body ends before ${f.wire}`);
      pdu[f.name] = defaultFor(f.kind);
      continue;
    }
    switch (f.kind) {
      case FieldKind.U8: {
        const v = frame[pos++]!;
        if (strict && f.name === 'esmClass' && !isKnownEsmType(v)) {
          return fail(CommandStatus.ESME_RINVESMCLASS, commandId, sequenceNumber, `esm_class 0x${v.toString(16)}`);
        }
        pdu[f.name] = v;
        break;
      }
      case FieldKind.CSTRING:
      case FieldKind.TIME: {
        const z = cstringEnd(frame, pos, f.max!, n);
        if (z < 0 || (strict && f.kind === FieldKind.TIME && !isTimeBytes(frame, pos, z))) {
          return fail(f.status!, commandId, sequenceNumber, `bad ${f.wire}`);
        }
        pdu[f.name] = latin1(frame, pos, z);
        pos = z + 1;
        break;
      }
      case FieldKind.SHORT_MESSAGE: {
        const len = frame[pos++]!;
        if (pos + len > n) return fail(CommandStatus.ESME_RINVMSGLEN, commandId, sequenceNumber, `sm_length ${len} past body`);
        pdu[f.name] = frame.subarray(pos, pos + len);
        pos += len;
        break;
      }
      case FieldKind.DEST_ADDRESSES: {
        const r = decodeDestAddresses(frame, pos, n);
        if (typeof r === 'number') return fail(r, commandId, sequenceNumber, 'bad dest_address list');
        pdu[f.name] = r.list;
        pos = r.pos;
        break;
      }
      case FieldKind.UNSUCCESS: {
        const r = decodeUnsuccess(frame, pos, n);
        if (typeof r === 'number') return fail(r, commandId, sequenceNumber, 'bad unsuccess_sme list');
        pdu[f.name] = r.list;
        pos = r.pos;
        break;
      }
    }
  }
  let tlvs: TlvField[] | undefined;
  if (pos < n) {
    const t = decodeTlvs(frame, pos, n, strict && !response);
    if (typeof t === 'number') return fail(t, commandId, sequenceNumber, 'bad TLV stream');
    tlvs = t;
    pdu.tlvs = t;
  }
  const missing = missingMandatoryTlv(command, commandStatus, tlvs);
  if (missing !== undefined) {
    return fail(CommandStatus.ESME_RMISSINGOPTPARAM, commandId, sequenceNumber, `missing TLV 0x${missing.toString(16)}`);
  }
  return { ok: true, pdu: pdu as unknown as SmppPdu };
}

function decodeDestAddresses(buf: Buffer, start: number, n: number): { list: MultiDestAddress[]; pos: number } | number {
  let pos = start;
  const count = buf[pos++]!;
  if (count === 0 || count > 254) return CommandStatus.ESME_RINVNUMDESTS;
  const list: MultiDestAddress[] = [];
  for (let i = 0; i < count; i++) {
    if (pos >= n) return CommandStatus.ESME_RINVCMDLEN;
    const flag = buf[pos++]!;
    if (flag === 1) {
      if (pos + 2 >= n) return CommandStatus.ESME_RINVCMDLEN;
      const ton = buf[pos]!;
      const npi = buf[pos + 1]!;
      const z = cstringEnd(buf, pos + 2, 21, n);
      if (z < 0) return CommandStatus.ESME_RINVDSTADR;
      list.push({ kind: 'sme', ton, npi, addr: latin1(buf, pos + 2, z) });
      pos = z + 1;
    } else if (flag === 2) {
      if (pos >= n) return CommandStatus.ESME_RINVCMDLEN;
      const z = cstringEnd(buf, pos, 21, n);
      if (z < 0) return CommandStatus.ESME_RINVDLNAME;
      list.push({ kind: 'dl', name: latin1(buf, pos, z) });
      pos = z + 1;
    } else {
      return CommandStatus.ESME_RINVDESTFLAG;
    }
  }
  return { list, pos };
}

function decodeUnsuccess(buf: Buffer, start: number, n: number): { list: UnsuccessSme[]; pos: number } | number {
  let pos = start;
  const count = buf[pos++]!;
  const list: UnsuccessSme[] = [];
  for (let i = 0; i < count; i++) {
    if (pos + 2 >= n) return CommandStatus.ESME_RINVCMDLEN;
    const ton = buf[pos]!;
    const npi = buf[pos + 1]!;
    const z = cstringEnd(buf, pos + 2, 21, n);
    if (z < 0) return CommandStatus.ESME_RINVDSTADR;
    if (z + 5 > n) return CommandStatus.ESME_RINVCMDLEN;
    list.push({ ton, npi, addr: latin1(buf, pos + 2, z), errorStatusCode: buf.readUInt32BE(z + 1) });
    pos = z + 5;
  }
  return { list, pos };
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding: size pass (validates), then one exact allocation and a write pass.

function isDefault(kind: AnyField['kind'], v: unknown): boolean {
  switch (kind) {
    case FieldKind.U8:
      return v === 0;
    case FieldKind.CSTRING:
    case FieldKind.TIME:
      return v === '';
    case FieldKind.SHORT_MESSAGE:
      return v instanceof Uint8Array && v.length === 0;
    default:
      return Array.isArray(v) && v.length === 0;
  }
}

function fieldSize(f: AnyField, v: unknown): number {
  switch (f.kind) {
    case FieldKind.U8:
      checkU8(v, f.wire);
      return 1;
    case FieldKind.CSTRING:
      return checkCString(v, f.encodeMax ?? f.max!, f.wire);
    case FieldKind.TIME: {
      const size = checkCString(v, 17, f.wire);
      if (!isTimeString(v as string)) badValue(`${f.wire}: not an SMPP time`);
      return size;
    }
    case FieldKind.SHORT_MESSAGE:
      if (!(v instanceof Uint8Array)) badValue(`${f.wire}: not bytes`);
      if (v.length > MAX_SHORT_MESSAGE) badValue(`${f.wire}: ${v.length} octets, max ${MAX_SHORT_MESSAGE}`);
      return 1 + v.length;
    case FieldKind.DEST_ADDRESSES: {
      if (!Array.isArray(v) || v.length === 0 || v.length > 254) badValue('number_of_dests must be 1..254');
      let size = 1;
      for (const d of v as unknown[]) {
        const a = d as Partial<Record<string, unknown>>;
        if (a.kind === 'sme') {
          checkU8(a.ton, 'dest_addr_ton');
          checkU8(a.npi, 'dest_addr_npi');
          size += 3 + checkCString(a.addr, 21, 'destination_addr');
        } else if (a.kind === 'dl') {
          size += 1 + checkCString(a.name, 21, 'dl_name');
        } else {
          badValue('dest_address kind must be sme or dl');
        }
      }
      return size;
    }
    case FieldKind.UNSUCCESS: {
      if (!Array.isArray(v) || v.length > 255) badValue('no_unsuccess must be 0..255');
      let size = 1;
      for (const d of v as unknown[]) {
        const u = d as Partial<Record<string, unknown>>;
        checkU8(u.ton, 'dest_addr_ton');
        checkU8(u.npi, 'dest_addr_npi');
        checkU32(u.errorStatusCode, 'error_status_code');
        size += 2 + checkCString(u.addr, 21, 'destination_addr') + 4;
      }
      return size;
    }
  }
  return badValue(`unknown field kind for ${f.wire}`);
}

function writeField(buf: Buffer, pos: number, f: AnyField, v: unknown): number {
  switch (f.kind) {
    case FieldKind.U8:
      buf[pos] = v as number;
      return pos + 1;
    case FieldKind.CSTRING:
    case FieldKind.TIME:
      return writeCString(buf, pos, v as string, f.wire);
    case FieldKind.SHORT_MESSAGE: {
      const sm = v as Uint8Array;
      buf[pos++] = sm.length;
      buf.set(sm, pos);
      return pos + sm.length;
    }
    case FieldKind.DEST_ADDRESSES: {
      const list = v as MultiDestAddress[];
      buf[pos++] = list.length;
      for (const d of list) {
        if (d.kind === 'sme') {
          buf[pos++] = 1;
          buf[pos++] = d.ton;
          buf[pos++] = d.npi;
          pos = writeCString(buf, pos, d.addr, 'destination_addr');
        } else {
          buf[pos++] = 2;
          pos = writeCString(buf, pos, d.name, 'dl_name');
        }
      }
      return pos;
    }
    case FieldKind.UNSUCCESS: {
      const list = v as UnsuccessSme[];
      buf[pos++] = list.length;
      for (const u of list) {
        buf[pos++] = u.ton;
        buf[pos++] = u.npi;
        pos = writeCString(buf, pos, u.addr, 'destination_addr');
        buf.writeUInt32BE(u.errorStatusCode, pos);
        pos += 4;
      }
      return pos;
    }
  }
  return pos;
}

/**
 * Encodes a PDU: command_length computed, TLVs in `pdu.tlvs` order, input never mutated. Every mandatory field is
 * written, also in error responses (Kannel's form, accepted by every decoder we know). With `omitEmptyErrorBody`,
 * an error response whose fields are all empty and that has no TLVs goes out as a bare header instead, the form
 * SMPP 3.4 describes for bind_*_resp and submit_sm_resp. Throws EncodeError when a value cannot be represented.
 */
export function encodePdu(pdu: SmppPdu, opts?: EncodeOptions): Buffer {
  if (pdu.command === 'submit_sm' || pdu.command === 'deliver_sm') return encodeSm(pdu);
  return encodeBySchema(pdu, opts);
}

export interface EncodeOptions {
  /** Send an error response whose body would be all empty fields as a 16-octet header. Default false. */
  omitEmptyErrorBody?: boolean;
}

/** The table-driven encoder; exported so tests can check the fast path against it. */
export function encodeBySchema(pdu: SmppPdu, opts?: EncodeOptions): Buffer {
  const commandId: number | undefined = (CommandId as Record<string, number>)[pdu.command];
  if (commandId === undefined) badValue(`unknown command ${String(pdu.command)}`);
  const commandStatus = checkU32(pdu.commandStatus, 'command_status');
  const sequenceNumber = checkU32(pdu.sequenceNumber, 'sequence_number');
  const fields = fieldsOf(pdu.command);
  const p = pdu as unknown as Record<string, unknown>;
  const tlvs: TlvField[] | undefined = pdu.tlvs;
  if (tlvs !== undefined && !Array.isArray(tlvs)) badValue('tlvs is not an array');
  const missing = missingMandatoryTlv(pdu.command, commandStatus, tlvs);
  if (missing !== undefined) badValue(`${pdu.command} needs TLV 0x${missing.toString(16).padStart(4, '0')}`);

  let withBody = true;
  if (opts?.omitEmptyErrorBody === true && commandStatus !== 0 && isResponse(commandId) && (tlvs === undefined || tlvs.length === 0)) {
    withBody = false;
    for (let i = 0; i < fields.length; i++) {
      if (!isDefault(fields[i]!.kind, p[fields[i]!.name])) {
        withBody = true;
        break;
      }
    }
  }

  let size = HEADER_LENGTH;
  if (withBody) for (let i = 0; i < fields.length; i++) size += fieldSize(fields[i]!, p[fields[i]!.name]);
  if (tlvs !== undefined) {
    for (let i = 0; i < tlvs.length; i++) {
      const problem = tlvEncodeProblem(tlvs[i]);
      if (problem !== undefined) badValue(problem);
      size += 4 + tlvs[i]!.value.length;
    }
  }

  const buf = Buffer.allocUnsafe(size);
  buf.writeUInt32BE(size, 0);
  buf.writeUInt32BE(commandId, 4);
  buf.writeUInt32BE(commandStatus, 8);
  buf.writeUInt32BE(sequenceNumber, 12);
  let pos = HEADER_LENGTH;
  if (withBody) for (let i = 0; i < fields.length; i++) pos = writeField(buf, pos, fields[i]!, p[fields[i]!.name]);
  if (tlvs !== undefined) writeTlvs(buf, pos, tlvs);
  return buf;
}
