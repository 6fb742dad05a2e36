import * as net from 'node:net';
import * as tls from 'node:tls';
import { Subject, type Observable } from 'rxjs';
import { TcpTransport } from '../transport/tcp';
import type { Transport } from '../transport/transport';
import { TimeoutError } from '../wire/errors';
import { Cimd2Framer } from './framing';
import { Cimd2Session } from './session';
import type { Cimd2Authenticator, Cimd2SessionOptions } from './session-types';

/**
 * MC side of one connection: the session answers 01 through `auth` and closes a connection that has not logged in
 * within `loginTimeoutMs`.
 */
export function acceptCimd2ServerSession(
  transport: Transport,
  auth: Cimd2Authenticator,
  opts: Cimd2SessionOptions = {},
): Cimd2Session {
  const session = new Cimd2Session(transport, 'server', opts, auth);
  const clock = session.clock;
  const timer = clock.setTimeout(() => {
    if (session.state === 'open' || session.state === 'logging_in') {
      session.finish({ kind: 'error', error: new TimeoutError(`no login within ${session.loginTimeoutMs} ms`) });
    }
  }, session.loginTimeoutMs);
  const sub = session.events$.subscribe((e) => {
    if (e.type === 'bound' || e.type === 'closed') {
      clock.clearTimeout(timer);
      queueMicrotask(() => sub.unsubscribe());
    }
  });
  return session;
}

export interface Cimd2ServerOptions {
  host?: string;
  port: number;
  tls?: tls.TlsOptions;
  auth: Cimd2Authenticator;
  sessionOptions?: Cimd2SessionOptions;
  maxFrameBytes?: number;
}

/** Listens for SME connections; each becomes a server session on `sessions$`. */
export class Cimd2Server {
  private readonly server: net.Server;
  private readonly sessionsSubject = new Subject<Cimd2Session>();
  readonly sessions$: Observable<Cimd2Session> = this.sessionsSubject.asObservable();
  private readonly live = new Set<Cimd2Session>();

  constructor(private readonly opts: Cimd2ServerOptions) {
    const onSocket = (socket: net.Socket): void => {
      const transport = new TcpTransport(socket, new Cimd2Framer({ maxFrameBytes: opts.maxFrameBytes }));
      const session = acceptCimd2ServerSession(transport, opts.auth, opts.sessionOptions);
      this.live.add(session);
      void session.finished.then(() => this.live.delete(session));
      this.sessionsSubject.next(session);
    };
    this.server = opts.tls ? tls.createServer(opts.tls, onSocket) : net.createServer(onSocket);
  }

  get sessions(): ReadonlySet<Cimd2Session> {
    return this.live;
  }

  listen(): Promise<{ port: number }> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        resolve({ port: typeof addr === 'object' && addr ? addr.port : this.opts.port });
      });
    });
  }

  /** Stops listening and closes every session (each drains first). */
  async close(): Promise<void> {
    const closing = new Promise<void>((r) => this.server.close(() => r()));
    await Promise.all([...this.live].map((s) => s.close()));
    this.sessionsSubject.complete();
    await closing;
  }
}
