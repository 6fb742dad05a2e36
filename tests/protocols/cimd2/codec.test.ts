import { decodePacket, encodePacket } from '../../../protocols/cimd2/codec';
import { Cimd2Framer } from '../../../protocols/cimd2/framing';
import { EncodeError } from '../../../protocols/wire/errors';
import { allFixtures, operationFixtures, readmeVectors, wire } from '../../fixtures/cimd2';

describe('CIMD2 golden fixtures, four ways', () => {
  it('covers every operation and response code', () => {
    const ops = new Set(allFixtures.map((f) => f.pdu.opCode));
    for (const op of [1, 2, 3, 4, 5, 6, 8, 9, 20, 23, 40, 51, 52, 53, 54, 55, 56, 58, 59, 70, 73, 90, 98, 99]) {
      expect(ops.has(op)).toBe(true);
    }
    expect(readmeVectors).toHaveLength(13);
  });

  describe.each(allFixtures.map((f) => [f.name, f] as const))('%s', (_name, fx) => {
    const bytes = wire(fx.frame);

    it('decodes to the packet', () => {
      const r = decodePacket(bytes);
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.pdu).toEqual(fx.pdu);
        expect(r.hasChecksum).toBe(fx.checksum);
      }
    });

    it('encodes to the exact bytes', () => {
      expect(encodePacket(fx.pdu, { checksum: fx.checksum }).equals(bytes)).toBe(true);
    });

    it('round-trips byte-identically', () => {
      const r = decodePacket(bytes);
      if (!r.ok) throw r.error;
      expect(encodePacket(r.pdu, { checksum: r.hasChecksum }).equals(bytes)).toBe(true);
    });

    it('is consumed exactly by the framer', () => {
      const framer = new Cimd2Framer();
      const frames = framer.push(bytes);
      expect(frames).toHaveLength(1);
      expect(frames[0]!.equals(bytes)).toBe(true);
      expect(framer.buffered).toBe(0);
    });

    it('carries a checksum equal to an independent byte sum', () => {
      if (!fx.checksum) {
        expect(bytes[bytes.length - 2]).toBe(0x09);
        return;
      }
      const body = bytes.subarray(0, bytes.length - 3);
      let sum = 0;
      for (const b of body) sum = (sum + b) % 256;
      expect(bytes.subarray(bytes.length - 3, bytes.length - 1).toString('latin1')).toBe(sum.toString(16).toUpperCase().padStart(2, '0'));
    });
  });

  it('keeps unknown parameters in order', () => {
    const fx = operationFixtures.find((f) => f.name.includes('unknown'))!;
    const r = decodePacket(wire(fx.frame));
    expect(r.ok && r.pdu.params.map((p) => p.code)).toEqual(['021', '777', '033', '123']);
  });

  it('accepts a lowercase checksum', () => {
    const r = decodePacket(wire('<STX>03:005<TAB>021:447700900123<TAB>023:447700900001<TAB>030:8<TAB>032:050003A50201<TAB>034:041F04400438043204350442002C0020<TAB>39<ETX>'));
    expect(r.ok).toBe(true);
    // 0x3C -> "3c"
    expect(decodePacket(wire('<STX>51:001<TAB>3c<ETX>')).ok).toBe(true);
  });

  it('encode does not mutate its input and recomputes the checksum', () => {
    const pdu = { opCode: 40, packetNumber: 7, params: [] };
    const frozen = Object.freeze({ ...pdu, params: Object.freeze([]) as unknown as [] });
    expect(encodePacket(frozen).toString('latin1')).toBe('\x0240:007\t40\x03');
  });

  it.each([
    ['op code above 99', { opCode: 100, packetNumber: 1, params: [] }],
    ['negative packet number', { opCode: 40, packetNumber: -1, params: [] }],
    ['packet number above 999', { opCode: 40, packetNumber: 1000, params: [] }],
    ['two-digit parameter code', { opCode: 3, packetNumber: 1, params: [{ code: '21', value: '1' }] }],
    ['TAB inside a value', { opCode: 3, packetNumber: 1, params: [{ code: '033', value: 'a\tb' }] }],
    ['ETX inside a value', { opCode: 3, packetNumber: 1, params: [{ code: '033', value: 'a\x03' }] }],
    ['a character above 0xFF', { opCode: 3, packetNumber: 1, params: [{ code: '033', value: '€' }] }],
    ['an over-long known value', { opCode: 3, packetNumber: 1, params: [{ code: '027', value: 'TWELVECHARSX' }] }],
    ['a non-numeric int value', { opCode: 3, packetNumber: 1, params: [{ code: '056', value: 'x' }] }],
  ])('encode rejects %s with EncodeError', (_n, pdu) => {
    expect(() => encodePacket(pdu)).toThrow(EncodeError);
  });

  it('encode without validation writes what it is given (for test peers)', () => {
    const b = encodePacket({ opCode: 3, packetNumber: 1, params: [{ code: '027', value: 'TWELVECHARSX' }] }, { validate: false });
    expect(b.toString('latin1')).toContain('027:TWELVECHARSX\t');
  });
});
