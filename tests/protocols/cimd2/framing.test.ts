import { Cimd2Framer } from '../../../protocols/cimd2/framing';
import { decodePacket } from '../../../protocols/cimd2/codec';
import { FrameError } from '../../../protocols/wire/errors';
import { allFixtures, wire } from '../../fixtures/cimd2';

const stream = Buffer.concat(allFixtures.map((f) => wire(f.frame)));
const expected = allFixtures.map((f) => wire(f.frame));

function collect(framer: Cimd2Framer, chunks: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  for (const c of chunks) out.push(...framer.push(c));
  return out;
}

function expectFrames(got: Buffer[]): void {
  expect(got).toHaveLength(expected.length);
  got.forEach((f, i) => expect(f.equals(expected[i]!)).toBe(true));
}

describe('Cimd2Framer', () => {
  it('frames a whole stream of every fixture', () => {
    const framer = new Cimd2Framer();
    expectFrames(framer.push(stream));
    expect(framer.buffered).toBe(0);
  });

  it('frames the stream byte by byte', () => {
    const framer = new Cimd2Framer();
    const chunks: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) chunks.push(stream.subarray(i, i + 1));
    expectFrames(collect(framer, chunks));
  });

  it('frames the stream split at every boundary', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const framer = new Cimd2Framer();
      const got = collect(framer, [stream.subarray(0, cut), stream.subarray(cut)]);
      expect(got.length).toBe(expected.length);
      expect(Buffer.concat(got).equals(stream)).toBe(true);
      expect(framer.buffered).toBe(0);
    }
  });

  it('skips bytes between packets', () => {
    const framer = new Cimd2Framer();
    const got = framer.push(Buffer.concat([Buffer.from('garbage\r\n'), wire('<STX>40:007<TAB>40<ETX>'), Buffer.from([0, 0x41, 0x03]), wire('<STX>51:001<TAB>3C<ETX>')]));
    expect(got.map((f) => f.toString('latin1'))).toEqual(['\x0240:007\t40\x03', '\x0251:001\t3C\x03']);
  });

  it('hands over a frame that lost its ETX when the next STX arrives, so it can be NACKed', () => {
    const framer = new Cimd2Framer();
    const got = framer.push(wire('<STX>03:003<TAB>021:447700900123<TAB><STX>40:007<TAB>40<ETX>'));
    expect(got).toHaveLength(2);
    const first = decodePacket(got[0]!);
    expect(first.ok).toBe(false);
    if (!first.ok) {
      expect(first.reason).toBe('no_etx');
      expect(first.packetNumber).toBe(3);
    }
    expect(decodePacket(got[1]!).ok).toBe(true);
  });

  it('throws FrameError when a frame passes maxFrameBytes without ETX, in one chunk or many', () => {
    expect(() => new Cimd2Framer({ maxFrameBytes: 64 }).push(Buffer.concat([Buffer.from([2]), Buffer.alloc(100, 0x41)]))).toThrow(FrameError);
    const framer = new Cimd2Framer({ maxFrameBytes: 64 });
    framer.push(Buffer.from([2]));
    let thrown: unknown;
    for (let i = 0; i < 100 && !thrown; i++) {
      try {
        framer.push(Buffer.from('AAAA'));
      } catch (e) {
        thrown = e;
      }
    }
    expect(thrown).toBeInstanceOf(FrameError);
  });

  it('accepts a frame of exactly maxFrameBytes', () => {
    const f = wire('<STX>40:007<TAB>40<ETX>');
    expect(new Cimd2Framer({ maxFrameBytes: f.length }).push(f)).toHaveLength(1);
    expect(() => new Cimd2Framer({ maxFrameBytes: f.length - 1 }).push(f)).toThrow(FrameError);
  });
});
