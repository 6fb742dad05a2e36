import fc from 'fast-check';
import {
  GSM7_DEFAULT_CHARS,
  GSM7_EXTENSION_CHARS,
  gsm7Decode,
  gsm7Encode,
  gsm7EncodeIfRepresentable,
  gsm7PackText,
  gsm7SeptetCount,
  gsm7UnpackText,
  isGsm7,
  packSeptets,
  semiOctetsForSeptets,
  septetsForSemiOctets,
  unpackSeptets,
} from '../../../protocols/wire/gsm7';
import { BoundsError } from '../../../protocols/wire/errors';

/**
 * 3GPP 23.038 §6.2.1 default alphabet written out independently of the implementation, row by row
 * (high nibble 0x00..0x70). null marks 0x1B (ESC).
 */
const SPEC_DEFAULT: ReadonlyArray<string | null> = [
  ...['@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å'],
  ...['Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', null, 'Æ', 'æ', 'ß', 'É'],
  ...[' ', '!', '"', '#', '¤', '%', '&', "'", '(', ')', '*', '+', ',', '-', '.', '/'],
  ...['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?'],
  ...['¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O'],
  ...['P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§'],
  ...['¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o'],
  ...['p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à'],
];

const SPEC_EXTENSION: ReadonlyArray<readonly [number, string]> = [
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
];

const hex = (b: Buffer): string => b.toString('hex').toUpperCase();
const gsmString = fc
  .array(fc.constantFrom(...GSM7_DEFAULT_CHARS, ...GSM7_EXTENSION_CHARS), { maxLength: 400 })
  .map((a) => a.join(''));

describe('gsm7 default and extension tables', () => {
  it('the spec table has 128 entries', () => {
    expect(SPEC_DEFAULT).toHaveLength(128);
  });

  it.each(
    SPEC_DEFAULT.map((ch, code) => [code.toString(16).padStart(2, '0'), code, ch] as const).filter(([, , ch]) => ch !== null),
  )(
    'default 0x%s (%i) round trips',
    (_h, code, ch) => {
      expect([...gsm7Encode(ch!)]).toEqual([code]);
      expect(gsm7Decode(Buffer.from([code]))).toBe(ch);
    },
  );

  it.each(SPEC_EXTENSION)('extension %i encodes as ESC + code and decodes back', (code, ch) => {
    expect([...gsm7Encode(ch)]).toEqual([0x1b, code]);
    expect(gsm7Decode(Buffer.from([0x1b, code]))).toBe(ch);
    expect(gsm7SeptetCount(ch)).toBe(2);
  });

  it('exports exactly the spec characters', () => {
    expect([...GSM7_DEFAULT_CHARS].sort()).toEqual(SPEC_DEFAULT.filter((c): c is string => c !== null).sort());
    expect([...GSM7_EXTENSION_CHARS].sort()).toEqual(SPEC_EXTENSION.map(([, c]) => c).sort());
  });

  it('whole table as one string round trips', () => {
    const all = SPEC_DEFAULT.filter((c): c is string => c !== null).join('') + SPEC_EXTENSION.map(([, c]) => c).join('');
    expect(gsm7Decode(gsm7Encode(all))).toBe(all);
    expect(gsm7SeptetCount(all)).toBe(127 + 2 * SPEC_EXTENSION.length);
  });
});

describe('gsm7 shared vectors (S3, S11, U11)', () => {
  it.each([
    ['€', '1B65'],
    ['[', '1B3C'],
    [']', '1B3E'],
    ['£', '01'],
    ['@', '00'],
    ['_', '11'],
    ['ä', '7B'],
  ])('%s -> %s', (ch, h) => {
    expect(hex(gsm7Encode(ch))).toBe(h);
  });

  it('S3 text bytes', () => {
    const bytes = Buffer.from('48656c6c6f200020776f726c64201b65', 'hex');
    expect(gsm7Encode('Hello @ world €').equals(bytes)).toBe(true);
    expect(gsm7Decode(bytes)).toBe('Hello @ world €');
    expect(gsm7SeptetCount('Hello @ world €')).toBe(16);
  });

  it('S11 / U11 text bytes', () => {
    expect(hex(gsm7Encode('Hello @ £ € [_]'))).toBe('48656C6C6F20002001201B65201B3C111B3E');
    expect(gsm7Decode(Buffer.from('48656C6C6F20002001201B65201B3C111B3E', 'hex'))).toBe('Hello @ £ € [_]');
  });
});

