import * as net from 'node:net';
import * as tls from 'node:tls';
import { Subject } from 'rxjs';
import type { Observable } from 'rxjs';
import { TcpTransport } from '../transport/tcp';
import type { TcpTransportOptions } from '../transport/tcp';
import { SmppFramer } from './framing';
import { acceptServerSession } from './server-session';
import type { BindAuthenticator } from './server-session';
import type { SmppSession, SmppSessionOptions } from './session';

export interface SmppServerOptions {
  host?: string;
  port: number;
  /** TLS server options (key, cert, ...); plain TCP when absent. */
  tls?: tls.TlsOptions;
  auth: BindAuthenticator;
  sessionOptions?: SmppSessionOptions;
  transportOptions?: TcpTransportOptions;
  maxPduBytes?: number;
  /** Connections beyond this are refused at accept; default 1000. */
  maxConnections?: number;
}

/** SMSC-side listener: one SmppSession per accepted connection, emitted on sessions$ before it binds. */
export class SmppServer {
  private readonly sessionsSubject = new Subject<SmppSession>();
  readonly sessions$: Observable<SmppSession> = this.sessionsSubject.asObservable();
  private readonly live = new Set<SmppSession>();
  private server: net.Server | undefined;

  constructor(private readonly opts: SmppServerOptions) {}

  /** Sessions currently connected. */
  get sessions(): ReadonlySet<SmppSession> {
    return this.live;
  }

  listen(): Promise<{ port: number }> {
    const onSocket = (socket: net.Socket): void => this.accept(socket);
    const server = this.opts.tls ? tls.createServer(this.opts.tls, onSocket) : net.createServer(onSocket);
    server.maxConnections = this.opts.maxConnections ?? 1000;
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        const addr = server.address();
        resolve({ port: typeof addr === 'object' && addr ? addr.port : this.opts.port });
      });
    });
  }

  private accept(socket: net.Socket): void {
    const framer = new SmppFramer(this.opts.maxPduBytes !== undefined ? { maxPduBytes: this.opts.maxPduBytes } : undefined);
    const transport = new TcpTransport(socket, framer, this.opts.transportOptions);
    const session = acceptServerSession(transport, this.opts.auth, this.opts.sessionOptions);
    this.live.add(session);
    void session.closed.then(() => this.live.delete(session));
    this.sessionsSubject.next(session);
  }

  /** Stops accepting, unbinds every session (each drains its in-flight requests first), then closes the listener. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closing = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve();
    await Promise.all([...this.live].map((s) => s.close()));
    await closing;
    this.sessionsSubject.complete();
  }
}
