import { FrameError } from '../wire/errors';
import type { Framer } from '../transport/transport';
import { DEFAULT_MAX_FRAME_BYTES, ETX, STX } from './constants';

export interface UcpFramerOptions {
  /** Largest frame accepted, STX and ETX included. */
  maxFrameBytes?: number;
}

/**
 * Push-parser for `STX ... ETX` frames. Bytes between frames are skipped as Kannel does (some SCs send CR/LF
 * or idle filler); the count is kept in `skippedBytes`. Fatal (FrameError): an STX inside a frame (its ETX went
 * missing) or a frame longer than maxFrameBytes. Returned frames include STX and ETX and are views of the
 * pushed chunks (no copy): callers must not reuse a chunk buffer after pushing it, which sockets never do.
 */
export class UcpFramer implements Framer {
  private pending: Buffer | undefined;
  private readonly max: number;
  skippedBytes = 0;

  constructor(opts: UcpFramerOptions = {}) {
    this.max = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  get buffered(): number {
    return this.pending ? this.pending.length : 0;
  }

  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let buf: Buffer;
    let pos = 0;
    // `scanFrom` avoids rescanning bytes of the held partial frame for STX/ETX.
    let scanFrom = 0;
    if (this.pending) {
      scanFrom = this.pending.length;
      buf = Buffer.concat([this.pending, chunk], this.pending.length + chunk.length);
      this.pending = undefined;
    } else {
      buf = chunk;
    }
    const n = buf.length;
    while (pos < n) {
      if (buf[pos] !== STX) {
        const stx = buf.indexOf(STX, pos);
        const next = stx < 0 ? n : stx;
        this.skippedBytes += next - pos;
        pos = next;
        scanFrom = pos;
        if (pos >= n) break;
      }
      const from = Math.max(pos + 1, scanFrom);
      const etx = buf.indexOf(ETX, from);
      const limit = etx < 0 ? n : etx;
      const stx2 = buf.indexOf(STX, from);
      if (stx2 >= 0 && stx2 < limit) {
        throw new FrameError(`STX at offset ${stx2 - pos} inside a frame: ETX missing`);
      }
      if (etx < 0) {
        if (n - pos > this.max) throw new FrameError(`frame exceeds ${this.max} bytes without ETX`);
        this.pending = buf.subarray(pos);
        return out;
      }
      if (etx + 1 - pos > this.max) throw new FrameError(`frame of ${etx + 1 - pos} bytes exceeds ${this.max}`);
      out.push(buf.subarray(pos, etx + 1));
      pos = etx + 1;
      scanFrom = pos;
    }
    return out;
  }
}
