import { SmppFramer } from '../../../protocols/smpp/framing';
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

  it.each([
    ['command_length 0', '00000000'],
    ['command_length 15', '0000000f'],
    ['command_length above the default 65536', '00010001'],
    ['command_length 0xffffffff', 'ffffffff'],
  ])('throws FrameError on %s', (_name, lenHex) => {
    const bad = Buffer.from(lenHex + '000000150000000000000001', 'hex');
    expect(() => new SmppFramer().push(bad)).toThrow(FrameError);
    // Split inside the length field as well.
    const framer = new SmppFramer();
    expect(framer.push(bad.subarray(0, 3))).toEqual([]);
    expect(() => framer.push(bad.subarray(3))).toThrow(FrameError);
  });

  it('throws FrameError on a bad length after good frames in the same chunk', () => {
    const bad = Buffer.concat([frames[0]!, Buffer.from('00000008', 'hex')]);
    expect(() => new SmppFramer().push(bad)).toThrow(FrameError);
  });

  it('stays failed after a FrameError', () => {
    const framer = new SmppFramer();
    expect(() => framer.push(Buffer.from('00000001', 'hex'))).toThrow(FrameError);
    expect(() => framer.push(frames[0]!)).toThrow(FrameError);
  });

  it('honours maxPduBytes: equal passes, one more fails', () => {
    const framer = new SmppFramer({ maxPduBytes: 32 });
    const ok = Buffer.alloc(32);
    ok.writeUInt32BE(32, 0);
    ok.writeUInt32BE(0x15, 4);
    expect(framer.push(ok)).toHaveLength(1);
    const big = Buffer.alloc(33);
    big.writeUInt32BE(33, 0);
    expect(() => framer.push(big)).toThrow(FrameError);
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
