/**
 * HTTP/1.1 client with pipelining, for partners whose servers support it (every conforming HTTP/1.1 server must).
 * Why: on this machine a pooled `http.request` costs ~95 µs of CPU per request, almost all of it per-request socket
 * syscalls and client bookkeeping; writing several requests per syscall on a few persistent connections costs ~16 µs.
 *
 * Up to `connections` sockets per origin, each with at most `depth` requests in flight; requests written in one
 * event-loop turn go out in one write (cork/uncork). Responses come back in order (RFC 9112 §9.3.2). A response is
 * framed by Content-Length or chunked transfer coding; anything else (read-until-close) is refused as a protocol
 * error. On `Connection: close`, a socket error or a request timeout, the socket is destroyed and every request still
 * waiting on it is rejected with ConnectionClosedError (the timed-out one with TimeoutError): the retry layer above
 * resends them, so a partner may see a request twice after such a failure (at-least-once, like any retry).
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { ConnectionClosedError, TimeoutError } from '../../protocols/wire/errors';
import type { HttpClient, HttpRequest, HttpResponse } from './http-client';

export interface PipelinedClientOptions {
  connections: number;
  depth: number;
  maxResponseBytes?: number;
  /** Requests waiting for a slot at most; the limiter above normally keeps this small. */
  maxQueued?: number;
}

interface Pending {
  /** The whole request (head and body) as one string, or the head when the body is a Buffer. */
  data: string;
  body: Buffer | undefined;
  timeoutMs: number;
  /** performance.now() after which it has timed out (set when written). */
  deadline: number;
  resolve(r: HttpResponse): void;
  reject(e: Error): void;
}

class ProtocolViolation extends ConnectionClosedError {}

/** One pipelined connection. */
class Conn {
  readonly inFlight: Pending[] = [];
  private head = 0;
  private buf: Buffer | undefined;
  private dead = false;
  private corked = false;
  // Response parsing state.
  private status = 0;
  private contentType = '';
  private bodyLeft = -1;
  private chunked = false;
  private closeAfter = false;
  private bodyParts: Buffer[] = [];
  private bodySize = 0;
  /** One timer per connection, armed for the earliest deadline in flight (not one timer per request). */
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private readonly onTimer = (): void => this.checkTimeouts();

  constructor(
    private readonly socket: net.Socket,
    private readonly maxBody: number,
    private readonly onGone: (c: Conn) => void,
    private readonly onFree: () => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', (e) => this.fail(new ConnectionClosedError('partner connection failed', { cause: e })));
    socket.on('close', () => this.fail(new ConnectionClosedError('partner closed the connection')));
  }

  get load(): number {
    return this.inFlight.length - this.head;
  }

  get alive(): boolean {
    return !this.dead;
  }

  send(p: Pending): void {
    this.inFlight.push(p);
    p.deadline = performance.now() + p.timeoutMs;
    if (p.deadline < this.timerAt) this.arm(p.deadline);
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    this.socket.write(p.data);
    if (p.body && p.body.length > 0) this.socket.write(p.body);
  }

  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  private arm(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(this.onTimer, Math.max(0, Math.ceil(at - performance.now())));
  }

