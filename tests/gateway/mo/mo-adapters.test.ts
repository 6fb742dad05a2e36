import { deliversFromText } from '../../../protocols/ucp/message';
import { deliverMessage } from '../../../protocols/cimd2/message';
import { Tlv } from '../../../protocols/smpp/constants';
import type { DeliverSm } from '../../../protocols/smpp/pdu';
import { partsFromText } from '../../../protocols/wire/concat';
import { FakeClock } from '../../../protocols/wire/clock';
import { gsm7Decode } from '../../../protocols/wire/gsm7';
import { ucs2Encode } from '../../../protocols/wire/ucs2';
import { concatUdh } from '../../../protocols/wire/udh';
import { compileMoServices } from '../../../routing/operators/route-mo';
import { moFromLink, moFromSmpp } from '../../../gateway/mo/mo-adapters';
import { moText, moUserData } from '../../../gateway/mo/mo-message';
import { MoFlow, type MoService } from '../../../gateway/mo/mo-flow';
import type { MoDelivery } from '../../../gateway/partners/handler';
import type { RetryingHandler } from '../../../gateway/partners/with-retries';
import { openMoDb, type MoDb } from '../../../gateway/store/sqlite/mo-db';
import { SqliteMoPartStore } from '../../../gateway/store/sqlite/mo-part-store';
import { SqliteMoDeliveryStore } from '../../../gateway/store/sqlite/mo-delivery-store';
import { FakeMessageStore } from './fake-store';

const NOW = 1_700_000_000_000;

function deliverSm(over: Partial<DeliverSm>): DeliverSm {
  return {
    command: 'deliver_sm', commandStatus: 0, sequenceNumber: 1, serviceType: '', sourceAddrTon: 1, sourceAddrNpi: 1, sourceAddr: '46700000001',
    destAddrTon: 0, destAddrNpi: 1, destinationAddr: '4455', esmClass: 0, protocolId: 0, priorityFlag: 0, scheduleDeliveryTime: '',
    validityPeriod: '', registeredDelivery: 0, replaceIfPresentFlag: 0, dataCoding: 0, smDefaultMsgId: 0, shortMessage: Buffer.alloc(0), ...over,
  };
}

const LONG = 'JOKE ' + 'The quick brown fox jumps over the lazy dog, {twice} for €5! '.repeat(4);

