import fc from 'fast-check';
import { decodeAlnumOadc, encodeAlnumOadc, originatorFields, originatorText } from '../../../protocols/ucp/address';
import { contentOf, decodeAMsg, decodeTMsg, encodeAMsg, encodeNMsg, encodeTMsg } from '../../../protocols/ucp/content';
import { decodeUcp } from '../../../protocols/ucp/codec';
import { deliversFromText, notificationFor, submitsFromBinary, submitsFromText } from '../../../protocols/ucp/message';
import type { UcpNotification, UcpSubmit } from '../../../protocols/ucp/pdu';
import { messageIdFromSubmitAck, receiptFromNotification } from '../../../protocols/ucp/receipt';
import { formatUcpTime, parseUcpTime, ucpTimeToMs } from '../../../protocols/ucp/time';
import { buildXser, parseXser, xserBillingId, xserDcs, xserUdh } from '../../../protocols/ucp/xser';
import { EncodeError } from '../../../protocols/wire/errors';
import * as U4 from '../../fixtures/ucp/51.alnum-text';
import * as U7 from '../../fixtures/ucp/51.ucs2-udh';
import * as U9 from '../../fixtures/ucp/53.delivered';
import * as U11 from '../../fixtures/ucp/51.kannel-text';
import * as U14 from '../../fixtures/ucp/53.undeliverable';

describe('MT 3 AMsg as GSM 03.38 codes', () => {
  it('matches U4 and U11', () => {
    expect(encodeAMsg('Hello world €')).toBe('48656C6C6F20776F726C64201B65');
    expect(encodeAMsg('Hello @ £ € [_]')).toBe('48656C6C6F20002001201B65201B3C111B3E');
    expect(decodeAMsg((U11.pdu as UcpSubmit).msg)).toBe('Hello @ £ € [_]');
    expect(decodeAMsg('48656c6c6f')).toBe('Hello');
  });
  it('can use IRA / Latin-1 codes per connection', () => {
    expect(encodeAMsg('Hé@', 'latin1')).toBe('48E940');
    expect(decodeAMsg('48E940', 'latin1')).toBe('Hé@');
  });
  it('round-trips any GSM text', () => {
    const gsmChar = fc.constantFrom(...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCXYZÄÖÑÜ§¿abcxyzäöñüà^{}\\[~]|€'.split(''));
    fc.assert(fc.property(fc.array(gsmChar, { maxLength: 80 }), (cs) => {
      const t = cs.join('');
      expect(decodeAMsg(encodeAMsg(t))).toBe(t);
    }), { numRuns: 200 });
  });
});

describe('MT 2 and MT 4', () => {
  it('NMsg digits only', () => {
    expect(encodeNMsg('0123')).toBe('0123');
    expect(() => encodeNMsg('12a')).toThrow(EncodeError);
  });
  it('TMsg with NB in bits', () => {
    expect(encodeTMsg(Buffer.from('041F04400438043204350442002C0020', 'hex'))).toEqual({ nb: '0128', msg: '041F04400438043204350442002C0020' });
    expect(decodeTMsg('0102030405', '0016')).toEqual(Buffer.from([1, 2]));
    expect(decodeTMsg('0102', '')).toEqual(Buffer.from([1, 2]));
  });
});

describe('alphanumeric OAdC (OTOA 5039)', () => {
  it('ACME <-> 07C161B308', () => {
    expect(encodeAlnumOadc('ACME')).toBe('07C161B308');
    expect(decodeAlnumOadc('07C161B308')).toBe('ACME');
    expect(decodeAlnumOadc('07c161b308')).toBe('ACME');
  });
  it('handles 11 characters (20 semi-octets, 22 hex) and refuses 12', () => {
    const o = encodeAlnumOadc('ABCDEFGHIJK');
    expect(o.slice(0, 2)).toBe('14');
    expect(o).toHaveLength(22);
    expect(decodeAlnumOadc(o)).toBe('ABCDEFGHIJK');
    expect(() => encodeAlnumOadc('ABCDEFGHIJKL')).toThrow(EncodeError);
    expect(() => encodeAlnumOadc('')).toThrow(EncodeError);
  });
  it('round-trips 1-11 chars', () => {
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9 ]{1,11}$/), (s) => expect(decodeAlnumOadc(encodeAlnumOadc(s))).toBe(s)), { numRuns: 200 });
  });
  it('malformed input decodes to undefined, never throws', () => {
    expect(decodeAlnumOadc('7')).toBeUndefined();
    expect(decodeAlnumOadc('0ZC1')).toBeUndefined();
    fc.assert(fc.property(fc.string({ maxLength: 30 }), (s) => void decodeAlnumOadc(s)), { numRuns: 200 });
  });
  it('picks the originator form', () => {
    expect(originatorFields('ACME')).toEqual({ oadc: '07C161B308', otoa: '5039' });
    expect(originatorFields('+447700900001')).toEqual({ oadc: '447700900001', otoa: '1139' });
    expect(originatorFields('4477009000')).toEqual({ oadc: '4477009000', otoa: '' });
    expect(originatorText('07C161B308', '5039')).toBe('ACME');
    expect(originatorText('4477', '')).toBe('4477');
  });
});

