import { EncodeError } from './errors';

/**
 * Growable big-endian writer. Starts from a caller-sized buffer so the common PDU sizes allocate once.
 */
export class Writer {
  private buf: Buffer;
  private pos = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new EncodeError(`u8 out of range: ${v}`);
    this.ensure(1);
    this.buf[this.pos++] = v;
    return this;
  }

  u16(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new EncodeError(`u16 out of range: ${v}`);
    this.ensure(2);
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new EncodeError(`u32 out of range: ${v}`);
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** Writes `s` plus a NUL; `max` counts the NUL, as SMPP's C-Octet String limits do. */
  cstring(s: string, max: number, field = 'string', encoding: BufferEncoding = 'latin1'): this {
    const n = Buffer.byteLength(s, encoding);
    if (n + 1 > max) throw new EncodeError(`${field} is ${n} bytes, max ${max - 1}`);
    this.ensure(n + 1);
    this.buf.write(s, this.pos, encoding);
    this.pos += n;
    this.buf[this.pos++] = 0;
    return this;
  }

  ascii(s: string): this {
    const n = Buffer.byteLength(s, 'latin1');
    this.ensure(n);
    this.buf.write(s, this.pos, 'latin1');
    this.pos += n;
    return this;
  }

  /** Overwrites a u32 already written (length prefixes). */
  patchU32(at: number, v: number): this {
    this.buf.writeUInt32BE(v, at);
    return this;
  }

  /** Overwrites a u16 already written (TLV lengths). */
  patchU16(at: number, v: number): this {
    this.buf.writeUInt16BE(v, at);
    return this;
  }

  /** A copy of exactly the bytes written, safe to keep after the writer is reused. */
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}
