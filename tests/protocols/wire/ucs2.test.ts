import fc from 'fast-check';
import { ucs2Decode, ucs2Encode, ucs2UnitCount } from '../../../protocols/wire/ucs2';

const hex = (b: Buffer): string => b.toString('hex').toUpperCase();

describe('ucs2', () => {
  it('encodes UTF-16BE (S7 text)', () => {
    expect(hex(ucs2Encode('Привет, '))).toBe('041F04400438043204350442002C0020');
    expect(ucs2Decode(Buffer.from('041F04400438043204350442002C0020', 'hex'))).toBe('Привет, ');
  });

  it('keeps an emoji as a surrogate pair of two units', () => {
    expect(hex(ucs2Encode('a😀'))).toBe('0061D83DDE00');
    expect(ucs2UnitCount('a😀')).toBe(3);
    expect(ucs2Decode(Buffer.from('0061D83DDE00', 'hex'))).toBe('a😀');
  });

  it('carries lone surrogates unchanged', () => {
    const s = 'x\uD800y\uDC00';
    expect(hex(ucs2Encode(s))).toBe('0078D8000079DC00');
    expect(ucs2Decode(ucs2Encode(s))).toBe(s);
  });

  it('ignores an odd trailing byte', () => {
    expect(ucs2Decode(Buffer.from('00410042', 'hex').subarray(0, 3))).toBe('A');
    expect(ucs2Decode(Buffer.from([0x41]))).toBe('');
    expect(ucs2Decode(Buffer.alloc(0))).toBe('');
  });

  it('does not modify its input', () => {
    const buf = Buffer.from('041F0440', 'hex');
    ucs2Decode(buf);
    expect(hex(buf)).toBe('041F0440');
  });

  it('round trips any well-formed string and counts units', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const enc = ucs2Encode(s);
        expect(enc).toHaveLength(2 * ucs2UnitCount(s));
        expect(ucs2Decode(enc)).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes never throw and give floor(n/2) units', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 301 }), (arr) => {
        expect(ucs2Decode(Buffer.from(arr)).length).toBe(arr.length >> 1);
      }),
      { numRuns: 300 },
    );
  });
});
