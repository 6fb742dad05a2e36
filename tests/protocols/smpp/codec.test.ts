import { CommandId, type CommandName } from '../../../protocols/smpp/constants';
import { decodeHeader, decodePdu, encodePdu } from '../../../protocols/smpp/codec';
import { SmppFramer } from '../../../protocols/smpp/framing';
import { loadSmppFixtures } from '../../fixtures/smpp';

const fixtures = loadSmppFixtures();

describe('SMPP golden fixtures', () => {
  it('cover every command and its response', () => {
    const covered = new Set(fixtures.map((f) => f.pdu.command));
    const missing = (Object.keys(CommandId) as CommandName[]).filter((c) => !covered.has(c));
    expect(missing).toEqual([]);
  });

  describe.each(fixtures.map((f) => [f.file, f] as const))('%s', (_file, f) => {
    const frame = Buffer.from(f.hex, 'hex');

    it('decodes to the expected PDU', () => {
      const r = decodePdu(frame);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.pdu).toEqual(f.pdu);
    });

    it('encodes to the expected bytes', () => {
      expect(encodePdu(f.pdu).toString('hex')).toBe(f.hex);
    });

    it('round-trips through encode and decode', () => {
      const r = decodePdu(encodePdu(f.pdu));
      expect(r.ok && r.pdu).toEqual(f.pdu);
    });

    it('is consumed exactly by the framer', () => {
      const framer = new SmppFramer();
      const frames = framer.push(frame);
      expect(frames).toHaveLength(1);
      expect(frames[0]!.equals(frame)).toBe(true);
      expect(framer.buffered).toBe(0);
    });

    it('has a header that matches its command', () => {
      const h = decodeHeader(frame);
      expect(h).toEqual({
        commandLength: frame.length,
        commandId: CommandId[f.pdu.command],
        commandStatus: f.pdu.commandStatus,
        sequenceNumber: f.pdu.sequenceNumber,
      });
    });
  });
});

describe('README vectors S1-S12 verbatim', () => {
  const vectors: Record<string, string> = {
    'bind_transceiver.s1.ts': '0000002a000000090000000000000001736d7070636c69656e74310070617373776f7264000034000000',
    'bind_transceiver_resp.s2.ts': '0000001a800000090000000000000001534d5343000210000134',
    'submit_sm.s3.ts':
      '0000004100000004000000000000000200050041434d45000101343437373030393030313233000000000000010000001048656c6c6f200020776f726c64201b65',
    'submit_sm_resp.s4.ts': '00000019800000040000000000000002356633613963303100',
    'deliver_sm.s5.ts':
      '000000b200000005000000000000000700010134343737303039303031323300050041434d45000400000000000000006f69643a3566336139633031207375623a30303120646c7672643a303031207375626d697420646174653a3234303131353132333020646f6e6520646174653a3234303131353132333120737461743a44454c49565244206572723a30303020746578743a48656c6c6f20776f726c64001e00093566336139633031000427000102',
    'deliver_sm_resp.s6.ts': '0000001180000005000000000000000700',
    'submit_sm.s7.ts':
      '0000004f0000000400000000000000030001013434373730303930303030310001013434373730303930303132330040000000000000080016050003a50201041f04400438043204350442002c0020',
    'submit_sm.s8.ts':
      '000000550000000400000000000000040001013434373730303930303030310001013434373730303930303132330000000000000000000000020c00021234020e000102020f0001010424000850617274206f6e65',
    'enquire_link.s9.ts': '00000010000000150000000000000005',
    'generic_nack.s10.ts': '00000010800000000000000300000009',
    'submit_sm.s11.ts':
      '0000004300000004000000000000000300050041434d45000201343437373030393030313233000300000000010000001248656c6c6f20002001201b65201b3c111b3e',
    'submit_sm.s12.ts':
      '0000004b0000000400000000000000040002013434373730303930303030310002013434373730303930303132330043000000000000080012050003a50201041f04400438043204350442',
  };
  it.each(Object.entries(vectors))('%s holds the vector byte for byte', (file, hex) => {
    const f = fixtures.find((x) => x.file === file);
    expect(f?.hex).toBe(hex);
  });
});

interface NodeSmppDecoded {
  command: string;
  command_status: number;
  sequence_number: number;
  [k: string]: unknown;
}
const nodeSmpp = require('smpp') as { PDU: { fromBuffer(b: Buffer): NodeSmppDecoded | false } };

/** Independent check that the fixtures are real SMPP: the npm `smpp` parser reads the same header and strings. */
describe('fixtures as read by npm smpp 0.5.1', () => {
  const snake = (k: string) => k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
  it.each(fixtures.map((f) => [f.file, f] as const))('%s', (_file, f) => {
    const theirs = nodeSmpp.PDU.fromBuffer(Buffer.from(f.hex, 'hex'));
    expect(theirs).not.toBe(false);
    if (theirs === false) return;
    expect(theirs.command).toBe(f.pdu.command);
    expect(theirs.command_status).toBe(f.pdu.commandStatus);
    expect(theirs.sequence_number).toBe(f.pdu.sequenceNumber);
    let compared = 0;
    for (const [k, v] of Object.entries(f.pdu)) {
      if (k === 'command' || k === 'commandStatus' || k === 'sequenceNumber') continue;
      const key = snake(k);
      // npm smpp turns SMPP times into Date objects; those are compared by the time tests, not here.
      if (!(key in theirs) || theirs[key] instanceof Date) continue;
      if (typeof v === 'string' || typeof v === 'number') {
        expect([key, theirs[key]]).toEqual([key, v]);
        compared++;
      }
    }
    const bodyFields = Object.keys(f.pdu).filter((k) => !['command', 'commandStatus', 'sequenceNumber', 'tlvs'].includes(k));
    const hasBody = Buffer.from(f.hex, 'hex').length > 16;
    if (hasBody && bodyFields.some((k) => typeof (f.pdu as unknown as Record<string, unknown>)[k] !== 'object')) {
      expect(compared).toBeGreaterThan(0);
    }
  });
});
