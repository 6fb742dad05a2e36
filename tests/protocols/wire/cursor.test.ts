import { Reader } from '../../../protocols/wire/reader';
import { Writer } from '../../../protocols/wire/writer';
import { BoundsError, EncodeError } from '../../../protocols/wire/errors';

describe('Reader/Writer', () => {
  it('round-trips integers, bytes and C strings', () => {
    const w = new Writer(4);
    w.u8(1).u16(0x0203).u32(0x04050607).cstring('abc', 4).bytes(Buffer.from([9, 9]));
    const r = new Reader(w.toBuffer());
    expect(r.u8()).toBe(1);
    expect(r.u16()).toBe(0x0203);
    expect(r.u32()).toBe(0x04050607);
    expect(r.cstring(4)).toBe('abc');
    expect([...r.bytes(2)]).toEqual([9, 9]);
    expect(r.remaining).toBe(0);
  });

  it('throws BoundsError, never RangeError, past the end', () => {
    const r = new Reader(Buffer.from([1, 2, 3]));
    expect(() => r.u32()).toThrow(BoundsError);
    expect(() => r.bytes(4)).toThrow(BoundsError);
    expect(() => r.bytes(-1)).toThrow(BoundsError);
    expect(() => new Reader(Buffer.alloc(1), 0, 2)).toThrow(BoundsError);
  });

  it('returns null for a C string without NUL within its limit', () => {
    expect(new Reader(Buffer.from('abcd\0')).cstring(4)).toBeNull();
    expect(new Reader(Buffer.from('abc')).cstring(10)).toBeNull();
  });

  it('refuses out-of-range values and over-long strings', () => {
    expect(() => new Writer().u8(256)).toThrow(EncodeError);
    expect(() => new Writer().u16(-1)).toThrow(EncodeError);
    expect(() => new Writer().cstring('abcd', 4)).toThrow(EncodeError);
  });
});