  /** The earliest request past its deadline fails the connection; otherwise re-arm for the earliest deadline left. */
  private checkTimeouts(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.dead) return;
    const now = performance.now();
    let next = Infinity;
    for (let i = this.head; i < this.inFlight.length; i++) {
      const p = this.inFlight[i]!;
      if (p.deadline <= now) {
        this.fail(new ConnectionClosedError('pipelined request behind a timed-out one'), p);
        return;
      }
      if (p.deadline < next) next = p.deadline;
    }
    if (next !== Infinity) this.arm(next);
  }

  close(): void {
    this.fail(new ConnectionClosedError('client closed'));
  }

  /** Rejects everything on this connection; `timedOut` gets a TimeoutError. */
  private fail(err: Error, timedOut?: Pending): void {
    if (this.dead) return;
    this.dead = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.socket.destroy();
    for (let i = this.head; i < this.inFlight.length; i++) {
      const p = this.inFlight[i]!;
      p.reject(p === timedOut ? new TimeoutError(`partner did not answer within ${p.timeoutMs} ms`) : err);
    }
    this.inFlight.length = 0;
    this.head = 0;
    this.onGone(this);
  }

  private onData(d: Buffer): void {
    this.buf = this.buf && this.buf.length > 0 ? Buffer.concat([this.buf, d]) : d;
    try {
      while (this.buf.length > 0 && !this.dead && this.step()) {
        /* parse as many responses as the buffer holds */
      }
    } catch (e) {
      this.fail(e instanceof Error ? e : new ProtocolViolation('bad response'));
    }
  }

  /** Parses one piece; false when more bytes are needed. */
  private step(): boolean {
    const buf = this.buf!;
    if (this.bodyLeft < 0 && !this.chunked) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > 65_536) throw new ProtocolViolation('response header too large');
        return false;
      }
      this.parseHead(buf.toString('latin1', 0, end));
      this.buf = buf.subarray(end + 4);
      if (this.bodyLeft === 0) this.complete();
      return true;
    }
    if (this.chunked) return this.stepChunk();
    const take = Math.min(this.bodyLeft, buf.length);
    this.addBody(buf.subarray(0, take));
    this.bodyLeft -= take;
    this.buf = buf.subarray(take);
    if (this.bodyLeft === 0) this.complete();
    return take > 0;
  }

  private stepChunk(): boolean {
    const buf = this.buf!;
    const eol = buf.indexOf('\r\n');
    if (eol < 0) return false;
    const size = parseInt(buf.toString('latin1', 0, eol).split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) throw new ProtocolViolation('bad chunk size');
    if (size === 0) {
      // Last chunk, optional trailers, then an empty line.
      const end = buf.indexOf('\r\n\r\n', eol);
      if (end < 0) return false;
      this.buf = buf.subarray(end + 4);
      this.complete();
      return true;
    }
    if (buf.length < eol + 2 + size + 2) return false;
    this.addBody(buf.subarray(eol + 2, eol + 2 + size));
    this.buf = buf.subarray(eol + 2 + size + 2);
    return true;
  }

  private parseHead(head: string): void {
    // Scanned in place (no split/regex per response): only four header names matter here.
    let eol = head.indexOf('\r\n');
    if (eol < 0) eol = head.length;
    if (!head.startsWith('HTTP/1.') || (head[7] !== '0' && head[7] !== '1') || head[8] !== ' ' || eol < 12) throw new ProtocolViolation('bad status line');
    const status = Number(head.slice(9, 12));
    if (!Number.isInteger(status) || status < 100 || (eol > 12 && head[12] !== ' ')) throw new ProtocolViolation('bad status line');
    this.status = status;
    this.contentType = '';
    this.closeAfter = head[7] === '0';
    let length = -1;
    let chunked = false;
    for (let pos = eol + 2; pos < head.length; ) {
      let end = head.indexOf('\r\n', pos);
      if (end < 0) end = head.length;
      const c = head.indexOf(':', pos);
      if (c > pos && c < end) {
        const name = head.slice(pos, c).trim().toLowerCase();
        if (name === 'content-length') length = Number(head.slice(c + 1, end).trim());
        else if (name === 'transfer-encoding') chunked = /chunked/i.test(head.slice(c + 1, end));
        else if (name === 'content-type') this.contentType = head.slice(c + 1, end).trim();
        else if (name === 'connection') this.closeAfter = /close/i.test(head.slice(c + 1, end));
      }
      pos = end + 2;
    }
    const noBody = this.status === 204 || this.status === 304;
    if (this.status < 200) throw new ProtocolViolation('interim responses are not supported');
    this.chunked = chunked;
    if (chunked) this.bodyLeft = -1;
    else if (noBody) this.bodyLeft = 0;
    else if (length >= 0 && Number.isInteger(length)) this.bodyLeft = length;
    else throw new ProtocolViolation('response without Content-Length or chunked coding');
  }

  private addBody(b: Buffer): void {
    if (this.bodySize + b.length <= this.maxBody) this.bodyParts.push(Buffer.from(b));
    this.bodySize += b.length;
  }

  private complete(): void {
    const p = this.inFlight[this.head];
    if (!p) throw new ProtocolViolation('response without a request');
    this.inFlight[this.head++] = undefined as unknown as Pending;
    if (this.head === this.inFlight.length) {
      this.inFlight.length = 0;
      this.head = 0;
    }
    const body = this.bodyParts.length === 1 ? this.bodyParts[0]! : Buffer.concat(this.bodyParts);
    p.resolve({ status: this.status, contentType: this.contentType, body });
    this.bodyParts = [];
    this.bodySize = 0;
    this.bodyLeft = -1;
    this.chunked = false;
    if (this.closeAfter) this.fail(new ConnectionClosedError('partner closes the connection (Connection: close)'));
    else this.onFree();
  }
}