describe('XSer', () => {
  it('parses U7: UDH + DCS', () => {
    const r = parseXser('0106050003A50201020108');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(xserUdh(r.items)).toEqual(Buffer.from('050003A50201', 'hex'));
    expect(xserDcs(r.items)).toBe(8);
    expect(buildXser(r.items)).toBe('0106050003A50201020108');
  });
  it('keeps unknown types in order and finds the billing id', () => {
    const r = parseXser('FF01010C0441424344');
    expect(r.ok && r.items.map((i) => i.type)).toEqual([0xff, 0x0c]);
    if (r.ok) {
      expect(xserBillingId(r.items)?.toString()).toBe('ABCD');
      expect(buildXser(r.items)).toBe('FF01010C0441424344');
    }
  });
  it('reports truncation and bad hex', () => {
    expect(parseXser('0106050003').ok).toBe(false);
    expect(parseXser('01').ok).toBe(false);
    expect(parseXser('0G').ok).toBe(false);
    expect(parseXser('').ok).toBe(true);
  });
  it('round-trips random items', () => {
    const item = fc.record({ type: fc.integer({ min: 0, max: 255 }), data: fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a)) });
    fc.assert(fc.property(fc.array(item, { maxLength: 6 }), (items) => {
      const r = parseXser(buildXser(items));
      expect(r.ok && r.items).toEqual(items);
    }), { numRuns: 200 });
  });
});

describe('timestamps', () => {
  it('parses day-first SCTS and DDT', () => {
    expect(parseUcpTime('150124123005')).toEqual({ day: 15, month: 1, year: 2024, hour: 12, minute: 30, second: 5 });
    expect(ucpTimeToMs('150124123005')).toBe(Date.UTC(2024, 0, 15, 12, 30, 5));
    expect(ucpTimeToMs('1501241230', 60)).toBe(Date.UTC(2024, 0, 15, 11, 30, 0));
    expect(parseUcpTime('310224123000')).toBeUndefined();
    expect(parseUcpTime('15012412300')).toBeUndefined();
    expect(formatUcpTime(Date.UTC(2024, 0, 15, 12, 30, 5))).toBe('150124123005');
    expect(formatUcpTime(Date.UTC(2024, 0, 15, 12, 30, 5), false)).toBe('1501241230');
  });
});

describe('content of operations', () => {
  it('U4 text, U7 UCS2 with concat info', () => {
    expect(contentOf(U4.pdu as UcpSubmit)).toMatchObject({ encoding: 'gsm7', text: 'Hello world €' });
    const c = contentOf(U7.pdu as UcpSubmit);
    expect(c).toMatchObject({ encoding: 'ucs2', text: 'Привет, ', dcs: 8 });
    expect(c.concat).toEqual({ ref: 0xa5, total: 2, seq: 1, refBits: 8 });
  });
  it('MT 4 without DCS is binary; MT 2 numeric', () => {
    expect(contentOf({ mt: '4', msg: '0102', nb: '0016' })).toMatchObject({ encoding: 'binary', bytes: Buffer.from([1, 2]) });
    expect(contentOf({ mt: '2', msg: '123' })).toMatchObject({ encoding: 'numeric', text: '123' });
  });
});