describe('gsm7 escape and lenient decoding', () => {
  it('ESC + code without an extension symbol decodes as the default-table char', () => {
    expect(gsm7Decode(Buffer.from([0x1b, 0x41]))).toBe('A');
    expect(gsm7Decode(Buffer.from([0x1b, 0x00]))).toBe('@');
    expect(gsm7Decode(Buffer.from([0x1b, 0x0d]))).toBe('\r');
  });

  it('ESC ESC and a trailing lone ESC decode as a space', () => {
    expect(gsm7Decode(Buffer.from([0x1b, 0x1b]))).toBe(' ');
    expect(gsm7Decode(Buffer.from([0x41, 0x1b]))).toBe('A ');
    expect(gsm7Decode(Buffer.from([0x1b]))).toBe(' ');
  });

  it('masks bytes above 0x7F to 7 bits', () => {
    expect(gsm7Decode(Buffer.from([0xc1, 0x80, 0x9b, 0xe5]))).toBe('A@€');
  });

  it('decodes an empty buffer to an empty string', () => {
    expect(gsm7Decode(Buffer.alloc(0))).toBe('');
  });

  it('accepts ç when encoding (as 0x09) and decodes 0x09 as Ç', () => {
    expect([...gsm7Encode('ç')]).toEqual([0x09]);
    expect(isGsm7('ç')).toBe(true);
    expect(gsm7Decode(Buffer.from([0x09]))).toBe('Ç');
  });
});

describe('gsm7 encoding of unrepresentable text', () => {
  it('isGsm7 and septet counts', () => {
    expect(isGsm7('Hello @ £ € [_]')).toBe(true);
    expect(isGsm7('')).toBe(true);
    expect(isGsm7('Привет')).toBe(false);
    expect(isGsm7('a😀')).toBe(false);
    expect(isGsm7('\x1b')).toBe(false);
    expect(isGsm7('á')).toBe(false);
    expect(gsm7SeptetCount('a€b')).toBe(4);
    expect(gsm7SeptetCount('a😀b')).toBe(3);
  });

  it("replaces each code point with '?' by default (a surrogate pair is one)", () => {
    expect(gsm7Decode(gsm7Encode('a😀bЖ'))).toBe('a?b?');
    expect(gsm7Encode('\x1b').equals(Buffer.from([0x3f]))).toBe(true);
  });

  it('uses the given replacement, dropping with an empty one', () => {
    expect(gsm7Decode(gsm7Encode('a😀b', { replacement: '' }))).toBe('ab');
    expect(gsm7Decode(gsm7Encode('aЖb', { replacement: '<>' }))).toBe('a<>b');
    expect(hex(gsm7Encode('Ж', { replacement: '€' }))).toBe('1B65');
    expect(gsm7Decode(gsm7Encode('Ж', { replacement: 'Ж😀' }))).toBe('??');
  });

  it('gsm7EncodeIfRepresentable encodes GSM text and gives undefined otherwise', () => {
    expect(hex(gsm7EncodeIfRepresentable('@€')!)).toBe('001B65');
    expect(gsm7EncodeIfRepresentable('')).toHaveLength(0);
    expect(gsm7EncodeIfRepresentable('abcЖ')).toBeUndefined();
    expect(gsm7EncodeIfRepresentable('a😀')).toBeUndefined();
  });

  it('returned buffers are independent of later calls, for short and very long texts', () => {
    const first = gsm7Encode('abc');
    gsm7Encode('xyz€'.repeat(10));
    expect(hex(first)).toBe('616263');
    const long = '€'.repeat(40000) + 'a';
    const enc = gsm7Encode(long);
    expect(enc).toHaveLength(80001);
    gsm7Encode('z'.repeat(50000));
    expect(gsm7Decode(enc)).toBe(long);
  });

  it('lone surrogates are replaced, not thrown on', () => {
    expect(gsm7Decode(gsm7Encode('a\uD800b\uDC00'))).toBe('a?b?');
  });
});

