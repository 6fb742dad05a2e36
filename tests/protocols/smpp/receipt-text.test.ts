import { Tlv } from '../../../protocols/smpp/constants';
import type { DataSm, DeliverSm } from '../../../protocols/smpp/pdu';
import { formatReceiptText, isReceipt, parseCanonical, parseReceiptText, parseReceiptTextByKeys, receiptFromDeliverSm } from '../../../protocols/smpp/receipt-text';
import { pdu as s5 } from '../../fixtures/smpp/deliver_sm.s5';
import { pdu as undeliv } from '../../fixtures/smpp/deliver_sm.receipt-nec';
import { pdu as mo } from '../../fixtures/smpp/deliver_sm.mo';

const S5_TEXT = 'id:5f3a9c01 sub:001 dlvrd:001 submit date:2401151230 done date:2401151231 stat:DELIVRD err:000 text:Hello world';
const utc = (y: number, mo: number, d: number, h: number, mi: number, s = 0) => Date.UTC(y, mo - 1, d, h, mi, s);

describe('parseReceiptText', () => {
  it('parses the S5 text', () => {
    expect(parseReceiptText(S5_TEXT)).toEqual({
      id: '5f3a9c01',
      sub: '001',
      dlvrd: '001',
      submitDate: utc(2024, 1, 15, 12, 30),
      doneDate: utc(2024, 1, 15, 12, 31),
      stat: 'DELIVRD',
      err: '000',
      text: 'Hello world',
    });
  });

  it('formats back to the S5 text exactly', () => {
    expect(formatReceiptText(parseReceiptText(S5_TEXT)!)).toBe(S5_TEXT);
  });

  it.each([
    ['hex id', 'id:5F3A9C01 stat:DELIVRD', '5F3A9C01'],
    ['decimal id', 'id:1234567890123 sub:001 stat:DELIVRD', '1234567890123'],
    ['uuid-like id', 'id:a1b2-c3d4 stat:EXPIRED', 'a1b2-c3d4'],
  ])('keeps a %s as written', (_name, text, id) => {
    expect(parseReceiptText(text)?.id).toBe(id);
  });

  it('tolerates missing fields', () => {
    expect(parseReceiptText('id:42 stat:UNDELIV')).toEqual({ id: '42', stat: 'UNDELIV' });
    expect(parseReceiptText('id:42 done date:2401151231')).toEqual({ id: '42', doneDate: utc(2024, 1, 15, 12, 31) });
  });

  it('tolerates extra spaces and empty values', () => {
    const r = parseReceiptText('  id:  77   sub:001  dlvrd: submit date:2401151230   done date: 2401151231  stat:  DELIVRD err:000');
    expect(r).toMatchObject({ id: '77', sub: '001', dlvrd: '', stat: 'DELIVRD', err: '000', submitDate: utc(2024, 1, 15, 12, 30), doneDate: utc(2024, 1, 15, 12, 31) });
  });

  it('reads 12-digit dates with seconds and formats them back with seconds', () => {
    const r = parseReceiptText('id:1 submit date:240115123005 done date:240115123159 stat:DELIVRD');
    expect(r?.submitDate).toBe(utc(2024, 1, 15, 12, 30, 5));
    expect(r?.doneDate).toBe(utc(2024, 1, 15, 12, 31, 59));
    expect(formatReceiptText(r!)).toContain('submit date:240115123005 done date:240115123159');
  });

  it('ignores impossible dates', () => {
    expect(parseReceiptText('id:1 submit date:2402301230 done date:2413011200 stat:DELIVRD')).toEqual({ id: '1', stat: 'DELIVRD' });
  });

  it('reads keys case-insensitively, including Text:', () => {
    const r = parseReceiptText('ID:9 SUB:001 DLVRD:001 SUBMIT DATE:2401151230 DONE DATE:2401151231 STAT:delivrd ERR:000 Text:Hi there');
    expect(r).toEqual({ id: '9', sub: '001', dlvrd: '001', submitDate: utc(2024, 1, 15, 12, 30), doneDate: utc(2024, 1, 15, 12, 31), stat: 'DELIVRD', err: '000', text: 'Hi there' });
  });

  it('does not read keys out of the quoted text', () => {
    expect(parseReceiptText('id:1 stat:DELIVRD text:stat:REJECTD id:2')).toEqual({ id: '1', stat: 'DELIVRD', text: 'stat:REJECTD id:2' });
  });

  it.each(['', 'Hello world', 'stat:DELIVRD err:000', 'id: sub:001 stat:DELIVRD', 'identity:5 stat:DELIVRD'])('returns null for %j', (text) => {
    expect(parseReceiptText(text)).toBeNull();
  });

  it('formats missing fields canonically', () => {
    expect(formatReceiptText({ id: 'x', stat: 'EXPIRED', text: 'a'.repeat(30) })).toBe(
      `id:x sub:001 dlvrd:000 submit date: done date: stat:EXPIRED err:000 text:${'a'.repeat(20)}`,
    );
  });
});

describe('isReceipt', () => {
  it.each([
    [0x04, true],
    [0x08, true],
    [0x10, true],
    [0x20, true],
    [0x44, true],
    [0x00, false],
    [0x40, false],
    [0x18, false],
    [0x03, false],
  ])('esm_class %d -> %s', (esm, expected) => {
    expect(isReceipt(esm)).toBe(expected);
  });
});

