import * as net from 'node:net';

/**
 * A hand-driven SMPP peer over a real socket for interop tests: it writes exact bytes (third-party captures or
 * frames built by hand from the spec, never by our encoder) and reads whole PDUs as raw bytes, so a test asserts
 * on the octets we put on the wire.
 */
export class RawPeer {
  private buf = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private ended = false;
  readonly closed: Promise<void>;

  constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((r) =>
      socket.on('close', () => {
        this.ended = true;
        this.wake();
        r();
      }),
    );
  }

  static connect(port: number): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => resolve(new RawPeer(s)));
      s.once('error', reject);
    });
  }

  write(hex: string | Buffer): void {
    this.socket.write(typeof hex === 'string' ? Buffer.from(hex.replace(/\s+/g, ''), 'hex') : hex);
  }

  /** The next whole PDU as hex, or null if the connection closed first. */
  async readPdu(): Promise<string | null> {
    for (;;) {
      if (this.buf.length >= 4) {
        const len = this.buf.readUInt32BE(0);
        if (len < 16) throw new Error(`peer sent command_length ${len}`);
        if (this.buf.length >= len) {
          const pdu = this.buf.subarray(0, len);
          this.buf = this.buf.subarray(len);
          return pdu.toString('hex');
        }
      }
      if (this.ended) return null;
      await new Promise<void>((r) => (this.waiter = r));
    }
  }

  /** Reads PDUs until one matches `pred` (skipping e.g. keep-alives); null if the connection closed first. */
  async readUntil(pred: (hex: string) => boolean): Promise<string | null> {
    for (;;) {
      const p = await this.readPdu();
      if (p === null || pred(p)) return p;
    }
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

/** Hex of a 16-octet header. */
export function headerHex(length: number, id: number, status: number, seq: number): string {
  return [length, id, status, seq].map((v) => (v >>> 0).toString(16).padStart(8, '0')).join('');
}

/** A C-Octet String as hex (latin1 + NUL). */
export function cHex(s: string): string {
  return Buffer.from(s, 'latin1').toString('hex') + '00';
}

/** A whole PDU as hex from its command id, status, sequence and body hex (command_length computed). */
export function pduHex(id: number, status: number, seq: number, body = ''): string {
  return headerHex(16 + body.length / 2, id, status, seq) + body;
}