describe('MO adapters', () => {
  let mo: MoDb;
  let flow: MoFlow;
  let got: MoDelivery[];
  beforeEach(() => {
    mo = openMoDb({ database: ':memory:' });
    got = [];
    const services: MoService[] = [{ id: 'jokes', shortNumber: '4455', keyword: 'JOKE', partner: 'acme', handler: { kind: 'httpPost' } }];
    const table = compileMoServices(services);
    if (!table.ok) throw new Error('table');
    const stub: RetryingHandler = { kind: 'httpPost', handle: async (d) => (got.push(d), { kind: 'accepted', attempts: 1 }) };
    flow = new MoFlow({
      store: new FakeMessageStore(),
      parts: new SqliteMoPartStore(mo),
      deliveries: new SqliteMoDeliveryStore(mo),
      services: table.table,
      handlers: { get: () => stub },
      submitMt: async (m) => ({ ok: true, id: m.id }),
      noMatch: {},
      settings: { reassemblyTimeoutMs: 60_000, partialPolicy: 'deliver', maxOpenGroups: 100 },
      clock: new FakeClock(NOW),
    });
  });
  afterEach(async () => {
    await flow.close();
    mo.close();
  });

  async function feed(pdus: unknown[], connectorId: string): Promise<void> {
    for (const p of pdus) {
      const m = moFromLink(p, connectorId, NOW);
      expect(m).toBeDefined();
      await flow.accept(m!);
    }
    await flow.idle();
  }

  it('SMPP: short_message, message_payload, UCS2, SAR TLVs', () => {
    const a = moFromSmpp(deliverSm({ shortMessage: Buffer.from('joke 1') }), 'op1', NOW);
    expect(moText(moUserData(a).payload, a.dataCoding)).toBe('joke 1');
    const b = moFromSmpp(deliverSm({ tlvs: [{ tag: Tlv.message_payload, value: Buffer.from('x'.repeat(300)) }] }), 'op1', NOW);
    expect(b.body.length).toBe(300);
    const c = moFromSmpp(deliverSm({ dataCoding: 8, shortMessage: ucs2Encode('Привет') }), 'op1', NOW);
    expect(moText(c.body, c.dataCoding)).toBe('Привет');
    const d = moFromSmpp(
      deliverSm({ shortMessage: Buffer.from('p2'), tlvs: [{ tag: Tlv.sar_msg_ref_num, value: Buffer.from([0x12, 0x34]) }, { tag: Tlv.sar_total_segments, value: Buffer.from([3]) }, { tag: Tlv.sar_segment_seqnum, value: Buffer.from([2]) }] }),
      'op1',
      NOW,
    );
    expect(moUserData(d).concat).toEqual({ refKind: 'sar', ref: 0x1234, total: 3, seq: 2 });
    expect(d).toMatchObject({ direction: 'mo', connectorId: 'op1', id: '' });
    expect(d.source.addr).toBe('46700000001');
  });

  it('SMPP: a long MO in 16-bit UDH parts, last part first', async () => {
    const split = partsFromText(LONG, 0xbeef, { refBits: 16 });
    const pdus = split.messages.map((m) => deliverSm({ esmClass: 0x40, shortMessage: Buffer.concat([m.udh!, m.payload]) })).reverse();
    expect(pdus.length).toBeGreaterThan(1);
    await feed(pdus, 'smppOp');
    expect(got.map((g) => g.text)).toEqual([LONG]);
  });

  it('UCP 52: a long MO with the UDH in XSer, out of order', async () => {
    const ops = deliversFromText({ from: '46700000001', to: '4455', text: LONG, ref: 42, scts: '010124120000' }).map((o) => ({ ...o, trn: 1 }));
    expect(ops.length).toBeGreaterThan(1);
    await feed([ops[1], ops[0], ...ops.slice(2)], 'ucpOp');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ text: LONG, from: '46700000001', to: '4455', operator: 'ucpOp', partial: false });
  });

  it('UCP 52: UCS2 text (MT 4 with XSer DCS 08)', async () => {
    const ops = deliversFromText({ from: '46700000001', to: '4455', text: 'joke Привет', scts: '010124120000' }).map((o) => ({ ...o, trn: 1 }));
    await feed(ops, 'ucpOp');
    expect(got.map((g) => g.text)).toEqual(['joke Привет']);
  });

  it('CIMD2 20: GSM text with the extension table, and a long MO with 032 UDH out of order', async () => {
    await feed([deliverMessage({ destinations: ['4455'], originator: '46700000001', text: 'joke [10€]' })], 'cimdOp');
    expect(got.map((g) => g.text)).toEqual(['joke [10€]']);
    got.length = 0;
    const split = partsFromText(LONG, 9);
    const pkts = split.messages.map((m) => deliverMessage({ destinations: ['4455'], originator: '46700000001', text: gsm7Decode(m.payload), udh: m.udh }));
    await feed([...pkts].reverse(), 'cimdOp');
    expect(got.map((g) => g.text)).toEqual([LONG]);
  });

  it('CIMD2 20: UCS2 in 034 with 030 = 8', async () => {
    await feed([deliverMessage({ destinations: ['4455'], originator: '46700000001', text: 'joke 你好' })], 'cimdOp');
    expect(got.map((g) => [g.text, g.dataCoding])).toEqual([['joke 你好', 8]]);
  });

  it('unknown objects are not MOs', () => {
    expect(moFromLink({ command: 'submit_sm' }, 'x', NOW)).toBeUndefined();
    expect(moFromLink(null, 'x', NOW)).toBeUndefined();
    expect(moFromLink({ opCode: 23, params: [] }, 'x', NOW)).toBeUndefined();
  });

  it('an SMPP MO with an unparsable UDH keeps its bytes whole', () => {
    const m = moFromSmpp(deliverSm({ esmClass: 0x40, shortMessage: Buffer.from([0x09, 0x00, 0x03]) }), 'op1', NOW);
    expect(moUserData(m)).toEqual({ payload: m.body });
    const udhOnly = moFromSmpp(deliverSm({ esmClass: 0x40, shortMessage: Buffer.concat([concatUdh({ ref: 1, total: 1, seq: 1, refBits: 8 }), Buffer.from('hi')]) }), 'op1', NOW);
    expect(moUserData(udhOnly).payload.toString()).toBe('hi');
  });
});
