import { decodePacket, encodePacket } from '../../../protocols/cimd2/codec';
import { deliverMessage, readMessage, submit, submitResponse, submitsForText } from '../../../protocols/cimd2/message';
import { errorCodeOf, getParam, login, readLogin } from '../../../protocols/cimd2/packet';
import {
  cimd2MessageId,
  formatCimd2Time,
  outcomeForStatusCode,
  parseCimd2Time,
  receiptFromStatusReport,
  statusReport,
} from '../../../protocols/cimd2/receipt';
import { isFinalOutcome } from '../../../protocols/session/receipt';
import { parseUdh } from '../../../protocols/wire/udh';
import { readmeVectors, wire } from '../../fixtures/cimd2';

function decoded(name: string) {
  const r = decodePacket(wire(readmeVectors.find((v) => v.name.startsWith(name))!.frame));
  if (!r.ok) throw r.error;
  return r.pdu;
}

describe('CIMD2 typed builders and views', () => {
  it('builds C1 login and reads it back', () => {
    expect(encodePacket(login({ user: 'acme', password: 'secret' })).equals(wire(readmeVectors[0]!.frame))).toBe(true);
    expect(readLogin(decoded('C1'))).toMatchObject({ user: 'acme', password: 'secret' });
  });

  it('builds C3 from typed fields', () => {
    const pkt = submit({ destinations: ['447700900123'], originator: 'ACME', text: '@Home £5 _x', statusReportRequest: 14 }, 3);
    expect(encodePacket(pkt).equals(wire(readmeVectors[2]!.frame))).toBe(true);
  });

  it('builds C4 submit response', () => {
    expect(encodePacket(submitResponse(3, '447700900123', '240115123005')).equals(wire(readmeVectors[3]!.frame))).toBe(true);
  });

  it('builds C5 (binary UCS2 + UDH) from text outside GSM', () => {
    const pkt = submit({ destinations: ['447700900123'], originator: '447700900001', text: 'Привет, ', udh: Buffer.from('050003A50201', 'hex') }, 5);
    expect(encodePacket(pkt).equals(wire(readmeVectors[4]!.frame))).toBe(true);
  });

  it('reads C13 (030 after 034) as UCS2 text with a concatenation UDH', () => {
    const v = readMessage(decoded('C13'));
    expect(v.text).toBe('Привет');
    expect(v.dcs).toBe(8);
    const udh = parseUdh(v.udh!);
    expect(udh.ok && udh.udh.concat).toEqual({ ref: 0xa5, total: 2, seq: 1, refBits: 8 });
  });

  it('reads C12 MO text and numeric originator', () => {
    const v = readMessage(decoded('C12'));
    expect(v).toMatchObject({ text: 'MO @ £ € ü _ x', originator: '447700900123', originatorType: 'numeric', scts: '240115123500', destinations: ['4477009000'] });
  });

  it('builds a 20 MO that reads back with tariff class and service description', () => {
    const pkt = deliverMessage({ destinations: ['4477009000'], originator: '447700900123', text: 'STOP', scts: '240115123500', tariffClass: 7, serviceDescription: 2 }, 2);
    const v = readMessage(pkt);
    expect(v).toMatchObject({ text: 'STOP', tariffClass: 7, serviceDescription: 2 });
    expect(pkt.params.map((p) => p.code)).toEqual(['021', '023', '033', '060', '064', '065']);
  });

  it('splits long GSM text into 153-septet parts with UDH in 032', () => {
    const text = 'x'.repeat(200) + '€';
    const pkts = submitsForText(text, 7, { destinations: ['4477'] });
    expect(pkts).toHaveLength(2);
    const views = pkts.map(readMessage);
    expect(views.map((v) => v.text).join('')).toBe(text);
    expect(views.every((v) => v.udh !== undefined && v.dcs === undefined)).toBe(true);
  });

  it('splits long UCS2 text into 67-unit parts in 034 with 030:8', () => {
    const text = 'Ж'.repeat(100);
    const pkts = submitsForText(text, 9, { destinations: ['4477'] });
    expect(pkts).toHaveLength(2);
    expect(pkts.map((p) => readMessage(p).text).join('')).toBe(text);
    expect(getParam(pkts[0]!, '030')).toBe('8');
  });

  it('one short text needs no UDH', () => {
    const [p] = submitsForText('hi', 1, { destinations: ['4477'] });
    expect(getParam(p!, '032')).toBeUndefined();
  });

  it('errorCodeOf treats 900:0 as success', () => {
    expect(errorCodeOf({ opCode: 53, packetNumber: 1, params: [{ code: '900', value: '0' }] })).toBeUndefined();
    expect(errorCodeOf({ opCode: 53, packetNumber: 1, params: [{ code: '900', value: '300' }] })).toBe(300);
  });
});

describe('CIMD2 status reports -> Receipt', () => {
  it('maps C7 to a delivered receipt keyed like the C4 submit response', () => {
    const r = receiptFromStatusReport(decoded('C7'));
    const c4 = decoded('C4');
    expect(r.smscMessageId).toBe(cimd2MessageId(getParam(c4, '021')!, getParam(c4, '060')!));
    expect(r).toMatchObject({ smscMessageId: '447700900123:240115123005', outcome: 'delivered', final: true, destination: '447700900123' });
    expect(r.submittedAt).toBe(Date.UTC(2024, 0, 15, 12, 30, 5));
    expect(r.doneAt).toBe(Date.UTC(2024, 0, 15, 12, 30, 10));
  });

  it.each([
    [1, 'buffered', false],
    [2, 'expired', true],
    [3, 'undeliverable', true],
    [4, 'delivered', true],
    [5, 'buffered', false],
    [6, 'undeliverable', true],
    [7, 'deleted', true],
    [8, 'deleted', true],
    [9, 'deleted', true],
  ])('061 status %i -> %s (final %s)', (code, outcome, final) => {
    const r = receiptFromStatusReport(statusReport({ destination: '4477', scts: '240115123005', statusCode: code, statusErrorCode: 29 }));
    expect(r.outcome).toBe(outcome);
    expect(r.final).toBe(final);
    expect(isFinalOutcome(r.outcome)).toBe(final);
    expect(r.errorCode).toBe('29');
  });

  it('unknown status code is unknown and not final', () => {
    expect(outcomeForStatusCode(0)).toBe('unknown');
    expect(outcomeForStatusCode(undefined)).toBe('unknown');
  });

  it('time helpers are year-first and inverse of each other', () => {
    expect(formatCimd2Time(Date.UTC(2024, 0, 15, 12, 30, 5))).toBe('240115123005');
    expect(parseCimd2Time('991231235959')).toBe(Date.UTC(1999, 11, 31, 23, 59, 59));
    expect(parseCimd2Time('24011512300')).toBeUndefined();
  });
});
