import * as net from 'node:net';
import * as tls from 'node:tls';
import { Subject, type Observable } from 'rxjs';

export interface SessionListenerOptions<S> {
  host?: string;
  port: number;
  tls?: tls.TlsOptions;
  /** Turns an accepted socket into a server-side session. */
  accept: (socket: net.Socket) => S;
  /** Settles when the session has ended, so the listener stops tracking it. */
  ended: (session: S) => Promise<unknown>;
}

/**
 * A TCP or TLS listener whose connections each become a session on `sessions$`: the part every protocol's server
 * shares. `close()` stops listening and closes every live session (each drains its in-flight requests first).
 */
export class SessionListener<S extends { close(): Promise<unknown> }> {
  private readonly server: net.Server;
  private readonly subject = new Subject<S>();
  readonly sessions$: Observable<S> = this.subject.asObservable();
  private readonly live = new Set<S>();

  constructor(private readonly listenerOpts: SessionListenerOptions<S>) {
    const onSocket = (socket: net.Socket): void => {
      const session = listenerOpts.accept(socket);
      this.live.add(session);
      void listenerOpts.ended(session).then(() => this.live.delete(session));
      this.subject.next(session);
    };
    this.server = listenerOpts.tls ? tls.createServer(listenerOpts.tls, onSocket) : net.createServer(onSocket);
  }

  get sessions(): ReadonlySet<S> {
    return this.live;
  }

  listen(): Promise<{ port: number }> {
    const { port, host } = this.listenerOpts;
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        // Accept errors (EMFILE and the like) concern one connection attempt, not the listener: keep serving.
        this.server.on('error', () => undefined);
        const addr = this.server.address();
        resolve({ port: typeof addr === 'object' && addr ? addr.port : port });
      });
    });
  }

  async close(): Promise<void> {
    const stopped = new Promise<void>((r) => this.server.close(() => r()));
    await Promise.all([...this.live].map((s) => s.close()));
    this.subject.complete();
    await stopped;
  }
}