describe('septet packing', () => {
  it("'hellohello' packs to E8329BFD4697D9EC37", () => {
    const packed = packSeptets(gsm7Encode('hellohello'));
    expect(hex(packed)).toBe('E8329BFD4697D9EC37');
    expect(gsm7Decode(unpackSeptets(packed, 10))).toBe('hellohello');
  });

  it('UCP alphanumeric OAdC: ACME -> 07 C161B308 and back', () => {
    const { packed, septets } = gsm7PackText('ACME');
    const oadc = semiOctetsForSeptets(septets).toString(16).toUpperCase().padStart(2, '0') + hex(packed);
    expect(oadc).toBe('07C161B308');
    const count = septetsForSemiOctets(parseInt(oadc.slice(0, 2), 16));
    expect(count).toBe(4);
    expect(gsm7UnpackText(Buffer.from(oadc.slice(2), 'hex'), count)).toBe('ACME');
  });

  it('11-char alphanumeric sender takes 20 semi-octets', () => {
    expect(semiOctetsForSeptets(11)).toBe(20);
    expect(septetsForSemiOctets(20)).toBe(11);
  });

  it('fill bits shift the septets and leave zero bits in front', () => {
    expect(hex(packSeptets(Buffer.from([0x41]), 1))).toBe('82');
    expect(hex(packSeptets(Buffer.from([0x41, 0x42]), 3))).toBe('080A01');
    expect(hex(unpackSeptets(Buffer.from('080A01', 'hex'), 2, 3))).toBe('4142');
    // 6 fill bits (after a 5-octet header in a TPDU) then 'A'
    expect(hex(packSeptets(Buffer.from([0x41]), 6))).toBe('4010');
  });

  it('8 septets fit 7 octets exactly', () => {
    const s = Buffer.from([1, 2, 3, 4, 5, 6, 7, 0x7f]);
    const packed = packSeptets(s);
    expect(packed).toHaveLength(7);
    expect(unpackSeptets(packed, 8).equals(s)).toBe(true);
  });

  it('unpack returns only the septets that fit, never reads past the end', () => {
    expect(unpackSeptets(Buffer.from([0xff]), 5)).toHaveLength(1);
    expect(unpackSeptets(Buffer.alloc(0), 3)).toHaveLength(0);
    expect(unpackSeptets(Buffer.from([0xff]), 5, 2)).toHaveLength(0);
  });

  it('rejects fill bits outside 0-7 and bad counts with BoundsError', () => {
    expect(() => packSeptets(Buffer.from([1]), 8)).toThrow(BoundsError);
    expect(() => packSeptets(Buffer.from([1]), -1)).toThrow(BoundsError);
    expect(() => unpackSeptets(Buffer.from([1]), 1, 1.5)).toThrow(BoundsError);
    expect(() => unpackSeptets(Buffer.from([1]), -1)).toThrow(BoundsError);
  });

  it('masks septet bytes above 0x7F when packing', () => {
    expect(packSeptets(Buffer.from([0xc1])).equals(packSeptets(Buffer.from([0x41])))).toBe(true);
  });
});

describe('gsm7 properties', () => {
  it('decode(encode(x)) == x for GSM-representable strings', () => {
    fc.assert(
      fc.property(gsmString, (s) => {
        expect(isGsm7(s)).toBe(true);
        const enc = gsm7Encode(s);
        expect(enc).toHaveLength(gsm7SeptetCount(s));
        expect(gsm7Decode(enc)).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it('septet count equals the encoded length for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(gsm7Encode(s)).toHaveLength(gsm7SeptetCount(s));
      }),
      { numRuns: 300 },
    );
  });

  it('pack/unpack round trip for any septets and fill bits', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 7 }), (arr, fill) => {
        const septets = Buffer.from(arr.map((b) => b & 0x7f));
        const packed = packSeptets(septets, fill);
        expect(packed).toHaveLength(Math.ceil((fill + 7 * septets.length) / 8));
        expect(unpackSeptets(packed, septets.length, fill).equals(septets)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes into gsm7Decode and unpackSeptets never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(400), fc.integer({ min: 0, max: 7 }), (arr, n, fill) => {
        const buf = Buffer.from(arr);
        const text = gsm7Decode(buf);
        expect(text.length).toBeLessThanOrEqual(buf.length);
        expect(unpackSeptets(buf, n, fill).length).toBeLessThanOrEqual(n);
      }),
      { numRuns: 300 },
    );
  });
});
