import { CommandStatus, Tlv, TlvValueSize } from './constants';
import type { TlvField } from './pdu';

/**
 * The optional-parameter stream after the mandatory body. Decoding returns the TLVs or the command_status to answer;
 * encoding validates known value sizes so we never send what a strict peer would reject.
 */

/**
 * Decoded TLVs, or a command_status number when the stream is bad. Values are views into `buf`. With
 * `checkSizes` false (what an SMSC sends us: receipts, MOs, responses) a known tag with an unexpected value length is
 * kept as it came instead of refusing the whole PDU (readers such as tlvUint/tlvString cope); the stream itself must
 * still be well formed.
 */
export function decodeTlvs(buf: Buffer, start: number, end: number, checkSizes = true): TlvField[] | number {
  const out: TlvField[] = [];
  let pos = start;
  while (pos < end) {
    if (end - pos < 4) return CommandStatus.ESME_RINVOPTPARSTREAM;
    const tag = (buf[pos]! << 8) | buf[pos + 1]!;
    const len = (buf[pos + 2]! << 8) | buf[pos + 3]!;
    pos += 4;
    if (pos + len > end) return CommandStatus.ESME_RINVPARLEN;
    if (checkSizes) {
      const size = TlvValueSize.get(tag);
      if (size !== undefined && (len < size[0] || len > size[1])) return CommandStatus.ESME_RINVPARLEN;
    }
    out.push({ tag, value: buf.subarray(pos, pos + len) });
    pos += len;
  }
  return checkSar(out);
}

/** The SAR TLVs only make sense together: one without the others is a missing mandatory parameter. */
function checkSar(tlvs: TlvField[]): TlvField[] | number {
  let seen = 0;
  for (let i = 0; i < tlvs.length; i++) {
    const t = tlvs[i]!.tag;
    if (t === Tlv.sar_msg_ref_num) seen |= 1;
    else if (t === Tlv.sar_total_segments) seen |= 2;
    else if (t === Tlv.sar_segment_seqnum) seen |= 4;
  }
  return seen === 0 || seen === 7 ? tlvs : CommandStatus.ESME_RMISSINGOPTPARAM;
}

/** Why a TLV cannot be encoded, or undefined when it can. */
export function tlvEncodeProblem(t: unknown): string | undefined {
  if (typeof t !== 'object' || t === null) return 'TLV is not an object';
  const { tag, value } = t as { tag?: unknown; value?: unknown };
  if (typeof tag !== 'number' || !Number.isInteger(tag) || tag < 0 || tag > 0xffff) return `bad TLV tag ${String(tag)}`;
  if (!(value instanceof Uint8Array)) return `TLV 0x${tag.toString(16)} value is not bytes`;
  if (value.length > 0xffff) return `TLV 0x${tag.toString(16)} value longer than 65535`;
  const size = TlvValueSize.get(tag);
  if (size !== undefined && (value.length < size[0] || value.length > size[1])) {
    return `TLV 0x${tag.toString(16)} value is ${value.length} octets, allowed ${size[0]}..${size[1]}`;
  }
  return undefined;
}

/** Helpers to build common TLV values without hand-packing bytes. */
export function tlvU8(tag: number, v: number): TlvField {
  return { tag, value: Buffer.from([v & 0xff]) };
}

export function tlvU16(tag: number, v: number): TlvField {
  return { tag, value: Buffer.from([(v >>> 8) & 0xff, v & 0xff]) };
}

/** A C-Octet String value (with its NUL), as receipted_message_id and additional_status_info_text are sent. */
export function tlvCString(tag: number, s: string): TlvField {
  return { tag, value: Buffer.from(s + '\0', 'latin1') };
}

/** An integer TLV value (1, 2 or 4 octets, big-endian), or undefined when absent or empty. */
export function tlvUint(value: Buffer | undefined): number | undefined {
  if (value === undefined || value.length === 0 || value.length > 4) return undefined;
  let v = 0;
  for (let i = 0; i < value.length; i++) v = v * 256 + value[i]!;
  return v;
}

/** A C-Octet String TLV value as text, tolerating a missing NUL. */
export function tlvString(value: Buffer | undefined): string | undefined {
  if (value === undefined) return undefined;
  let end = value.indexOf(0);
  if (end < 0) end = value.length;
  return value.toString('latin1', 0, end);
}
