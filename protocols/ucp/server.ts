import type * as tls from 'node:tls';
import { SessionListener } from '../transport/session-listener';
import { TcpTransport } from '../transport/tcp';
import type { Transport } from '../transport/transport';
import type { TimerHandle } from '../wire/clock';
import { UcpEc } from './constants';
import { UcpFramer } from './framing';
import type { UcpOperation, UcpSessionManagement } from './pdu';
import { UcpSession, type UcpSessionOptions } from './session';

export interface UcpLoginRequest {
  oadc: string;
  /** PWD decoded from IRA hex. */
  password: string;
  remoteAddress: string | undefined;
  pdu: UcpSessionManagement;
}

export type UcpLoginVerdict = { ok: true } | { ok: false; ec?: string };

export type UcpAuthenticator = (req: UcpLoginRequest) => UcpLoginVerdict | Promise<UcpLoginVerdict>;

/**
 * SC side of one connection: answers OT 60 STYP 1 through `auth` (NACK 07 and close on failure, NACK 04 for any
 * other STYP or operation before login) and closes a connection not logged in within loginTimeoutMs.
 */
export function acceptUcpServerSession(transport: Transport, auth: UcpAuthenticator, opts: UcpSessionOptions = {}): UcpSession {
  const session = new UcpSession(transport, 'server', opts);
  const clock = session.options.clock;
  let loginTimer: TimerHandle | undefined = clock.setTimeout(() => {
    loginTimer = undefined;
    if (session.state === 'open' || session.state === 'logging_in') void session.close();
  }, session.options.loginTimeoutMs);
  void session.closed.then(() => {
    if (loginTimer) clock.clearTimeout(loginTimer);
  });
  session.loginHandler = (s: UcpSession, pdu: UcpOperation) => {
    if (pdu.ot !== '60') return;
    const header = { trn: pdu.trn, ot: pdu.ot };
    if (pdu.styp !== '1') {
      s.nack(header, UcpEc.OPERATION_NOT_ALLOWED);
      return;
    }
    s.setState('logging_in');
    const req: UcpLoginRequest = {
      oadc: pdu.oadc,
      password: Buffer.from(pdu.pwd, 'hex').toString('latin1'),
      remoteAddress: transport.remoteAddress,
      pdu,
    };
    const settle = (v: UcpLoginVerdict): void => {
      if (s.state !== 'logging_in') return;
      if (v.ok) {
        if (loginTimer) clock.clearTimeout(loginTimer);
        loginTimer = undefined;
        s.account = pdu.oadc;
        s.reply(header, { ack: true, sm: '' });
        s.setState('logged_in');
        s.emit({ type: 'bound', systemId: pdu.oadc, state: 'logged_in' });
      } else {
        s.nack(header, v.ec ?? UcpEc.AUTHENTICATION_FAILURE);
        s.setState('open');
        void s.close();
      }
    };
    let verdict: UcpLoginVerdict | Promise<UcpLoginVerdict>;
    try {
      verdict = auth(req);
    } catch {
      verdict = { ok: false, ec: UcpEc.SYSTEM_ERROR };
    }
    if (verdict instanceof Promise) verdict.then(settle, () => settle({ ok: false, ec: UcpEc.SYSTEM_ERROR }));
    else settle(verdict);
  };
  return session;
}

export interface UcpServerOptions {
  host?: string;
  port: number;
  tls?: tls.TlsOptions;
  auth: UcpAuthenticator;
  maxFrameBytes?: number;
  sessionOptions?: UcpSessionOptions;
}

/** Listens for large accounts; each connection becomes a server-side UcpSession on `sessions$`. */
export class UcpServer extends SessionListener<UcpSession> {
  constructor(opts: UcpServerOptions) {
    super({
      ...opts,
      accept: (socket) => {
        const framer = new UcpFramer({ ...(opts.maxFrameBytes !== undefined ? { maxFrameBytes: opts.maxFrameBytes } : {}) });
        return acceptUcpServerSession(new TcpTransport(socket, framer), opts.auth, opts.sessionOptions);
      },
      ended: (session) => session.closed,
    });
  }
}
