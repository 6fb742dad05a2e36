import type { Framer } from '../transport/transport';
import { FrameError } from '../wire/errors';
import { DEFAULT_MAX_FRAME_BYTES, ETX, STX } from './constants';

// Module-local copies: imported bindings are property reads on every use once compiled to CommonJS.
const ETX_B = ETX;
const STX_B = STX;

export interface Cimd2FramerOptions {
  /** Largest frame (STX to ETX inclusive); a frame growing past it is a fatal FrameError. */
  maxFrameBytes?: number;
}

/**
 * Push-parser: returns whole `STX ... ETX` frames. Bytes outside a frame are skipped (cimd2.md §1).
 * An STX inside a frame means the previous frame lost its ETX: that partial frame is returned as is (without
 * ETX), so the decoder reports `no_etx` and the session NACKs it instead of stalling the sender.
 * A frame that passes `maxFrameBytes` without ETX cannot be resynchronised safely and throws FrameError.
 * Frames inside one chunk are views into that chunk (no copy).
 */
export class Cimd2Framer implements Framer {
  private readonly max: number;
  private parts: Buffer[] = [];
  private partLen = 0;
  private inFrame = false;

  constructor(opts: Cimd2FramerOptions = {}) {
    this.max = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  get buffered(): number {
    return this.partLen;
  }

  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    const n = chunk.length;
    let i = 0;
    let start = 0;
    while (i < n) {
      if (!this.inFrame) {
        const s = chunk.indexOf(STX_B, i);
        if (s < 0) return out;
        this.inFrame = true;
        start = s;
        i = s + 1;
      }
      let j = i;
      while (j < n) {
        const b = chunk[j]!;
        if (b === ETX_B || b === STX_B) break;
        j++;
      }
      if (j === n) {
        this.append(chunk.subarray(start, n));
        return out;
      }
      if (chunk[j] === ETX_B) {
        out.push(this.take(chunk.subarray(start, j + 1)));
        this.inFrame = false;
        i = j + 1;
      } else {
        // New STX before ETX: hand over the truncated frame and start the next one here.
        out.push(this.take(chunk.subarray(start, j)));
        start = j;
        i = j + 1;
      }
    }
    return out;
  }

  private append(piece: Buffer): void {
    if (this.partLen + piece.length > this.max) this.overflow();
    if (piece.length > 0) this.parts.push(piece);
    this.partLen += piece.length;
  }

  private take(tail: Buffer): Buffer {
    if (this.partLen + tail.length > this.max) this.overflow();
    if (this.partLen === 0) return tail;
    this.parts.push(tail);
    const frame = Buffer.concat(this.parts, this.partLen + tail.length);
    this.parts = [];
    this.partLen = 0;
    return frame;
  }

  private overflow(): never {
    const n = this.partLen;
    this.parts = [];
    this.partLen = 0;
    this.inFrame = false;
    throw new FrameError(`CIMD2 frame longer than ${this.max} bytes (${n} buffered, no ETX_B)`);
  }
}
