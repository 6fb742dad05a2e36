import { decodePdu } from '../../../protocols/smpp/codec';
import { CommandId, Tlv } from '../../../protocols/smpp/constants';
import { DEFAULT_MAX_PDU_BYTES, SmppFramer, isBadHeaderFrame } from '../../../protocols/smpp/framing';
import { getTlv } from '../../../protocols/smpp/pdu';
import { FrameError } from '../../../protocols/wire/errors';
import { loadSmppFixtures } from '../../fixtures/smpp';

const frames = loadSmppFixtures().map((f) => Buffer.from(f.hex, 'hex'));
const stream = Buffer.concat(frames);

/** Feeds `chunks` (fresh copies) and returns every frame as hex, checking nothing is left over. */
function feed(framer: SmppFramer, chunks: Buffer[]): string[] {
  const out: Buffer[] = [];
  for (const chunk of chunks) out.push(...framer.push(Buffer.from(chunk)));
  expect(framer.buffered).toBe(0);
  return out.map((b) => b.toString('hex'));
}
const expected = frames.map((b) => b.toString('hex'));

describe('SmppFramer', () => {
  it('splits a stream of every fixture given whole', () => {
    expect(feed(new SmppFramer(), [stream])).toEqual(expected);
  });

  it('splits the same stream fed byte by byte', () => {
    const chunks: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) chunks.push(stream.subarray(i, i + 1));
    expect(feed(new SmppFramer(), chunks)).toEqual(expected);
  });

  it('splits the same stream cut in two at every boundary', () => {
    for (let i = 1; i < stream.length; i++) {
      const framer = new SmppFramer();
      const got = [...framer.push(stream.subarray(0, i)), ...framer.push(stream.subarray(i))];
      if (framer.buffered !== 0 || !Buffer.concat(got).equals(stream) || got.length !== frames.length) {
        throw new Error(`split at ${i} gave ${got.length} frame(s)`);
      }
    }
  });

  it('the split checks can fail: a wrong frame count is detected', () => {
    const framer = new SmppFramer();
    expect(framer.push(stream.subarray(0, stream.length - 1))).toHaveLength(frames.length - 1);
    expect(framer.buffered).toBeGreaterThan(0);
  });

  it('splits the stream cut in three at every pair of boundaries inside one frame', () => {
    const f = frames.find((b) => b.length > 60)!;
    for (let i = 1; i < f.length; i++) {
      for (let j = i + 1; j < f.length; j++) {
        const framer = new SmppFramer();
        const got = [...framer.push(f.subarray(0, i)), ...framer.push(f.subarray(i, j)), ...framer.push(f.subarray(j))];
        if (got.length !== 1 || !got[0]!.equals(f) || framer.buffered !== 0) throw new Error(`split at ${i}/${j} failed`);
      }
    }
  });

  it('reports buffered bytes of an incomplete frame', () => {
    const framer = new SmppFramer();
    expect(framer.push(stream.subarray(0, 2))).toEqual([]);
    expect(framer.buffered).toBe(2);
    expect(framer.push(stream.subarray(2, 10))).toEqual([]);
    expect(framer.buffered).toBe(10);
  });

  it('hands out frames that stay valid after later pushes', () => {
    const framer = new SmppFramer();
    const kept: Buffer[] = [];
    const scratch = Buffer.alloc(7);
    // The caller reuses its chunk buffer for partial frames: assembled frames must not alias it.
    for (let i = 0; i < stream.length; i += 7) {
      const n = Math.min(7, stream.length - i);
      stream.copy(scratch, 0, i, i + n);
      kept.push(...framer.push(scratch.subarray(0, n)));
    }
    expect(kept.map((b) => b.toString('hex'))).toEqual(expected);
  });

  const badLengths = [
    ['command_length 0', '00000000'],
    ['command_length 15', '0000000f'],
    ['command_length above the default maximum', (DEFAULT_MAX_PDU_BYTES + 1).toString(16).padStart(8, '0')],
    ['command_length 0xffffffff', 'ffffffff'],
  ] as const;

  it.each(badLengths)("onBadLength 'throw': throws FrameError on %s", (_name, lenHex) => {
    const bad = Buffer.from(lenHex + '000000150000000000000001', 'hex');
    expect(() => new SmppFramer({ onBadLength: 'throw' }).push(bad)).toThrow(FrameError);
    // Split inside the length field as well.
    const framer = new SmppFramer({ onBadLength: 'throw' });
    expect(framer.push(bad.subarray(0, 3))).toEqual([]);
    expect(() => framer.push(bad.subarray(3))).toThrow(FrameError);
  });

  it.each(badLengths)('by default reports the 16-octet header of %s whole, byte by byte and at every split', (_name, lenHex) => {
    const header = Buffer.from(lenHex + '000000040000000000000abc', 'hex');
    const bad = Buffer.concat([header, Buffer.from('deadbeef', 'hex'), frames[0]!]);
    const whole = new SmppFramer().push(bad);
    expect(whole.map((b) => b.toString('hex'))).toEqual([header.toString('hex')]);
    expect(isBadHeaderFrame(whole[0]!)).toBe(true);
    const bytewise = new SmppFramer();
    const got: Buffer[] = [];
    for (let i = 0; i < bad.length; i++) got.push(...bytewise.push(bad.subarray(i, i + 1)));
    expect(got.map((b) => b.toString('hex'))).toEqual([header.toString('hex')]);
    for (let i = 1; i < bad.length; i++) {
      const framer = new SmppFramer();
      const parts = [...framer.push(bad.subarray(0, i)), ...framer.push(bad.subarray(i))];
      if (parts.length !== 1 || !parts[0]!.equals(header)) throw new Error(`split at ${i} gave ${parts.length} frame(s)`);
    }
  });

  it('reports a bad header after good frames in the same chunk, then drops all later input', () => {
    const framer = new SmppFramer();
    const out = framer.push(Buffer.concat([frames[0]!, Buffer.from('00000008000000150000000000000009', 'hex')]));
    expect(out).toHaveLength(2);
    expect(out[0]!.equals(frames[0]!)).toBe(true);
    expect(isBadHeaderFrame(out[1]!)).toBe(true);
    expect(out[1]!.readUInt32BE(12)).toBe(9);
    expect(framer.push(frames[1]!)).toEqual([]);
    expect(framer.buffered).toBe(0);
  });

  it('the report is a copy: reusing the chunk does not change it', () => {
    const chunk = Buffer.from('ffffffff000000040000000000000007', 'hex');
    const [report] = new SmppFramer().push(chunk);
    chunk.fill(0);
    expect(report!.toString('hex')).toBe('ffffffff000000040000000000000007');
  });

  it('isBadHeaderFrame is false for every good fixture frame', () => {
    expect(frames.filter(isBadHeaderFrame)).toEqual([]);
  });

  it("onBadLength 'throw': throws on a bad length after good frames in the same chunk", () => {
    const bad = Buffer.concat([frames[0]!, Buffer.from('00000008', 'hex')]);
    expect(() => new SmppFramer({ onBadLength: 'throw' }).push(bad)).toThrow(FrameError);
  });

  it("onBadLength 'throw': stays failed after a FrameError", () => {
    const framer = new SmppFramer({ onBadLength: 'throw' });
    expect(() => framer.push(Buffer.from('00000001', 'hex'))).toThrow(FrameError);
    expect(() => framer.push(frames[0]!)).toThrow(FrameError);
  });

  it('honours maxPduBytes: equal passes, one more is a bad length', () => {
    const framer = new SmppFramer({ maxPduBytes: 32, onBadLength: 'throw' });
    const ok = Buffer.alloc(32);
    ok.writeUInt32BE(32, 0);
    ok.writeUInt32BE(0x15, 4);
    expect(framer.push(ok)).toHaveLength(1);
    const big = Buffer.alloc(33);
    big.writeUInt32BE(33, 0);
    expect(() => framer.push(big)).toThrow(FrameError);
    const reporting = new SmppFramer({ maxPduBytes: 32 });
    expect(reporting.push(ok)).toHaveLength(1);
    expect(reporting.push(big).map(isBadHeaderFrame)).toEqual([true]);
  });

  it('default maximum takes a data_sm with a full 65535-octet message_payload and 65-char addresses', () => {
    const addr = Buffer.from('4'.repeat(64) + '\0', 'latin1');
    const body = Buffer.concat([
      Buffer.from('434d5400', 'hex'), // service_type 'CMT'
      Buffer.from('0101', 'hex'),
      addr,
      Buffer.from('0101', 'hex'),
      addr,
      Buffer.from('000100', 'hex'), // esm_class, registered_delivery, data_coding
      Buffer.from('0424ffff', 'hex'),
      Buffer.alloc(65535, 0x41),
      Buffer.from('020c00021234020e000102020f000101', 'hex'), // SAR TLVs too
    ]);
    const pdu = Buffer.concat([Buffer.alloc(16), body]);
    pdu.writeUInt32BE(pdu.length, 0);
    pdu.writeUInt32BE(CommandId.data_sm, 4);
    pdu.writeUInt32BE(5, 12);
    expect(pdu.length).toBeGreaterThan(65536 + 16);
    const framer = new SmppFramer();
    const got = [...framer.push(pdu.subarray(0, 5000)), ...framer.push(pdu.subarray(5000))];
    expect(got).toHaveLength(1);
    const r = decodePdu(got[0]!);
    expect(r.ok).toBe(true);
    if (r.ok && r.pdu.command === 'data_sm') expect(getTlv(r.pdu, Tlv.message_payload)!.length).toBe(65535);
    else throw new Error('not a data_sm');
  });

  it('accepts a 65536-octet PDU by default', () => {
    const big = Buffer.alloc(65536);
    big.writeUInt32BE(65536, 0);
    big.writeUInt32BE(0x04, 4);
    const framer = new SmppFramer();
    expect(framer.push(big.subarray(0, 1000))).toEqual([]);
    const got = framer.push(big.subarray(1000));
    expect(got).toHaveLength(1);
    expect(got[0]!.length).toBe(65536);
  });
});
