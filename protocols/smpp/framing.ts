import type { Framer } from '../transport/transport';
import { FrameError } from '../wire/errors';
import { HEADER_LENGTH } from './codec-primitives';

export interface SmppFramerOptions {
  /** Largest command_length accepted; anything larger is a fatal frame error. Default 65536. */
  maxPduBytes?: number;
}

export const DEFAULT_MAX_PDU_BYTES = 65536;

/**
 * Push-parser for SMPP's length-prefixed stream. Whole frames inside one chunk are returned as views of that chunk
 * (no copy); a frame spread over chunks is assembled into one buffer allocated once at its final size. Either way the
 * returned frames are never written to again, so they stay valid after later pushes.
 */
export class SmppFramer implements Framer {
  private readonly maxPduBytes: number;
  /** Header octets of the next frame while fewer than 4 have arrived. */
  private readonly lengthBytes = Buffer.alloc(4);
  private lengthFill = 0;
  /** The frame being assembled across chunks. */
  private partial: Buffer | null = null;
  private partialFill = 0;
  private broken = false;

  constructor(opts: SmppFramerOptions = {}) {
    const max = opts.maxPduBytes ?? DEFAULT_MAX_PDU_BYTES;
    if (!Number.isInteger(max) || max < HEADER_LENGTH) throw new RangeError(`maxPduBytes must be an integer >= ${HEADER_LENGTH}`);
    this.maxPduBytes = max;
  }

  get buffered(): number {
    return this.partial !== null ? this.partialFill : this.lengthFill;
  }

  push(chunk: Buffer): Buffer[] {
    if (this.broken) throw new FrameError('framer already failed: the stream cannot be resynchronised');
    const out: Buffer[] = [];
    const n = chunk.length;
    let pos = 0;
    while (pos < n) {
      const partial = this.partial;
      if (partial !== null) {
        const take = Math.min(partial.length - this.partialFill, n - pos);
        chunk.copy(partial, this.partialFill, pos, pos + take);
        this.partialFill += take;
        pos += take;
        if (this.partialFill === partial.length) {
          out.push(partial);
          this.partial = null;
          this.partialFill = 0;
        }
        continue;
      }
      if (this.lengthFill > 0 || n - pos < 4) {
        const take = Math.min(4 - this.lengthFill, n - pos);
        chunk.copy(this.lengthBytes, this.lengthFill, pos, pos + take);
        this.lengthFill += take;
        pos += take;
        if (this.lengthFill === 4) {
          const len = this.checkLength(this.lengthBytes.readUInt32BE(0));
          this.partial = Buffer.allocUnsafe(len);
          this.lengthBytes.copy(this.partial, 0, 0, 4);
          this.partialFill = 4;
          this.lengthFill = 0;
        }
        continue;
      }
      const len = this.checkLength(chunk.readUInt32BE(pos));
      if (n - pos >= len) {
        out.push(chunk.subarray(pos, pos + len));
        pos += len;
      } else {
        this.partial = Buffer.allocUnsafe(len);
        chunk.copy(this.partial, 0, pos, n);
        this.partialFill = n - pos;
        pos = n;
      }
    }
    return out;
  }

  private checkLength(len: number): number {
    if (len < HEADER_LENGTH || len > this.maxPduBytes) {
      this.broken = true;
      this.partial = null;
      this.lengthFill = 0;
      throw new FrameError(`command_length ${len} outside ${HEADER_LENGTH}..${this.maxPduBytes}`);
    }
    return len;
  }
}
