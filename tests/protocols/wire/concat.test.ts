import fc from 'fast-check';
import {
  concatFromSar,
  MAX_PARTS,
  partsFromText,
  refBitsFor,
  sarFromConcat,
  splitBinary,
  splitEncoded,
  splitText,
  type SplitResult,
  withConcatUdh,
} from '../../../protocols/wire/concat';
import { EncodeError } from '../../../protocols/wire/errors';
import { GSM7_DEFAULT_CHARS, GSM7_EXTENSION_CHARS, gsm7Decode } from '../../../protocols/wire/gsm7';
import { ucs2Decode } from '../../../protocols/wire/ucs2';
import { parseUdh } from '../../../protocols/wire/udh';

const hex = (b: Buffer): string => b.toString('hex').toUpperCase();
const sizes = (r: SplitResult): number[] => r.parts.map((p) => p.septetsOrUnits);
const rejoin = (r: SplitResult): string =>
  r.parts.map((p) => (r.encoding === 'gsm7' ? gsm7Decode(p.payload) : ucs2Decode(p.payload))).join('');

describe('splitText gsm7', () => {
  it.each([
    [0, [0]],
    [1, [1]],
    [160, [160]],
    [161, [153, 8]],
    [306, [153, 153]],
    [307, [153, 153, 1]],
  ])('%i septets -> parts %j', (n, expected) => {
    const r = splitText('a'.repeat(n));
    expect(r.encoding).toBe('gsm7');
    expect(r.dataCoding).toBe(0);
    expect(r.totalUnits).toBe(n);
    expect(sizes(r)).toEqual(expected);
    expect(r.parts.map((p) => p.payload.length)).toEqual(expected);
  });

  it('empty text is one empty part', () => {
    const r = splitText('');
    expect(r.parts).toHaveLength(1);
    expect(r.parts[0]!.payload).toHaveLength(0);
  });

  it('160 septets with extension chars stay one part', () => {
    const text = '€'.repeat(80);
    expect(sizes(splitText(text))).toEqual([160]);
    expect(sizes(splitText(text + 'a'))).toEqual([152, 9]);
  });

  it('never splits an ESC pair across the 153 boundary', () => {
    const text = 'a'.repeat(152) + '€' + 'b'.repeat(10);
    const r = splitText(text);
    expect(sizes(r)).toEqual([152, 12]);
    expect(hex(r.parts[1]!.payload.subarray(0, 2))).toBe('1B65');
    expect(rejoin(r)).toBe(text);
  });

  it('an ESC pair ending exactly at 153 stays in the first part', () => {
    const text = 'a'.repeat(151) + '€' + 'b'.repeat(10);
    expect(sizes(splitText(text))).toEqual([153, 10]);
  });

  it('16-bit refs: 152 septets per part, ESC pair kept whole', () => {
    expect(sizes(splitText('a'.repeat(161), { refBits: 16 }))).toEqual([152, 9]);
    expect(sizes(splitText('a'.repeat(151) + '€' + 'b'.repeat(10), { refBits: 16 }))).toEqual([151, 12]);
  });

  it('forced gsm7 replaces unrepresentable chars with ?', () => {
    const r = splitText('Жa', { encoding: 'gsm7' });
    expect(r.encoding).toBe('gsm7');
    expect(rejoin(r)).toBe('?a');
  });
});

describe('splitText ucs2', () => {
  const zh = (n: number): string => 'Ж'.repeat(n);

  it.each([
    [70, [70]],
    [71, [67, 4]],
    [134, [67, 67]],
    [135, [67, 67, 1]],
  ])('%i units -> parts %j', (n, expected) => {
    const r = splitText(zh(n));
    expect(r.encoding).toBe('ucs2');
    expect(r.dataCoding).toBe(8);
    expect(r.totalUnits).toBe(n);
    expect(sizes(r)).toEqual(expected);
    expect(r.parts.map((p) => p.payload.length)).toEqual(expected.map((u) => 2 * u));
  });

  it('never splits a surrogate pair across the 67 boundary', () => {
    const text = zh(66) + '😀' + zh(10);
    const r = splitText(text);
    expect(sizes(r)).toEqual([66, 12]);
    expect(hex(r.parts[1]!.payload.subarray(0, 4))).toBe('D83DDE00');
    expect(rejoin(r)).toBe(text);
  });

  it('a surrogate pair ending exactly at 67 stays in the first part', () => {
    expect(sizes(splitText(zh(65) + '😀' + zh(10)))).toEqual([67, 10]);
  });

  it('a 70-unit text with emoji is still one part', () => {
    expect(sizes(splitText(zh(68) + '😀'))).toEqual([70]);
  });

  it('16-bit refs: 66 units per part, surrogate pair kept whole', () => {
    expect(sizes(splitText(zh(71), { refBits: 16 }))).toEqual([66, 5]);
    expect(sizes(splitText(zh(65) + '😀' + zh(10), { refBits: 16 }))).toEqual([65, 12]);
  });

  it('forced ucs2 for GSM-representable text', () => {
    const r = splitText('abc', { encoding: 'ucs2' });
    expect(r.encoding).toBe('ucs2');
    expect(hex(r.parts[0]!.payload)).toBe('006100620063');
  });
});

