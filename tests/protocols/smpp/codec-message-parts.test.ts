import { decodePdu, encodePdu } from '../../../protocols/smpp/codec';
import { EsmClass, Tlv } from '../../../protocols/smpp/constants';
import { buildSubmitParts, concatInfoOf, textOf, type SubmitBase } from '../../../protocols/smpp/message-parts';
import { getTlv, type SubmitSm } from '../../../protocols/smpp/pdu';
import { EncodeError } from '../../../protocols/wire/errors';
import { pdu as s3 } from '../../fixtures/smpp/submit_sm.s3';
import { pdu as s7 } from '../../fixtures/smpp/submit_sm.s7';
import { pdu as s8 } from '../../fixtures/smpp/submit_sm.s8';
import { pdu as s11 } from '../../fixtures/smpp/submit_sm.s11';
import { pdu as s12 } from '../../fixtures/smpp/submit_sm.s12';
import { pdu as dataSm } from '../../fixtures/smpp/data_sm.tlvs';

describe('concatInfoOf', () => {
  it('reads the UDH of S7 and S12', () => {
    expect(concatInfoOf(s7)).toEqual({ ref: 0xa5, total: 2, seq: 1, refBits: 8 });
    expect(concatInfoOf(s12)).toEqual({ ref: 0xa5, total: 2, seq: 1, refBits: 8 });
  });
  it('reads the SAR TLVs of S8', () => {
    expect(concatInfoOf(s8)).toEqual({ ref: 0x1234, total: 2, seq: 1, refBits: 'sar' });
  });
  it('reads a UDH inside message_payload of a data_sm', () => {
    expect(concatInfoOf(dataSm)).toEqual({ ref: 0xa5, total: 2, seq: 1, refBits: 8 });
  });
  it('is undefined for single messages', () => {
    expect(concatInfoOf(s3)).toBeUndefined();
    expect(concatInfoOf(s11)).toBeUndefined();
  });
});

describe('textOf', () => {
  it('decodes unpacked GSM (S3, S11)', () => {
    expect(textOf(s3)).toEqual({ text: 'Hello @ world €' });
    expect(textOf(s11)).toEqual({ text: 'Hello @ £ € [_]' });
  });
  it('strips the UDH and decodes UCS2 (S7, S12)', () => {
    expect(textOf(s7)).toEqual({ text: 'Привет, ', udh: Buffer.from('050003a50201', 'hex') });
    expect(textOf(s12).text).toBe('Привет');
  });
  it('reads message_payload when short_message is empty (S8)', () => {
    expect(textOf(s8)).toEqual({ text: 'Part one' });
  });
});

const base: SubmitBase = {
  serviceType: '', sourceAddrTon: 5, sourceAddrNpi: 0, sourceAddr: 'ACME', destAddrTon: 1, destAddrNpi: 1,
  destinationAddr: '447700900123', protocolId: 0, priorityFlag: 0, scheduleDeliveryTime: '', validityPeriod: '',
  registeredDelivery: 1, replaceIfPresentFlag: 0, smDefaultMsgId: 0,
};
const long = 'The quick brown fox jumps over the lazy dog € '.repeat(5); // 230 chars, 235 septets
const reassemble = (parts: SubmitSm[]) =>
  parts
    .map((p) => decodePdu(encodePdu(p)))
    .map((r) => {
      if (!r.ok || r.pdu.command !== 'submit_sm') throw new Error('part does not round-trip');
      return textOf(r.pdu).text;
    })
    .join('');

describe('buildSubmitParts', () => {
  it('sends a short text as one part without concatenation data', () => {
    const parts = buildSubmitParts(base, 'Hello', { ref: 1, mode: 'udh' });
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ command: 'submit_sm', esmClass: 0, dataCoding: 0, shortMessage: Buffer.from('Hello') });
    expect(parts[0]!.tlvs).toBeUndefined();
  });

  it('splits with 8-bit UDH: UDHI set, 153 septets max per part, text reassembles', () => {
    const parts = buildSubmitParts({ ...base, esmClass: EsmClass.MODE_STORE_AND_FORWARD }, long, { ref: 7, mode: 'udh' });
    expect(parts).toHaveLength(2);
    parts.forEach((p, i) => {
      expect(p.esmClass).toBe(0x43);
      expect(concatInfoOf(p)).toEqual({ ref: 7, total: 2, seq: i + 1, refBits: 8 });
      expect(p.shortMessage.length).toBeLessThanOrEqual(6 + 153);
    });
    expect(reassemble(parts)).toBe(long);
  });

  it('splits with 16-bit UDH refs', () => {
    const parts = buildSubmitParts(base, long, { ref: 0x1234, mode: 'udh', refBits: 16 });
    expect(concatInfoOf(parts[1]!)).toEqual({ ref: 0x1234, total: 2, seq: 2, refBits: 16 });
    expect(reassemble(parts)).toBe(long);
  });

  it('splits with SAR TLVs and no UDH', () => {
    const parts = buildSubmitParts(base, long, { ref: 0xbeef, mode: 'sar' });
    expect(parts).toHaveLength(2);
    parts.forEach((p, i) => {
      expect(p.esmClass & EsmClass.UDHI).toBe(0);
      expect(concatInfoOf(p)).toEqual({ ref: 0xbeef, total: 2, seq: i + 1, refBits: 'sar' });
    });
    expect(reassemble(parts)).toBe(long);
  });

  it('puts the whole text in message_payload', () => {
    const parts = buildSubmitParts({ ...base, tlvs: [{ tag: Tlv.user_message_reference, value: Buffer.from('0001', 'hex') }] }, long, { ref: 0, mode: 'payload' });
    expect(parts).toHaveLength(1);
    expect(parts[0]!.shortMessage.length).toBe(0);
    expect(parts[0]!.tlvs!.map((t) => t.tag)).toEqual([Tlv.user_message_reference, Tlv.message_payload]);
    expect(getTlv(parts[0]!, Tlv.message_payload)!.length).toBe(235);
    expect(reassemble(parts)).toBe(long);
  });

  it('uses UCS2 (data_coding 8) for text outside GSM', () => {
    const text = 'Привет мир! '.repeat(7); // 84 UTF-16 units: two parts of at most 67
    const parts = buildSubmitParts(base, text, { ref: 9, mode: 'udh' });
    expect(parts.map((p) => p.dataCoding)).toEqual([8, 8]);
    expect(reassemble(parts)).toBe(text);
  });

  it('rejects a reference out of range', () => {
    expect(() => buildSubmitParts(base, long, { ref: 300, mode: 'udh' })).toThrow(EncodeError);
    expect(() => buildSubmitParts(base, long, { ref: 70000, mode: 'sar' })).toThrow(EncodeError);
  });
});
