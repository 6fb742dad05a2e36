import { BoundsError } from './errors';

/** Bounds-checked cursor over a Buffer. Every read past `end` throws BoundsError, never RangeError. */
export class Reader {
  private pos: number;
  readonly end: number;

  constructor(readonly buf: Buffer, start = 0, end = buf.length) {
    if (start < 0 || end > buf.length || start > end) throw new BoundsError(`bad reader range ${start}..${end}`);
    this.pos = start;
    this.end = end;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new BoundsError(`need ${n} byte(s) at offset ${this.pos}, have ${this.end - this.pos}`);
    }
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** A view (no copy) of the next n bytes. */
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /**
   * NUL-terminated string of at most `max` bytes including the NUL. Returns null when there is no NUL
   * within `max` bytes (or before the end): the caller maps that to its own status.
   */
  cstring(max: number, encoding: BufferEncoding = 'latin1'): string | null {
    const limit = Math.min(this.end, this.pos + max);
    const nul = this.buf.indexOf(0, this.pos);
    if (nul < 0 || nul >= limit) return null;
    const s = this.buf.toString(encoding, this.pos, nul);
    this.pos = nul + 1;
    return s;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  /** Index of `byte` at or after the cursor, or -1. */
  indexOf(byte: number): number {
    const i = this.buf.indexOf(byte, this.pos);
    return i >= 0 && i < this.end ? i : -1;
  }
}