export class PipelinedHttpClient implements HttpClient {
  private readonly conns = new Map<string, Conn[]>();
  private readonly waiting: { origin: string; url: URL; p: Pending }[] = [];
  private closed = false;

  constructor(private readonly opts: PipelinedClientOptions) {}

  request(r: HttpRequest): Promise<HttpResponse> {
    if (this.closed) return Promise.reject(new ConnectionClosedError('client closed'));
    return new Promise<HttpResponse>((resolve, reject) => {
      const host = r.url.host;
      let head = r.method + ' ' + r.url.pathname + r.url.search + ' HTTP/1.1\r\nHost: ' + host + '\r\n';
      for (const k in r.headers) head += k + ': ' + r.headers[k] + '\r\n';
      const b = r.body;
      // A string body travels in the same write as the head (the socket encodes it as UTF-8).
      const p: Pending =
        typeof b === 'string'
          ? { data: head + 'Content-Length: ' + Buffer.byteLength(b, 'utf8') + '\r\n\r\n' + b, body: undefined, timeoutMs: r.timeoutMs, deadline: 0, resolve, reject }
          : { data: head + 'Content-Length: ' + (b ? b.length : 0) + '\r\n\r\n', body: b, timeoutMs: r.timeoutMs, deadline: 0, resolve, reject };
      const origin = `${r.url.protocol}//${host}`;
      if (!this.dispatch(origin, r.url, p)) {
        if (this.waiting.length >= (this.opts.maxQueued ?? 100_000)) {
          reject(new ConnectionClosedError('pipelined client queue full'));
          return;
        }
        this.waiting.push({ origin, url: r.url, p });
      }
    });
  }

  close(): void {
    this.closed = true;
    for (const list of this.conns.values()) for (const c of [...list]) c.close();
    for (const w of this.waiting.splice(0)) w.p.reject(new ConnectionClosedError('client closed'));
  }

  private dispatch(origin: string, url: URL, p: Pending): boolean {
    let list = this.conns.get(origin);
    if (!list) this.conns.set(origin, (list = []));
    let best: Conn | undefined;
    for (const c of list) if (c.alive && c.load < this.opts.depth && (!best || c.load < best.load)) best = c;
    // Open another connection rather than stack requests while below the connection limit.
    if ((!best || best.load > 0) && list.length < this.opts.connections) best = this.open(url, list);
    if (!best) return false;
    best.send(p);
    return true;
  }

  private open(url: URL, list: Conn[]): Conn {
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const socket = url.protocol === 'https:' ? tls.connect({ host: url.hostname, port, servername: url.hostname }) : net.connect(port, url.hostname);
    const conn = new Conn(
      socket,
      this.opts.maxResponseBytes ?? 65_536,
      (c) => {
        const i = list.indexOf(c);
        if (i >= 0) list.splice(i, 1);
        this.drain();
      },
      () => this.drain(),
    );
    list.push(conn);
    return conn;
  }

  private drain(): void {
    while (this.waiting.length > 0 && !this.closed) {
      const w = this.waiting[0]!;
      if (!this.dispatch(w.origin, w.url, w.p)) return;
      this.waiting.shift();
    }
  }
}
