import type { Framer } from '../transport/transport';
import { FrameError } from '../wire/errors';
import { HEADER_LENGTH } from './codec-primitives';

export interface SmppFramerOptions {
  /** Largest command_length accepted; anything larger is a fatal frame error. Default DEFAULT_MAX_PDU_BYTES. */
  maxPduBytes?: number;
  /**
   * What to do with a header whose command_length is out of range. 'report' (default): once its 16 header octets
   * have arrived, hand them out as one frame (see isBadHeaderFrame) so the session can answer
   * generic_nack(ESME_RINVCMDLEN) with the peer's sequence number before it closes, then drop all further input.
   * 'throw': throw FrameError at once (the transport closes without answering).
   */
  onBadLength?: 'report' | 'throw';
}

/**
 * 64 KiB for a full message_payload TLV plus room for the header, the largest data_sm mandatory body (about 150
 * octets) and the other TLVs: smpp.md section 2 asks for "64 KiB + 16 or more"; exactly 64 KiB + 16 would refuse a
 * data_sm carrying a 65535-octet payload.
 */
export const DEFAULT_MAX_PDU_BYTES = 65536 + 4096;

/**
 * True for the frame the framer hands out in 'report' mode for an out-of-range command_length: exactly the 16
 * header octets as received, whose command_length field is not 16. A good framer never yields such a frame
 * (command_length always equals the frame length), so the test is unambiguous.
 */
export function isBadHeaderFrame(frame: Buffer): boolean {
  return frame.length === HEADER_LENGTH && frame.readUInt32BE(0) !== HEADER_LENGTH;
}

/**
 * Push-parser for SMPP's length-prefixed stream. Whole frames inside one chunk are returned as views of that chunk
 * (no copy); a frame spread over chunks is assembled into one buffer allocated once at its final size. Either way the
 * returned frames are never written to again, so they stay valid after later pushes.
 */
export class SmppFramer implements Framer {
  private readonly maxPduBytes: number;
  private readonly report: boolean;
  /** Header octets of the next frame while fewer than 4 have arrived. */
  private readonly lengthBytes = Buffer.alloc(4);
  private lengthFill = 0;
  /** The frame being assembled across chunks. */
  private partial: Buffer | null = null;
  private partialFill = 0;
  /** Collecting the header of a frame whose length is out of range ('report' mode). */
  private badHeader = false;
  /** The stream cannot be framed any more: 'throw' mode throws, 'report' mode (after the report) drops input. */
  private broken = false;

  constructor(opts: SmppFramerOptions = {}) {
    const max = opts.maxPduBytes ?? DEFAULT_MAX_PDU_BYTES;
    if (!Number.isInteger(max) || max < HEADER_LENGTH) throw new RangeError(`maxPduBytes must be an integer >= ${HEADER_LENGTH}`);
    this.maxPduBytes = max;
    this.report = (opts.onBadLength ?? 'report') === 'report';
  }

  get buffered(): number {
    return this.partial !== null ? this.partialFill : this.lengthFill;
  }

  push(chunk: Buffer): Buffer[] {
    if (this.broken) {
      if (this.report) return [];
      throw new FrameError('framer already failed: the stream cannot be resynchronised');
    }
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
          if (this.badHeader) {
            // The bad header is out; nothing after it can be framed.
            this.broken = true;
            return out;
          }
        }
        continue;
      }
      if (this.lengthFill > 0 || n - pos < 4) {
        const take = Math.min(4 - this.lengthFill, n - pos);
        chunk.copy(this.lengthBytes, this.lengthFill, pos, pos + take);
        this.lengthFill += take;
        pos += take;
        if (this.lengthFill === 4) {
          const len = this.frameLength(this.lengthBytes.readUInt32BE(0));
          this.partial = Buffer.allocUnsafe(len);
          this.lengthBytes.copy(this.partial, 0, 0, 4);
          this.partialFill = 4;
          this.lengthFill = 0;
        }
        continue;
      }
      const len = this.frameLength(chunk.readUInt32BE(pos));
      if (this.badHeader) {
        // Copy: the report outlives the chunk's reuse, and a 16-octet copy happens once per dead connection.
        this.partial = Buffer.allocUnsafe(len);
        const take = Math.min(len, n - pos);
        chunk.copy(this.partial, 0, pos, pos + take);
        this.partialFill = take;
        pos += take;
        if (take === len) {
          out.push(this.partial);
          this.partial = null;
          this.partialFill = 0;
          this.broken = true;
          return out;
        }
      } else if (n - pos >= len) {
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

  /** The number of octets to collect for a frame announcing `len`: `len`, or 16 for a bad header in 'report' mode. */
  private frameLength(len: number): number {
    if (len >= HEADER_LENGTH && len <= this.maxPduBytes) return len;
    if (this.report) {
      this.badHeader = true;
      return HEADER_LENGTH;
    }
    this.broken = true;
    this.partial = null;
    this.lengthFill = 0;
    throw new FrameError(`command_length ${len} outside ${HEADER_LENGTH}..${this.maxPduBytes}`);
  }
}
