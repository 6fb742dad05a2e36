import { partnerReceiptDeliverSm, partnerReceiptText, partnerWantsReceipt } from '../../../gateway/adapters/partner-receipt';
import { messageFromPartnerSubmit, submitSmForPart, submitsOfMulti } from '../../../gateway/adapters/smpp-mt';
import { parseSmppTime } from '../../../gateway/adapters/smpp-time';
import { splitPayload } from '../../../gateway/adapters/split-payload';
import { CommandStatus, Tlv } from '../../../protocols/smpp/constants';
import { getTlv } from '../../../protocols/smpp/pdu';
import type { SubmitMulti, SubmitSm } from '../../../protocols/smpp/pdu';
import { parseReceiptText } from '../../../protocols/smpp/receipt-text';
import { parseUdh } from '../../../protocols/wire/udh';
import { submitSm } from '../../helpers/smpp-pdus';

const NOW = Date.UTC(2024, 0, 15, 12, 30, 0);
const ctx = { id: '1001', partnerId: 'acme', now: NOW, defaultValidityMs: 48 * 3_600_000 };

function submit(over: Partial<SubmitSm> = {}): SubmitSm {
  return submitSm({ sequenceNumber: 3, registeredDelivery: 1, shortMessage: Buffer.from('Hello'), ...over });
}

function built(over: Partial<SubmitSm> = {}) {
  const r = messageFromPartnerSubmit(submit(over), ctx);
  if (!r.ok) throw new Error(`status ${r.status}`);
  return r.msg;
}

describe('messageFromPartnerSubmit', () => {
  it('a short message: one part, addresses, validity default, a copy of the bytes', () => {
    const bytes = Buffer.from('Hello');
    const m = built({ shortMessage: bytes });
    expect(m).toMatchObject({
      id: '1001',
      direction: 'mt',
      partnerId: 'acme',
      source: { addr: 'ACME', ton: 5, npi: 0 },
      destination: { addr: '447700900123', ton: 1, npi: 1 },
      state: 'accepted',
      validUntil: NOW + 48 * 3_600_000,
    });
    expect(m.parts).toHaveLength(1);
    bytes[0] = 0x58;
    expect(m.body.toString()).toBe('Hello');
  });

  it('a long message_payload is split into UDH parts (gsm7: 153 per part)', () => {
    const m = built({ shortMessage: Buffer.alloc(0), tlvs: [{ tag: Tlv.message_payload, value: Buffer.from('x'.repeat(400)) }] });
    expect(m.parts).toHaveLength(3);
    const sizes = m.parts.map((p) => {
      const u = parseUdh(p.body);
      if (!u.ok) throw new Error(u.reason);
      expect(u.udh.concat).toMatchObject({ total: 3, seq: p.seq });
      expect(p.udhi).toBe(true);
      return p.body.length - u.udh.length;
    });
    expect(sizes).toEqual([153, 153, 94]);
  });

  it('a payload that fits one SMS stays one part without UDH', () => {
    const m = built({ shortMessage: Buffer.alloc(0), tlvs: [{ tag: Tlv.message_payload, value: Buffer.from('y'.repeat(160)) }] });
    expect(m.parts).toHaveLength(1);
    expect(m.parts[0]!.udhi).toBe(false);
  });

  it('UCS2 payload parts hold 134 octets and never cut a surrogate pair', () => {
    const emoji = Buffer.from('d83dde00', 'hex'); // one emoji = 4 octets
    const body = Buffer.concat([Buffer.alloc(132, 0x00).fill(Buffer.from('0041', 'hex')), emoji, Buffer.alloc(20, 0).fill(Buffer.from('0042', 'hex'))]);
    const parts = splitPayload(body, 8, 7);
    const first = parts[0]!.subarray(6);
    expect(first.length).toBe(132); // 134 would end inside the pair
    expect(first.readUInt16BE(first.length - 2)).toBe(0x0041);
    expect(Buffer.concat(parts.map((p) => p.subarray(6)))).toEqual(body);
  });

  it('gsm7 parts never end on an escape octet', () => {
    const body = Buffer.concat([Buffer.alloc(152, 0x41), Buffer.from([0x1b, 0x65]), Buffer.alloc(30, 0x42)]);
    const parts = splitPayload(body, 0, 1);
    expect(parts[0]!.length - 6).toBe(152);
    expect(Buffer.concat(parts.map((p) => p.subarray(6)))).toEqual(body);
  });

  it('a partner UDH part keeps its body and concat info', () => {
    const body = Buffer.concat([Buffer.from('050003a70201', 'hex'), Buffer.from('part one')]);
    const m = built({ esmClass: 0x40, shortMessage: body });
    expect(m.concat).toEqual({ ref: 0xa7, total: 2, seq: 1 });
    expect(m.parts[0]).toMatchObject({ udhi: true });
    expect(m.parts[0]!.body).toEqual(body);
  });

  it('SAR parts are sent on with the equivalent 16-bit concat UDH', () => {
    const m = built({
      tlvs: [
        { tag: Tlv.sar_msg_ref_num, value: Buffer.from([0x12, 0x34]) },
        { tag: Tlv.sar_total_segments, value: Buffer.from([2]) },
        { tag: Tlv.sar_segment_seqnum, value: Buffer.from([1]) },
      ],
    });
    expect(m.concat).toEqual({ ref: 0x1234, total: 2, seq: 1 });
    const u = parseUdh(m.parts[0]!.body);
    expect(u.ok && u.udh.concat).toEqual({ ref: 0x1234, total: 2, seq: 1, refBits: 16 });
  });

  it.each([
    ['UDHI with a broken header', { esmClass: 0x40, shortMessage: Buffer.from([0x09, 0x00]) }, CommandStatus.ESME_RINVESMCLASS],
    ['both short_message and message_payload', { tlvs: [{ tag: Tlv.message_payload, value: Buffer.from('x') }] }, CommandStatus.ESME_RINVPARLEN],
    ['no destination', { destinationAddr: '' }, CommandStatus.ESME_RINVDSTADR],
    ['an unreadable validity period', { validityPeriod: 'tomorrow' }, CommandStatus.ESME_RINVEXPIRY],
  ])('refuses %s', (_n, over, status) => {
    expect(messageFromPartnerSubmit(submit(over as Partial<SubmitSm>), ctx)).toEqual({ ok: false, status });
  });

  it('a relative validity period shortens validUntil', () => {
    const m = built({ validityPeriod: '000001000000000R' }); // one day
    expect(m.validUntil).toBe(NOW + 24 * 3_600_000);
  });
});

