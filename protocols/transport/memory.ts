import { DirectSubject } from './direct-subject';
import { ConnectionClosedError } from '../wire/errors';
import type { Framer, Transport, TransportCloseReason } from './transport';

/**
 * In-memory transport pair for session tests: bytes written on one side are framed on the other side
 * synchronously on `flush()` (or on the next microtask when autoFlush is on). No sockets, no real time.
 */
export class MemoryTransport implements Transport {
  readonly frames$ = new DirectSubject<Buffer>();
  readonly closed: Promise<TransportCloseReason>;
  private resolveClosed!: (r: TransportCloseReason) => void;
  peer: MemoryTransport | undefined;
  private open = true;
  private paused = false;
  private inbox: Buffer[] = [];
  /** Every buffer written by this side, for assertions. */
  readonly written: Buffer[] = [];
  readonly remoteAddress = '127.0.0.1';

  constructor(private readonly framer: Framer, private readonly autoFlush = true) {
    this.closed = new Promise((r) => (this.resolveClosed = r));
  }

  get isOpen(): boolean {
    return this.open;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  send(buf: Buffer): void {
    if (!this.open) return;
    this.written.push(buf);
    this.peer?.receive(buf);
  }

  write(buf: Buffer): Promise<void> {
    if (!this.open) return Promise.reject(new ConnectionClosedError());
    this.send(buf);
    return Promise.resolve();
  }

  /** Feed raw bytes as if they came from the peer (e.g. corrupt input). */
  inject(buf: Buffer): void {
    this.receive(buf);
  }

  private receive(buf: Buffer): void {
    if (!this.open) return;
    this.inbox.push(buf);
    if (this.autoFlush && !this.paused) queueMicrotask(() => this.deliver());
  }

  /** Deliver what has arrived (unless paused). */
  deliver(): void {
    while (this.open && !this.paused && this.inbox.length > 0) {
      const chunk = this.inbox.shift()!;
      let frames: Buffer[];
      try {
        frames = this.framer.push(chunk);
      } catch (err) {
        this.frames$.error(err);
        this.destroy(err as Error);
        return;
      }
      for (const f of frames) if (this.open) this.frames$.next(f);
    }
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    queueMicrotask(() => this.deliver());
  }

  async close(): Promise<void> {
    this.finish({ kind: 'local' }, { kind: 'remote' });
  }

  destroy(error?: Error): void {
    this.finish(error ? { kind: 'error', error } : { kind: 'local' }, { kind: 'remote' });
  }

  private finish(mine: TransportCloseReason, theirs: TransportCloseReason): void {
    if (!this.open) return;
    this.open = false;
    if (!this.frames$.closed) this.frames$.complete();
    this.resolveClosed(mine);
    const p = this.peer;
    if (p && p.open) queueMicrotask(() => p.finish(theirs, mine));
  }
}

export function memoryPair(makeFramer: () => Framer): [MemoryTransport, MemoryTransport] {
  const a = new MemoryTransport(makeFramer());
  const b = new MemoryTransport(makeFramer());
  a.peer = b;
  b.peer = a;
  return [a, b];
}
