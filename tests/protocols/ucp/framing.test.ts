import { UcpFramer } from '../../../protocols/ucp/framing';
import { ucpFixtures } from '../../fixtures/ucp';

const stream = Buffer.concat(ucpFixtures.map((f) => Buffer.from(f.frame, 'latin1')));
const expected = ucpFixtures.map((f) => f.frame);

function collect(chunks: Buffer[]): string[] {
  const framer = new UcpFramer();
  const out: string[] = [];
  for (const c of chunks) for (const f of framer.push(c)) out.push(f.toString('latin1'));
  expect(framer.buffered).toBe(0);
  return out;
}

describe('UcpFramer chunking', () => {
  it('frames the whole stream at once', () => {
    expect(collect([stream])).toEqual(expected);
  });

  it('frames it byte by byte', () => {
    const chunks: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) chunks.push(stream.subarray(i, i + 1));
    expect(collect(chunks)).toEqual(expected);
  });

  it('frames it split in two at every boundary', () => {
    for (let i = 0; i <= stream.length; i++) {
      expect(collect([stream.subarray(0, i), stream.subarray(i)])).toEqual(expected);
    }
  });

  it('holds a partial frame and reports it as buffered', () => {
    const framer = new UcpFramer();
    const f = Buffer.from(expected[0]!, 'latin1');
    expect(framer.push(f.subarray(0, 10))).toEqual([]);
    expect(framer.buffered).toBe(10);
    expect(framer.push(f.subarray(10)).map((b) => b.toString('latin1'))).toEqual([expected[0]]);
  });
});