describe('withConcatUdh / partsFromText', () => {
  it('reproduces the S7 short_message for part 1 of 2, ref A5', () => {
    const [first] = withConcatUdh([Buffer.from('041f04400438043204350442002c0020', 'hex'), Buffer.alloc(2)], 0xa5, 8);
    expect(first!.toString('hex')).toBe('050003a50201041f04400438043204350442002c0020');
  });

  it('16-bit ref header', () => {
    const out = withConcatUdh([Buffer.from('61', 'hex'), Buffer.from('62', 'hex')], 0x1234, 16);
    expect(out.map(hex)).toEqual(['06080412340201' + '61', '06080412340202' + '62']);
  });

  it('single-part text carries no UDH', () => {
    const r = partsFromText('Hello', 7);
    expect(r.encoding).toBe('gsm7');
    expect(r.messages).toEqual([{ payload: Buffer.from('Hello', 'latin1'), seq: 1, total: 1 }]);
  });

  it('multi-part text: one UDH per part with the same ref, seq 1..n', () => {
    const r = partsFromText('Ж'.repeat(140), 0x42);
    expect(r.encoding).toBe('ucs2');
    expect(r.dataCoding).toBe(8);
    expect(r.messages.map((m) => [m.seq, m.total, hex(m.udh!)])).toEqual([
      [1, 3, '050003420301'],
      [2, 3, '050003420302'],
      [3, 3, '050003420303'],
    ]);
    for (const m of r.messages) {
      const p = parseUdh(m.udh!);
      expect(p.ok && p.udh.concat).toEqual({ ref: 0x42, total: 3, seq: m.seq, refBits: 8 });
    }
    expect(r.messages.map((m) => ucs2Decode(m.payload)).join('')).toBe('Ж'.repeat(140));
  });

  it('16-bit refs size parts for the 7-byte UDH', () => {
    const r = partsFromText('a'.repeat(305), 0x1234, { refBits: 16 });
    expect(r.messages.map((m) => m.payload.length)).toEqual([152, 152, 1]);
    expect(hex(r.messages[0]!.udh!)).toBe('06080412340301');
  });

  it('rejects more than 255 parts and out-of-range refs with EncodeError', () => {
    expect(() => partsFromText('a'.repeat(153 * MAX_PARTS + 1), 1)).toThrow(EncodeError);
    expect(partsFromText('a'.repeat(153 * MAX_PARTS), 1).messages).toHaveLength(255);
    expect(() => partsFromText('a'.repeat(200), 256)).toThrow(EncodeError);
    expect(() => withConcatUdh([], 1, 8)).toThrow(EncodeError);
    expect(() => withConcatUdh([Buffer.alloc(1)], 0x10000, 16)).toThrow(EncodeError);
  });
});

describe('binary split, SAR and ref helpers', () => {
  it('splitBinary: 140 single, 134 / 133 per part', () => {
    expect(splitBinary(Buffer.alloc(140)).map((b) => b.length)).toEqual([140]);
    expect(splitBinary(Buffer.alloc(141)).map((b) => b.length)).toEqual([134, 7]);
    expect(splitBinary(Buffer.alloc(141), 16).map((b) => b.length)).toEqual([133, 8]);
  });

  it('SAR values mirror the concat info (S8: ref 0x1234, 2 segments, seq 1)', () => {
    expect(sarFromConcat({ ref: 0x1234, total: 2, seq: 1, refBits: 16 })).toEqual({
      sarMsgRefNum: 0x1234,
      sarTotalSegments: 2,
      sarSegmentSeqnum: 1,
    });
    expect(concatFromSar(0x1234, 2, 1)).toEqual({ ref: 0x1234, total: 2, seq: 1, refBits: 16 });
    expect(() => sarFromConcat({ ref: 1, total: 2, seq: 3, refBits: 8 })).toThrow(EncodeError);
  });

  it('concatFromSar returns null for unusable SAR values', () => {
    expect(concatFromSar(1, 0, 0)).toBeNull();
    expect(concatFromSar(1, 2, 0)).toBeNull();
    expect(concatFromSar(1, 2, 3)).toBeNull();
    expect(concatFromSar(0x10000, 2, 1)).toBeNull();
    expect(concatFromSar(300, 2, 1, 8)).toBeNull();
  });

  it('refBitsFor picks the smaller width', () => {
    expect([refBitsFor(0), refBitsFor(255), refBitsFor(256), refBitsFor(0xffff)]).toEqual([8, 8, 16, 16]);
  });
});

