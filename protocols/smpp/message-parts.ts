import { partsFromText, splitText, type SplitOptions } from '../wire/concat';
import { EncodeError } from '../wire/errors';
import { decodeText, type TextOptions } from '../wire/text';
import { parseUdh } from '../wire/udh';
import { EsmClass, Tlv } from './constants';
import { getTlv, type DataSm, type DeliverSm, type SubmitSm, type TlvField } from './pdu';
import { tlvU16, tlvU8, tlvUint } from './tlv';

/**
 * Glue between the protocol-neutral text/concatenation library (protocols/wire) and SMPP's three ways of carrying a
 * long message: UDH in short_message (esm_class UDHI), the SAR TLV triple, or the whole text in message_payload.
 */

export interface SmppConcatInfo {
  ref: number;
  total: number;
  seq: number;
  /** Width of the UDH reference, or 'sar' when the part came with SAR TLVs (16-bit ref). */
  refBits: 8 | 16 | 'sar';
}

type TextPdu = SubmitSm | DeliverSm | DataSm;

/** The user data of a PDU: short_message, or message_payload when short_message is empty (always for data_sm). */
function userDataOf(pdu: TextPdu): Buffer {
  if (pdu.command !== 'data_sm' && pdu.shortMessage.length > 0) return pdu.shortMessage;
  return getTlv(pdu, Tlv.message_payload) ?? Buffer.alloc(0);
}

/** Which part of which message this PDU is, from its UDH (when UDHI is set) or its SAR TLVs; undefined if single. */
export function concatInfoOf(pdu: TextPdu): SmppConcatInfo | undefined {
  if ((pdu.esmClass & EsmClass.UDHI) !== 0) {
    const parsed = parseUdh(userDataOf(pdu));
    const c = parsed.ok ? parsed.udh.concat : undefined;
    if (c !== undefined) return { ref: c.ref, total: c.total, seq: c.seq, refBits: c.refBits };
  }
  const ref = tlvUint(getTlv(pdu, Tlv.sar_msg_ref_num));
  const total = tlvUint(getTlv(pdu, Tlv.sar_total_segments));
  const seq = tlvUint(getTlv(pdu, Tlv.sar_segment_seqnum));
  if (ref === undefined || total === undefined || seq === undefined) return undefined;
  if (total < 1 || seq < 1 || seq > total) return undefined;
  return { ref, total, seq, refBits: 'sar' };
}

/** The text of a PDU decoded per data_coding, with its UDH (if UDHI is set and the header parses) split off. */
export function textOf(pdu: TextPdu, opts?: TextOptions): { text: string; udh?: Buffer } {
  const data = userDataOf(pdu);
  if ((pdu.esmClass & EsmClass.UDHI) !== 0) {
    const parsed = parseUdh(data);
    if (parsed.ok) {
      const len = parsed.udh.length;
      return { text: decodeText(data.subarray(len), pdu.dataCoding, opts), udh: data.subarray(0, len) };
    }
  }
  return { text: decodeText(data, pdu.dataCoding, opts) };
}

/** The fields of a submit_sm that buildSubmitParts does not decide. esmClass supplies the messaging-mode bits. */
export type SubmitBase = Omit<
  SubmitSm,
  'command' | 'commandStatus' | 'sequenceNumber' | 'shortMessage' | 'dataCoding' | 'esmClass'
> & { esmClass?: number };

export interface BuildPartsOptions {
  /** Concatenation reference shared by all parts (8-bit UDH: 0..255; 16-bit UDH and SAR: 0..65535). */
  ref: number;
  mode: 'udh' | 'sar' | 'payload';
  /** UDH reference width (default 8); SAR always carries 16 bits and sizes its parts for a 16-bit UDH. */
  refBits?: 8 | 16;
  encoding?: SplitOptions['encoding'];
}

/**
 * Text to submit_sm PDUs (sequenceNumber 0: the session numbers them). One part carries no concatenation data.
 * Throws EncodeError for a ref out of range or more than 255 parts.
 */
export function buildSubmitParts(base: SubmitBase, text: string, opts: BuildPartsOptions): SubmitSm[] {
  const mode = base.esmClass ?? 0;
  const make = (shortMessage: Buffer, dataCoding: number, esmClass: number, extra: TlvField[]): SubmitSm => {
    const tlvs = [...(base.tlvs ?? []), ...extra];
    const pdu: SubmitSm = {
      ...base,
      command: 'submit_sm',
      commandStatus: 0,
      sequenceNumber: 0,
      esmClass,
      dataCoding,
      shortMessage,
    };
    if (tlvs.length > 0) pdu.tlvs = tlvs;
    else delete pdu.tlvs;
    return pdu;
  };

  if (opts.mode === 'payload') {
    const split = splitText(text, { encoding: opts.encoding ?? 'auto' });
    const whole = Buffer.concat(split.parts.map((p) => p.payload));
    if (whole.length > 0xffff) throw new EncodeError(`message_payload of ${whole.length} octets exceeds 65535`);
    return [make(Buffer.alloc(0), split.dataCoding, mode, [{ tag: Tlv.message_payload, value: whole }])];
  }

  if (opts.mode === 'sar') {
    if (!Number.isInteger(opts.ref) || opts.ref < 0 || opts.ref > 0xffff) throw new EncodeError(`SAR ref ${opts.ref} not 0..65535`);
    const split = splitText(text, { encoding: opts.encoding ?? 'auto', refBits: 16 });
    const total = split.parts.length;
    if (total > 255) throw new EncodeError(`${total} parts; SAR carries at most 255`);
    if (total === 1) return [make(split.parts[0]!.payload, split.dataCoding, mode, [])];
    return split.parts.map((p, i) =>
      make(p.payload, split.dataCoding, mode, [
        tlvU16(Tlv.sar_msg_ref_num, opts.ref),
        tlvU8(Tlv.sar_total_segments, total),
        tlvU8(Tlv.sar_segment_seqnum, i + 1),
      ]),
    );
  }

  const refBits = opts.refBits ?? 8;
  const built = partsFromText(text, opts.ref, { encoding: opts.encoding ?? 'auto', refBits });
  return built.messages.map((m) =>
    m.udh === undefined
      ? make(m.payload, built.dataCoding, mode, [])
      : make(Buffer.concat([m.udh, m.payload]), built.dataCoding, mode | EsmClass.UDHI, []),
  );
}