describe('parseSmppTime', () => {
  it('absolute with offset, relative, and rejects garbage', () => {
    expect(parseSmppTime('240115123000004+', NOW)).toBe(Date.UTC(2024, 0, 15, 11, 30, 0));
    expect(parseSmppTime('000000010000000R', NOW)).toBe(NOW + 3_600_000);
    expect(parseSmppTime('241315123000004+', NOW)).toBeUndefined();
    expect(parseSmppTime('', NOW)).toBeUndefined();
  });
});

describe('submit_multi and the submit to the SMSC', () => {
  it('submit_multi becomes one submit_sm per SME address; distribution lists are listed apart', () => {
    const base = submit();
    const multi: SubmitMulti = {
      command: 'submit_multi',
      commandStatus: 0,
      sequenceNumber: 9,
      serviceType: '',
      sourceAddrTon: 5,
      sourceAddrNpi: 0,
      sourceAddr: 'ACME',
      destAddresses: [
        { kind: 'sme', ton: 1, npi: 1, addr: '4471' },
        { kind: 'dl', name: 'friends' },
        { kind: 'sme', ton: 1, npi: 1, addr: '4472' },
      ],
      esmClass: 0,
      protocolId: 0,
      priorityFlag: 0,
      scheduleDeliveryTime: '',
      validityPeriod: '',
      registeredDelivery: 1,
      replaceIfPresentFlag: 0,
      dataCoding: 0,
      smDefaultMsgId: 0,
      shortMessage: base.shortMessage,
    };
    const r = submitsOfMulti(multi);
    expect(r.submits.map((s) => s.destinationAddr)).toEqual(['4471', '4472']);
    expect(r.distributionLists).toEqual(['friends']);
  });

  it('the SMSC submit carries the part body, UDHI for concatenated parts, and always asks for a receipt', () => {
    const m = built({ shortMessage: Buffer.alloc(0), registeredDelivery: 0, tlvs: [{ tag: Tlv.message_payload, value: Buffer.from('z'.repeat(200)) }] });
    const s = submitSmForPart(m, m.parts[1]!, { registeredDelivery: 1 });
    expect(s.esmClass & 0x40).toBe(0x40);
    expect(s.shortMessage).toBe(m.parts[1]!.body);
    expect(s.registeredDelivery).toBe(1);
    expect(s.destinationAddr).toBe('447700900123');
  });
});

describe('partner receipts', () => {
  const owed = {
    messageId: '1001',
    partnerId: 'acme',
    source: { addr: 'ACME', ton: 5, npi: 0 },
    destination: { addr: '447700900123', ton: 1, npi: 1 },
    outcome: 'undeliverable',
    errorCode: '1',
    submittedAt: NOW,
    doneAt: NOW + 60_000,
  };

  it('deliver_sm from the destination back to the source, with our id in the text and TLVs', () => {
    const pdu = partnerReceiptDeliverSm(owed);
    expect(pdu).toMatchObject({ esmClass: 0x04, sourceAddr: '447700900123', destinationAddr: 'ACME', sourceAddrTon: 1, destAddrTon: 5 });
    expect(getTlv(pdu, Tlv.receipted_message_id)).toEqual(Buffer.from('1001\0'));
    expect(getTlv(pdu, Tlv.message_state)).toEqual(Buffer.from([5]));
    const text = parseReceiptText(pdu.shortMessage.toString('latin1'));
    expect(text).toMatchObject({ id: '1001', stat: 'UNDELIV', err: '001', dlvrd: '000', submitDate: NOW, doneDate: NOW + 60_000 });
    // dates are to the minute (S5 layout): seconds are dropped, not rounded
    expect(parseReceiptText(partnerReceiptText({ ...owed, doneAt: NOW + 119_999 }))?.doneDate).toBe(NOW + 60_000);
  });

  it('the text follows the S5 layout', () => {
    expect(partnerReceiptText({ ...owed, outcome: 'delivered', errorCode: undefined })).toBe(
      'id:1001 sub:001 dlvrd:001 submit date:2401151230 done date:2401151231 stat:DELIVRD err:000 text:',
    );
  });

  it.each([
    [0, 'delivered', false],
    [1, 'delivered', true],
    [1, 'expired', true],
    [2, 'delivered', false],
    [2, 'undeliverable', true],
    [3, 'delivered', true],
    [3, 'rejected', false],
  ])('registered_delivery %i and %s -> %s', (rd, outcome, want) => {
    expect(partnerWantsReceipt(rd, outcome)).toBe(want);
  });
});
