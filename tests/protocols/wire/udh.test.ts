import fc from 'fast-check';
import { EncodeError } from '../../../protocols/wire/errors';
import {
  buildUdh,
  concatIe,
  concatUdh,
  type ParsedUdh,
  parseUdh,
  portsIe,
  splitUdh,
  udhFillBits,
  udhSeptets,
  type UdhIe,
} from '../../../protocols/wire/udh';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const hex = (b: Buffer): string => b.toString('hex').toUpperCase();

function parsed(s: string): ParsedUdh {
  const r = parseUdh(h(s));
  if (!r.ok) throw new Error(`expected ok, got ${r.reason}`);
  return r.udh;
}

describe('parseUdh', () => {
  it('8-bit concat (S7: ref A5, part 1/2)', () => {
    const udh = parsed('05 00 03 A5 02 01');
    expect(udh.length).toBe(6);
    expect(udh.concat).toEqual({ ref: 0xa5, total: 2, seq: 1, refBits: 8 });
    expect(udh.ies).toEqual([{ iei: 0x00, data: h('A50201') }]);
    expect(udh.ports).toBeUndefined();
  });

  it('16-bit concat', () => {
    const udh = parsed('06 08 04 12 34 03 02');
    expect(udh.length).toBe(7);
    expect(udh.concat).toEqual({ ref: 0x1234, total: 3, seq: 2, refBits: 16 });
  });

  it('8-bit port addressing (IEI 04)', () => {
    expect(parsed('04 04 02 10 20').ports).toEqual({ dest: 0x10, src: 0x20, bits: 8 });
  });

  it('16-bit port addressing (IEI 05) with concat: WAP push 2948 / 9200', () => {
    const udh = parsed('0B 05 04 0B 84 23 F0 00 03 A5 02 01');
    expect(udh.length).toBe(12);
    expect(udh.ports).toEqual({ dest: 2948, src: 9200, bits: 16 });
    expect(udh.concat).toEqual({ ref: 0xa5, total: 2, seq: 1, refBits: 8 });
    expect(udh.ies.map((ie) => ie.iei)).toEqual([0x05, 0x00]);
  });

  it('keeps an unknown IE and still finds concat after it', () => {
    const udh = parsed('0A 70 03 01 02 03 00 03 07 03 03');
    expect(udh.ies).toEqual([
      { iei: 0x70, data: h('010203') },
      { iei: 0x00, data: h('070303') },
    ]);
    expect(udh.concat).toEqual({ ref: 7, total: 3, seq: 3, refBits: 8 });
  });

  it('an empty UDH (UDHL 0) is one byte with no IEs; a zero-length IE is fine', () => {
    expect(parsed('00')).toEqual({ length: 1, ies: [] });
    expect(parsed('02 24 00').ies).toEqual([{ iei: 0x24, data: Buffer.alloc(0) }]);
  });

  it('ignores a concat IE with seq 0, seq > total, total 0 or a wrong length (23.040)', () => {
    expect(parsed('05 00 03 01 02 00').concat).toBeUndefined();
    expect(parsed('05 00 03 01 02 03').concat).toBeUndefined();
    expect(parsed('05 00 03 01 00 00').concat).toBeUndefined();
    expect(parsed('04 00 02 01 02').concat).toBeUndefined();
    expect(parsed('06 00 04 01 02 01 00').concat).toBeUndefined();
    expect(parsed('05 08 03 01 02 01').concat).toBeUndefined();
    expect(parsed('05 00 03 01 02 00').ies).toHaveLength(1);
  });

  it('uses the last of repeated concat IEs', () => {
    expect(parsed('0A 00 03 01 02 01 00 03 09 04 02').concat).toEqual({ ref: 9, total: 4, seq: 2, refBits: 8 });
  });

  it.each([
    ['empty buffer', ''],
    ['UDHL past the end', '05 00 03 A5 02'],
    ['IE length past the UDH end', '05 00 04 A5 02 01 FF'],
    ['truncated IE header', '01 00'],
    ['IE header split by the UDH end', '03 00 00 24 99'],
  ])('malformed: %s -> ok:false', (_name, s) => {
    const r = parseUdh(h(s));
    expect(r.ok).toBe(false);
  });

  it('IE data are copies: changing the input later leaves the parse intact', () => {
    const buf = h('05 00 03 A5 02 01');
    const r = parseUdh(buf);
    buf[3] = 0;
    expect(r.ok && hex(r.udh.ies[0]!.data)).toBe('A50201');
  });

  it('random bytes never throw; ok results stay inside the buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (arr) => {
        const r = parseUdh(Buffer.from(arr));
        if (r.ok) {
          expect(r.udh.length).toBeLessThanOrEqual(arr.length);
          expect(r.udh.ies.reduce((n, ie) => n + 2 + ie.data.length, 1)).toBe(r.udh.length);
        } else {
          expect(typeof r.reason).toBe('string');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('buildUdh / concatIe / portsIe', () => {
  it('builds the 8-bit and 16-bit concat headers', () => {
    expect(hex(buildUdh([concatIe({ ref: 0xa5, total: 2, seq: 1, refBits: 8 })]))).toBe('050003A50201');
    expect(hex(buildUdh([concatIe({ ref: 0x1234, total: 3, seq: 2, refBits: 16 })]))).toBe('060804123403' + '02');
  });

  it('concatUdh equals buildUdh([concatIe(...)]) and rejects what concatIe rejects', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<8 | 16>(8, 16),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 1, max: 255 }),
        fc.integer({ min: 1, max: 255 }),
        (refBits, rawRef, total, rawSeq) => {
          const info = { ref: refBits === 8 ? rawRef & 0xff : rawRef, total, seq: Math.min(rawSeq, total), refBits };
          expect(hex(concatUdh(info))).toBe(hex(buildUdh([concatIe(info)])));
        },
      ),
      { numRuns: 200 },
    );
    expect(() => concatUdh({ ref: 256, total: 2, seq: 1, refBits: 8 })).toThrow(EncodeError);
    expect(() => concatUdh({ ref: 1, total: 2, seq: 0, refBits: 16 })).toThrow(EncodeError);
  });

  it('builds ports + concat', () => {
    const udh = buildUdh([portsIe(2948, 9200, 16), concatIe({ ref: 0xa5, total: 2, seq: 1, refBits: 8 })]);
    expect(hex(udh)).toBe('0B05040B8423F0000' + '3A50201');
    expect(hex(buildUdh([portsIe(0x10, 0x20, 8)]))).toBe('0404021020');
  });

  it('builds an empty header', () => {
    expect(hex(buildUdh([]))).toBe('00');
  });

  it.each([
    [{ ref: 256, total: 2, seq: 1, refBits: 8 as const }],
    [{ ref: 0x10000, total: 2, seq: 1, refBits: 16 as const }],
    [{ ref: -1, total: 2, seq: 1, refBits: 16 as const }],
    [{ ref: 1, total: 0, seq: 0, refBits: 8 as const }],
    [{ ref: 1, total: 2, seq: 3, refBits: 8 as const }],
    [{ ref: 1, total: 256, seq: 1, refBits: 8 as const }],
    [{ ref: 1, total: 2, seq: 1.5, refBits: 8 as const }],
  ])('concatIe rejects %o with EncodeError', (info) => {
    expect(() => concatIe(info)).toThrow(EncodeError);
  });

  it('rejects bad IEs, ports and oversize headers with EncodeError', () => {
    expect(() => buildUdh([{ iei: 256, data: Buffer.alloc(0) }])).toThrow(EncodeError);
    expect(() => buildUdh([{ iei: 1, data: Buffer.alloc(256) }])).toThrow(EncodeError);
    expect(() => buildUdh([{ iei: 1, data: Buffer.alloc(200) }, { iei: 2, data: Buffer.alloc(60) }])).toThrow(
      EncodeError,
    );
    expect(() => portsIe(256, 1, 8)).toThrow(EncodeError);
    expect(() => portsIe(1, 70000, 16)).toThrow(EncodeError);
  });

  it('property: parseUdh(buildUdh(ies)) gives the IEs back', () => {
    const ie = fc.record({ iei: fc.integer({ min: 0, max: 255 }), data: fc.uint8Array({ maxLength: 20 }) });
    fc.assert(
      fc.property(fc.array(ie, { maxLength: 10 }), (raw) => {
        const ies: UdhIe[] = raw.map((r) => ({ iei: r.iei, data: Buffer.from(r.data) }));
        const built = buildUdh(ies);
        const r = parseUdh(built);
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(r.udh.length).toBe(built.length);
          expect(r.udh.ies).toEqual(ies);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('splitUdh', () => {
  it('splits S7 short_message into header and UCS2 payload (views)', () => {
    const sm = h('050003a50201041f04400438043204350442002c0020');
    const r = splitUdh(sm);
    if ('error' in r) throw new Error(r.error);
    expect(r.udh?.concat).toEqual({ ref: 0xa5, total: 2, seq: 1, refBits: 8 });
    expect(hex(r.udhBytes!)).toBe('050003A50201');
    expect(hex(r.payload)).toBe('041F04400438043204350442002C0020');
    expect(r.payload.buffer).toBe(sm.buffer);
  });

  it('gives an error for empty or malformed user data', () => {
    expect('error' in splitUdh(Buffer.alloc(0))).toBe(true);
    expect('error' in splitUdh(h('0500'))).toBe(true);
  });

  it('header only: empty payload', () => {
    const r = splitUdh(h('050003010101'));
    expect('error' in r ? -1 : r.payload.length).toBe(0);
  });
});

describe('UDH sizes in 7-bit user data', () => {
  it.each([
    [6, 7, 1],
    [7, 8, 0],
    [12, 14, 2],
    [1, 2, 6],
  ])('%i octets -> %i septets, %i fill bits', (octets, septets, fill) => {
    expect(udhSeptets(octets)).toBe(septets);
    expect(udhFillBits(octets)).toBe(fill);
    expect(octets * 8 + fill).toBe(septets * 7);
  });
});
