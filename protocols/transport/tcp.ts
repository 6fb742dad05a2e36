import * as net from 'node:net';
import * as tls from 'node:tls';
import { DirectSubject } from './direct-subject';
import { ConnectionClosedError, SlowPeerError } from '../wire/errors';
import type { Framer, Transport, TransportCloseReason } from './transport';

export interface TcpTransportOptions {
  /** How long a full socket buffer may stay full before the peer is dropped as slow. */
  drainTimeoutMs?: number;
  /** Upper bound on bytes queued in user space while waiting for drain. */
  maxQueuedBytes?: number;
}

/**
 * Transport over a connected net.Socket (or tls.TLSSocket). Writes are gathered per event-loop turn and
 * written as one buffer: one syscall for a burst of PDUs instead of one each.
 */
export class TcpTransport implements Transport {
  readonly frames$ = new DirectSubject<Buffer>();
  readonly closed: Promise<TransportCloseReason>;
  private resolveClosed!: (r: TransportCloseReason) => void;
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private flushScheduled = false;
  private draining = false;
  private drainTimer: NodeJS.Timeout | undefined;
  private open = true;
  private closeReason: TransportCloseReason | undefined;
  private readonly drainTimeoutMs: number;
  private readonly maxQueuedBytes: number;

  constructor(
    private readonly socket: net.Socket,
    private readonly framer: Framer,
    opts: TcpTransportOptions = {},
  ) {
    this.drainTimeoutMs = opts.drainTimeoutMs ?? 10_000;
    this.maxQueuedBytes = opts.maxQueuedBytes ?? 64 * 1024 * 1024;
    this.closed = new Promise((r) => (this.resolveClosed = r));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('error', (err) => this.finish({ kind: 'error', error: err }));
    socket.on('end', () => {
      // Half-open peers are not supported by these protocols: end our side too.
      if (this.open) socket.end();
    });
    socket.on('close', () => this.finish(this.closeReason ?? { kind: 'remote' }));
  }

  get isOpen(): boolean {
    return this.open;
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.framer.push(chunk);
    } catch (err) {
      this.frames$.error(err);
      this.destroy(err as Error);
      return;
    }
    for (let i = 0; i < frames.length; i++) {
      if (!this.open) return;
      this.frames$.next(frames[i]!);
    }
  }

  send(buf: Buffer): void {
    if (!this.open) return;
    this.queue.push(buf);
    this.queuedBytes += buf.length;
    if (this.queuedBytes > this.maxQueuedBytes) {
      this.destroy(new SlowPeerError(`more than ${this.maxQueuedBytes} bytes queued for a peer that does not read`));
      return;
    }
    if (!this.flushScheduled && !this.draining) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  write(buf: Buffer): Promise<void> {
    if (!this.open) return Promise.reject(new ConnectionClosedError());
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.send(buf);
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    if (!this.open || this.draining || this.queue.length === 0) return;
    const data = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue, this.queuedBytes);
    this.queue = [];
    this.queuedBytes = 0;
    const waiters = this.waiters;
    this.waiters = [];
    const ok = this.socket.write(data);
    for (const w of waiters) w.resolve();
    if (!ok) {
      this.draining = true;
      this.drainTimer = setTimeout(() => this.destroy(new SlowPeerError()), this.drainTimeoutMs);
      this.drainTimer.unref();
    }
  }

  private onDrain(): void {
    if (!this.draining) return;
    this.draining = false;
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    this.flush();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.closeReason = { kind: 'local' };
    if (this.queue.length > 0 && !this.draining) this.flush();
    this.socket.end();
    const t = setTimeout(() => this.socket.destroy(), this.drainTimeoutMs);
    t.unref();
    await this.closed;
    clearTimeout(t);
  }

  destroy(error?: Error): void {
    if (!this.closeReason) this.closeReason = error ? { kind: 'error', error } : { kind: 'local' };
    this.socket.destroy();
    this.finish(this.closeReason);
  }

  private finish(reason: TransportCloseReason): void {
    if (!this.open) return;
    this.open = false;
    this.closeReason = this.closeReason ?? reason;
    if (this.drainTimer) clearTimeout(this.drainTimer);
    const err = new ConnectionClosedError();
    for (const w of this.waiters) w.reject(err);
    this.waiters = [];
    this.queue = [];
    this.queuedBytes = 0;
    if (!this.frames$.closed) this.frames$.complete();
    this.resolveClosed(this.closeReason);
  }
}

export interface ConnectOptions extends TcpTransportOptions {
  host: string;
  port: number;
  connectTimeoutMs?: number;
  tls?: tls.ConnectionOptions | false;
}

/** Connects and resolves with a transport once the TCP (and TLS) handshake is done. */
export function connectTcp(opts: ConnectOptions, framer: Framer): Promise<TcpTransport> {
  return new Promise((resolve, reject) => {
    const socket: net.Socket = opts.tls
      ? tls.connect({ ...opts.tls, host: opts.host, port: opts.port })
      : net.connect({ host: opts.host, port: opts.port });
    const timeoutMs = opts.connectTimeoutMs ?? 10_000;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ConnectionClosedError(`connect to ${opts.host}:${opts.port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const onError = (err: Error) => {
      clearTimeout(timer);
      reject(new ConnectionClosedError(`connect to ${opts.host}:${opts.port} failed: ${err.message}`, { cause: err }));
    };
    socket.once('error', onError);
    socket.once(opts.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(new TcpTransport(socket, framer, opts));
    });
  });
}