describe('splitEncoded', () => {
  const lens = (parts: Buffer[]): number[] => parts.map((p) => p.length);

  it('gsm7 septets: 160 single, 153 per part, ESC pair kept whole', () => {
    expect(lens(splitEncoded(Buffer.alloc(160, 0x61), 'gsm7'))).toEqual([160]);
    expect(lens(splitEncoded(Buffer.alloc(161, 0x61), 'gsm7'))).toEqual([153, 8]);
    expect(lens(splitEncoded(Buffer.alloc(161, 0x61), 'gsm7', 16))).toEqual([152, 9]);
    const straddle = Buffer.concat([Buffer.alloc(152, 0x61), Buffer.from([0x1b, 0x65]), Buffer.alloc(10, 0x62)]);
    expect(lens(splitEncoded(straddle, 'gsm7'))).toEqual([152, 12]);
  });

  it('gsm7: pairs are found from the start, so an ESC ESC pair ending at 153 is not cut', () => {
    const body = Buffer.concat([Buffer.alloc(151, 0x61), Buffer.from([0x1b, 0x1b]), Buffer.alloc(10, 0x62)]);
    expect(lens(splitEncoded(body, 'gsm7'))).toEqual([153, 10]);
  });

  it('ucs2 bytes: 140 single, 134 / 132 per part, surrogate pair kept whole, odd byte kept', () => {
    expect(lens(splitEncoded(Buffer.alloc(140), 'ucs2'))).toEqual([140]);
    expect(lens(splitEncoded(Buffer.alloc(142), 'ucs2'))).toEqual([134, 8]);
    expect(lens(splitEncoded(Buffer.alloc(142), 'ucs2', 16))).toEqual([132, 10]);
    expect(lens(splitEncoded(Buffer.alloc(143), 'ucs2'))).toEqual([134, 9]);
    const body = Buffer.from('Ж'.repeat(66) + '😀' + 'Ж'.repeat(10), 'utf16le').swap16();
    expect(lens(splitEncoded(body, 'ucs2'))).toEqual([132, 24]);
  });

  it('latin1 and binary split on octets', () => {
    expect(lens(splitEncoded(Buffer.alloc(141), 'latin1'))).toEqual([134, 7]);
    expect(lens(splitEncoded(Buffer.alloc(268), 'binary', 16))).toEqual([133, 133, 2]);
  });

  it('property: parts re-join to the body and decode to the same text, within limits', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.constantFrom<8 | 16>(8, 16), (arr, bits) => {
        const body = Buffer.from(arr);
        const g = splitEncoded(body, 'gsm7', bits);
        expect(Buffer.concat(g).equals(body)).toBe(true);
        expect(g.map(gsm7Decode).join('')).toBe(gsm7Decode(body));
        if (g.length > 1) for (const p of g) expect(p.length).toBeLessThanOrEqual(bits === 8 ? 153 : 152);
        const u = splitEncoded(body, 'ucs2', bits);
        expect(Buffer.concat(u).equals(body)).toBe(true);
        expect(u.map(ucs2Decode).join('')).toBe(ucs2Decode(body));
        if (u.length > 1) for (const p of u.slice(0, -1)) expect(p.length).toBeLessThanOrEqual(bits === 8 ? 134 : 132);
      }),
      { numRuns: 300 },
    );
  });
});

describe('split properties', () => {
  const gsmText = fc
    .array(fc.constantFrom(...GSM7_DEFAULT_CHARS, ...GSM7_EXTENSION_CHARS), { maxLength: 700 })
    .map((a) => a.join(''));
  const anyText = fc.string({ unit: 'binary', maxLength: 300 });
  const refBits = fc.constantFrom<8 | 16>(8, 16);

  function checkShape(r: SplitResult, bits: 8 | 16): void {
    const single = r.encoding === 'gsm7' ? 160 : 70;
    const per = r.encoding === 'gsm7' ? (bits === 8 ? 153 : 152) : bits === 8 ? 67 : 66;
    expect(sizes(r).reduce((a, b) => a + b, 0)).toBe(r.totalUnits);
    if (r.totalUnits <= single) {
      expect(r.parts).toHaveLength(1);
      return;
    }
    for (const p of r.parts) {
      expect(p.septetsOrUnits).toBeGreaterThan(0);
      expect(p.septetsOrUnits).toBeLessThanOrEqual(per);
      if (r.encoding === 'gsm7') expect(p.payload[p.payload.length - 1]).not.toBe(0x1b);
    }
  }

  it('gsm7 parts re-joined == original, within limits', () => {
    fc.assert(
      fc.property(gsmText, refBits, (text, bits) => {
        const r = splitText(text, { refBits: bits });
        expect(r.encoding).toBe('gsm7');
        checkShape(r, bits);
        expect(rejoin(r)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('any well-formed text: parts re-joined == original (auto encoding), no split surrogate pair', () => {
    fc.assert(
      fc.property(anyText, refBits, (text, bits) => {
        const r = splitText(text, { refBits: bits });
        checkShape(r, bits);
        for (const p of r.parts) expect(ucs2Or7Wellformed(r.encoding, p.payload)).toBe(true);
        expect(rejoin(r)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});

/** Every ucs2 part of a well-formed string is well-formed on its own (no half pair at either end). */
function ucs2Or7Wellformed(encoding: 'gsm7' | 'ucs2', payload: Buffer): boolean {
  if (encoding === 'gsm7') return true;
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(ucs2Decode(payload));
}
