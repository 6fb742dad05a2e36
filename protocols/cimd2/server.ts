import type * as tls from 'node:tls';
import { SessionListener } from '../transport/session-listener';
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
export class Cimd2Server extends SessionListener<Cimd2Session> {
  constructor(opts: Cimd2ServerOptions) {
    super({
      ...opts,
      accept: (socket) => {
        const transport = new TcpTransport(socket, new Cimd2Framer({ maxFrameBytes: opts.maxFrameBytes }));
        return acceptCimd2ServerSession(transport, opts.auth, opts.sessionOptions);
      },
      ended: (session) => session.finished,
    });
  }
}