describe('building messages', () => {
  it('a short GSM text is one MT 3 submit without XSer; alnum sender', () => {
    const [s, ...rest] = submitsFromText({ to: '447700900123', from: 'ACME', text: 'Hello world €', fields: { nrq: '1', nt: '3' } });
    expect(rest).toEqual([]);
    // Exactly U4 without its TRN: the builder reproduces the README vector.
    expect(s).toEqual((({ trn: _t, ...rest }) => rest)(U4.pdu as UcpSubmit));
  });
  it('a long GSM text is split into 153-septet MT 3 parts with XSer 01 UDH', () => {
    const text = 'x'.repeat(200);
    const parts = submitsFromText({ to: '1', from: '2', text, ref: 7 });
    expect(parts).toHaveLength(2);
    expect(parts[0]!.msg).toHaveLength(306);
    expect(parts[0]!.xser).toBe('0106050003070201');
    expect(parts[1]!.xser).toBe('0106050003070202');
    expect(parts.map((p) => contentOf(p).text).join('')).toBe(text);
  });
  it('non-GSM text is UCS2 in MT 4 with XSer 02 08, split at 67 units', () => {
    const text = 'Привет'.repeat(15); // 90 units
    const parts = submitsFromText({ to: '1', from: '2', text, ref: 0xa5 });
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatchObject({ mt: '4', nb: String(67 * 16).padStart(4, '0'), xser: '0106050003A50201020108' });
    expect(parts.map((p) => contentOf(p).text).join('')).toBe(text);
  });
  it('binary data goes as MT 4 with a DCS', () => {
    const [p] = submitsFromBinary({ to: '1', from: '2', data: Buffer.from([1, 2, 3]) });
    expect(p).toMatchObject({ mt: '4', nb: '0024', msg: '010203', xser: '0201F6' });
  });
  it('MOs (52) carry SCTS and no OTOA', () => {
    const [d] = deliversFromText({ to: '4477009000', from: '447700900123', text: 'Reply text', scts: '150124123500' });
    expect(d).toMatchObject({ ot: '52', adc: '4477009000', oadc: '447700900123', scts: '150124123500', mt: '3', msg: '5265706C792074657874', otoa: '' });
  });
});

describe('receipts (53)', () => {
  it('U9 maps to delivered with the id the 51 ACK returned', () => {
    const r = receiptFromNotification(U9.pdu as UcpNotification);
    expect(r).toEqual({
      smscMessageId: '447700900123:150124123005',
      outcome: 'delivered',
      final: true,
      submittedAt: Date.UTC(2024, 0, 15, 12, 30, 5),
      doneAt: Date.UTC(2024, 0, 15, 12, 30, 10),
      destination: '447700900123',
      source: '4477009000',
      text: 'Message for 447700900123 delivered',
    });
    expect(messageIdFromSubmitAck({ ack: true, mvp: '', sm: '447700900123:150124123005' }, '447700900123')).toBe(r.smscMessageId);
  });
  it('Dst 2 is undeliverable with the Rsn; Dst 1 buffered and not final', () => {
    expect(receiptFromNotification(U14.pdu as UcpNotification)).toMatchObject({ outcome: 'undeliverable', final: true, errorCode: '107' });
    const buffered = { ...(U9.pdu as UcpNotification), dst: '1', rsn: '107' };
    expect(receiptFromNotification(buffered)).toMatchObject({ outcome: 'buffered', final: false, errorCode: '107' });
  });
  it('ids from ACKs with only SCTS or nothing', () => {
    expect(messageIdFromSubmitAck({ ack: true, sm: '150124123005' }, '4477')).toBe('4477:150124123005');
    expect(messageIdFromSubmitAck({ ack: true, sm: '' }, '4477')).toBeUndefined();
  });
  it('a built notification decodes back to the same receipt', () => {
    const n = notificationFor({ submitAdc: '447700900123', submitOadc: '4477009000', scts: '150124123005', dst: '0', rsn: '000', dscts: '150124123010', text: 'Message for 447700900123 delivered' });
    expect(n).toEqual((({ trn: _t, ...rest }) => rest)(U9.pdu as UcpNotification));
    expect(decodeUcp(Buffer.from(U9.frame, 'latin1')).ok).toBe(true);
  });
});

describe('MT 4 with a GSM 7-bit DCS', () => {
  it('unpacks TMsg using NB as the bit count', () => {
    // 'hellohello' packs to E8329BFD4697D9EC37: 10 septets = 70 bits.
    expect(contentOf({ mt: '4', nb: '0070', msg: 'E8329BFD4697D9EC37', xser: '020100' })).toMatchObject({ encoding: 'gsm7', text: 'hellohello' });
  });
});