describe('receiptFromDeliverSm', () => {
  it('reads S5: TLV id and state, dates and text', () => {
    expect(receiptFromDeliverSm(s5)).toEqual({
      smscMessageId: '5f3a9c01',
      outcome: 'delivered',
      final: true,
      errorCode: '000',
      submittedAt: utc(2024, 1, 15, 12, 30),
      doneAt: utc(2024, 1, 15, 12, 31),
      destination: '447700900123',
      source: 'ACME',
      text: 'Hello world',
    });
  });

  it('prefers network_error_code and message_state TLVs', () => {
    expect(receiptFromDeliverSm(undeliv)).toMatchObject({ smscMessageId: '1234567890', outcome: 'undeliverable', final: true, errorCode: '001' });
  });

  it('lets message_state win over the text', () => {
    const p: DeliverSm = { ...s5, tlvs: [{ tag: Tlv.message_state, value: Buffer.from([8]) }] };
    expect(receiptFromDeliverSm(p)).toMatchObject({ smscMessageId: '5f3a9c01', outcome: 'rejected', final: true });
  });

  it.each([
    ['DELIVRD', 'delivered', true],
    ['EXPIRED', 'expired', true],
    ['DELETED', 'deleted', true],
    ['UNDELIV', 'undeliverable', true],
    ['ACCEPTD', 'accepted', false],
    ['UNKNOWN', 'unknown', false],
    ['REJECTD', 'rejected', true],
    ['ENROUTE', 'buffered', false],
    ['WHATEVER', 'unknown', false],
  ])('maps text-only stat:%s to %s', (stat, outcome, final) => {
    const p: DeliverSm = { ...s5, tlvs: undefined, shortMessage: Buffer.from(`id:abc stat:${stat} err:000`) };
    delete p.tlvs;
    expect(receiptFromDeliverSm(p)).toMatchObject({ smscMessageId: 'abc', outcome, final });
  });

  it('reads a data_sm receipt from message_payload', () => {
    const p: DataSm = {
      command: 'data_sm', commandStatus: 0, sequenceNumber: 1, serviceType: '', sourceAddrTon: 1, sourceAddrNpi: 1, sourceAddr: '4477',
      destAddrTon: 5, destAddrNpi: 0, destinationAddr: 'ACME', esmClass: 0x04, registeredDelivery: 0, dataCoding: 0,
      tlvs: [{ tag: Tlv.message_payload, value: Buffer.from('id:77 stat:EXPIRED err:012') }],
    };
    expect(receiptFromDeliverSm(p)).toMatchObject({ smscMessageId: '77', outcome: 'expired', errorCode: '012' });
  });

  it('returns null for an MO and for a receipt without any id', () => {
    expect(receiptFromDeliverSm(mo)).toBeNull();
    expect(receiptFromDeliverSm({ ...mo, esmClass: 4, shortMessage: Buffer.from('no id here') })).toBeNull();
  });
});

describe('receipt text: the canonical-layout shortcut', () => {
  // A small deterministic generator (no Math.random): the same cases on every run.
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pick = <T,>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
  const values = ['', '0', '001', 'abc', 'ABC123', 'x:y', 'sub:1', 'id:9', '0A1B', '-', 'DELIVRD', 'undeliv', 'é'];
  const dates = ['', '2411221530', '241122153045', '2413221530', '2402301200', '2402291200', '99', '24112215301', 'abcdefghij'];
  const seps = [' ', ' ', ' ', '  ', '\t', ''];
  const keys = ['id', 'sub', 'dlvrd', 'submit date', 'done date', 'stat', 'err', 'text'];

  function sample(): string {
    const calm = rnd(2) === 0; // mostly the usual layout, with tricky values
    const ks = !calm && rnd(4) === 0 ? [...keys].sort(() => rnd(3) - 1) : keys;
    const parts = ks.map((k) => {
      const key = rnd(calm ? 20 : 5) === 0 ? k.toUpperCase() : k;
      const v = k.endsWith('date') ? pick(dates) : k === 'text' ? pick([...values, 'hello world', 'id:5 stat:X']) : pick(values);
      return `${key}:${v}`;
    });
    if (rnd(calm ? 4 : 6) === 0) parts.pop();
    return parts.map((p, i) => (i === 0 ? '' : calm ? ' ' : pick(seps)) + p).join('') + (rnd(8) === 0 ? ' trailing' : '');
  }

  it('agrees with the per-key parser on every text it accepts, and accepts the usual layout', () => {
    let shortcut = 0;
    for (let i = 0; i < 20_000; i++) {
      const t = sample();
      const fast = parseCanonical(t);
      if (fast === null) continue;
      shortcut++;
      expect({ t, r: fast }).toEqual({ t, r: parseReceiptTextByKeys(t) });
    }
    expect(shortcut).toBeGreaterThan(40);
    const usual = 'id:0A1B sub:001 dlvrd:001 submit date:2411221530 done date:241122153107 stat:DELIVRD err:000 text:Hello';
    expect(parseCanonical(usual)).toEqual(parseReceiptTextByKeys(usual));
    expect(parseCanonical(usual)).not.toBeNull();
  });
});
