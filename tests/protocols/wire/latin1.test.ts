import fc from 'fast-check';
import { isLatin1, latin1Decode, latin1Encode } from '../../../protocols/wire/latin1';

const hex = (b: Buffer): string => b.toString('hex').toUpperCase();

describe('latin1', () => {
  it('encodes one byte per character', () => {
    expect(hex(latin1Encode('café £1'))).toBe('636166E920A331');
    expect(latin1Decode(Buffer.from('636166E920A331', 'hex'))).toBe('café £1');
  });

  it('all 256 bytes round trip', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const text = latin1Decode(all);
    expect(isLatin1(text)).toBe(true);
    expect(latin1Encode(text).equals(all)).toBe(true);
  });

  it("replaces each code point above U+00FF with '?' (a surrogate pair is one)", () => {
    expect(isLatin1('a€')).toBe(false);
    expect(latin1Decode(latin1Encode('a€b😀c'))).toBe('a?b?c');
    expect(latin1Decode(latin1Encode('\uD800'))).toBe('?');
  });

  it('uses the given replacement; non-Latin-1 chars in it become ?', () => {
    expect(latin1Decode(latin1Encode('a€b', { replacement: '' }))).toBe('ab');
    expect(latin1Decode(latin1Encode('a€b', { replacement: '[x]' }))).toBe('a[x]b');
    expect(latin1Decode(latin1Encode('a€b', { replacement: '€😀' }))).toBe('a??b');
  });

  it('property: encoded length is one byte per kept code point, and Latin-1 text round trips', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const enc = latin1Encode(s);
        expect(enc).toHaveLength([...s].length);
        if (isLatin1(s)) expect(latin1Decode(enc)).toBe(s);
      }),
      { numRuns: 300 },
    );
  });
});
