import * as net from 'node:net';
import fc from 'fast-check';

/**
 * A raw third-party peer over real loopback sockets for interop tests (UCP and CIMD2): it writes exact byte
 * streams and reads back whole `STX..ETX` frames with its own splitter, so neither side of a test goes through
 * our framers or encoders. Frames are shown as text with `<STX>`, `<ETX>` and `<TAB>` for the control bytes.
 */
export function wireText(text: string): Buffer {
  return Buffer.from(text.replace(/<STX>/g, '\x02').replace(/<ETX>/g, '\x03').replace(/<TAB>/g, '\t'), 'latin1');
}

export function showWire(buf: Buffer): string {
  return buf.toString('latin1').replace(/\x02/g, '<STX>').replace(/\x03/g, '<ETX>').replace(/\t/g, '<TAB>');
}

function sum8(s: string): string {
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += s.charCodeAt(i);
  return (sum & 0xff).toString(16).toUpperCase().padStart(2, '0');
}

/**
 * A UCP frame built by hand from the spec (ucp.md section 1), independently of our encoder: `rest` is
 * `O|R/OT/fields.../` with the trailing slash; LEN and CK are computed here.
 */
export function ucpFrame(trn: string, rest: string, lenOverride?: number): string {
  const len = lenOverride ?? trn.length + 1 + 5 + 1 + rest.length + 2;
  const body = `${trn}/${String(len).padStart(5, '0')}/${rest}`;
  return `<STX>${body}${sum8(body)}<ETX>`;
}

/** The 33 fields of a 5x operation from a sparse 1-based map, each followed by '/'. */
export function fields5x(set: Record<number, string>): string {
  const a = new Array<string>(33).fill('');
  for (const [k, v] of Object.entries(set)) a[Number(k) - 1] = v;
  return a.join('/') + '/';
}

/** A CIMD2 frame from its `OO:NNN<TAB>{PPP:v<TAB>}` text, checksum (STX..last TAB) computed here (cimd2.md §1). */
export function cimdFrame(body: string): string {
  const raw = '\x02' + body.replace(/<TAB>/g, '\t');
  return `<STX>${body}${sum8(raw)}<ETX>`;
}

const DEFAULT_WAIT_MS = 3000;

/** One raw connection: send exact text, await whole frames or the close. */
export class RawWire {
  private buf = '';
  private readonly frames: string[] = [];
  private waiters: Array<{ resolve: (f: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }> = [];
  private ended = false;
  readonly closed: Promise<void>;

  constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', () => undefined);
    this.closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => {
      this.ended = true;
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(new Error('closed'));
      }
    });
  }

  static connect(port: number): Promise<RawWire> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawWire(s)));
      s.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.ended;
  }

  private onData(d: Buffer): void {
    this.buf += d.toString('latin1');
    for (let guard = 0; guard < 10_000; guard++) {
      const s = this.buf.indexOf('\x02');
      if (s < 0) {
        this.buf = '';
        return;
      }
      const e = this.buf.indexOf('\x03', s);
      if (e < 0) {
        this.buf = this.buf.slice(s);
        return;
      }
      const f = showWire(Buffer.from(this.buf.slice(s, e + 1), 'latin1'));
      this.buf = this.buf.slice(e + 1);
      const w = this.waiters.shift();
      if (w) {
        clearTimeout(w.timer);
        w.resolve(f);
      } else this.frames.push(f);
    }
  }

  send(text: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(typeof text === 'string' ? wireText(text) : text);
  }

  /** The next frame (text form); rejects when the connection closes first or nothing comes within `ms`. */
  next(ms = DEFAULT_WAIT_MS): Promise<string> {
    const f = this.frames.shift();
    if (f !== undefined) return Promise.resolve(f);
    if (this.ended) return Promise.reject(new Error('closed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`no frame within ${ms} ms`));
      }, ms);
      this.waiters.push({ resolve, reject, timer });
    });
  }

  /** Resolves 'frame' with the next frame or 'closed' once the peer hung up; rejects only when neither comes. */
  async nextOrClose(ms = DEFAULT_WAIT_MS): Promise<{ kind: 'frame'; frame: string } | { kind: 'closed' }> {
    try {
      return { kind: 'frame', frame: await this.next(ms) };
    } catch (e) {
      if (this.ended) return { kind: 'closed' };
      throw e;
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A raw listening peer (plays the SMSC toward our client sessions). */
export async function rawServer(): Promise<{ port: number; accept(): Promise<RawWire>; close(): Promise<void> }> {
  const server = net.createServer();
  const pending: RawWire[] = [];
  const waiting: Array<(w: RawWire) => void> = [];
  const all: RawWire[] = [];
  server.on('connection', (s) => {
    const w = new RawWire(s);
    all.push(w);
    const take = waiting.shift();
    if (take) take(w);
    else pending.push(w);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    accept: () => {
      const w = pending.shift();
      return w ? Promise.resolve(w) : new Promise<RawWire>((r) => waiting.push(r));
    },
    close: async () => {
      for (const w of all) w.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** One deterministic mutation of a frame: the shapes a broken or hostile peer produces. */
export type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'delete'; at: number }
  | { kind: 'insert'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; len: number }
  | { kind: 'garbage'; bytes: number[]; framed: boolean };

/** Bytes that matter to both protocols' framing plus a few ordinary ones. */
export const INTERESTING_BYTES = [0x00, 0x02, 0x03, 0x09, 0x2f, 0x3a, 0x30, 0x39, 0x41, 0x61, 0x2d, 0x5f, 0x7f, 0xff];

export function mutate(frame: Buffer, m: Mutation): Buffer {
  const n = frame.length;
  switch (m.kind) {
    case 'flip': {
      const b = Buffer.from(frame);
      b[m.at % n] = m.byte;
      return b;
    }
    case 'delete': {
      const i = m.at % n;
      return Buffer.concat([frame.subarray(0, i), frame.subarray(i + 1)]);
    }
    case 'insert': {
      const i = m.at % (n + 1);
      return Buffer.concat([frame.subarray(0, i), Buffer.from([m.byte]), frame.subarray(i)]);
    }
    case 'truncate':
      return frame.subarray(0, m.at % n);
    case 'duplicate': {
      const i = m.at % n;
      const seg = frame.subarray(i, Math.min(n, i + m.len));
      return Buffer.concat([frame.subarray(0, i), seg, seg, frame.subarray(i + seg.length)]);
    }
    case 'garbage': {
      const body = Buffer.from(m.bytes);
      return m.framed ? Buffer.concat([Buffer.from([0x02]), body, Buffer.from([0x03])]) : body;
    }
  }
}

const byteArb = fc.oneof(fc.constantFrom(...INTERESTING_BYTES), fc.integer({ min: 0, max: 255 }));

/** Mutations of a base frame (by index into the bases), possibly several applied in turn. */
export const mutationArb: fc.Arbitrary<{ base: number; steps: Mutation[] }> = fc.record({
  base: fc.nat(),
  steps: fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: byteArb }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: byteArb }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant('garbage' as const), bytes: fc.array(byteArb, { maxLength: 80 }), framed: fc.boolean() }),
    ),
    { minLength: 1, maxLength: 3 },
  ),
});

/** `count` mutated frames from `bases`, deterministic for a seed (printed by the caller). */
export function mutatedFrames(bases: readonly string[], count: number, seed: number): Buffer[] {
  return fc.sample(mutationArb, { numRuns: count, seed }).map(({ base, steps }) => {
    let f = wireText(bases[base % bases.length]!);
    for (const m of steps) f = f.length === 0 ? f : mutate(f, m);
    return f;
  });
}
