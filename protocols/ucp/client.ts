import type { ConnectionOptions } from 'node:tls';
import { connectTcp } from '../transport/tcp';
import type { Transport } from '../transport/transport';
import { RemoteError } from '../wire/errors';
import type { UcpSessionManagement } from './pdu';
import { UcpFramer } from './framing';
import { UcpSession, type UcpSessionOptions } from './session';

export interface UcpLogin {
  /** Large-account number (OAdC of OT 60); also the AdC of keep-alive alerts. */
  oadc: string;
  password: string;
  oton?: string; // default '6' abbreviated
  onpi?: string; // default '5' private/TCP-IP
  styp?: string; // default '1' open session; '3' change password (with newPassword)
  newPassword?: string;
  vers?: string; // default '0100'
  opid?: string; // default ''
}

/** Password as IRA hex, two uppercase digits per character (`secret` -> `736563726574`). */
export function passwordHex(password: string): string {
  return Buffer.from(password, 'latin1').toString('hex').toUpperCase();
}

export function loginOperation(login: UcpLogin): Omit<UcpSessionManagement, 'trn'> {
  return {
    kind: 'O', ot: '60', oadc: login.oadc, oton: login.oton ?? '6', onpi: login.onpi ?? '5', styp: login.styp ?? '1',
    pwd: passwordHex(login.password), npwd: login.newPassword !== undefined ? passwordHex(login.newPassword) : '', vers: login.vers ?? '0100', ladc: '', lton: '', lnpi: '',
    opid: login.opid ?? '', res1: '',
  };
}

/**
 * Logs in over an open transport (large-account side). Resolves with a logged-in session; on a NACK (07 bad
 * credentials, 04 not allowed) or no answer it closes and rejects with RemoteError(EC) / TimeoutError.
 */
export async function loginUcpClient(transport: Transport, login: UcpLogin, opts: UcpSessionOptions = {}): Promise<UcpSession> {
  const session = new UcpSession(transport, 'client', opts);
  session.account = login.oadc;
  session.setState('logging_in');
  try {
    await session.sendRaw(loginOperation(login), session.options.loginTimeoutMs);
  } catch (err) {
    session.finish(err instanceof RemoteError ? { kind: 'bind_failed', status: err.status as string } : { kind: 'error', error: err as Error });
    throw err;
  }
  if (session.state !== 'logging_in') throw new RemoteError('04', 'session closed during login');
  session.setState('logged_in');
  session.emit({ type: 'bound', systemId: login.oadc, state: 'logged_in' });
  return session;
}

export interface UcpConnectOptions {
  host: string;
  port: number;
  tls?: ConnectionOptions;
  connectTimeoutMs?: number;
  maxFrameBytes?: number;
  login: UcpLogin;
}

/** Connects over TCP (or TLS) and logs in. Reconnecting is the gateway binder's job, not the session's. */
export async function connectUcpClient(opts: UcpConnectOptions, sessionOpts: UcpSessionOptions = {}): Promise<UcpSession> {
  const transport = await connectTcp(
    { host: opts.host, port: opts.port, tls: opts.tls ?? false, ...(opts.connectTimeoutMs !== undefined ? { connectTimeoutMs: opts.connectTimeoutMs } : {}) },
    new UcpFramer({ ...(opts.maxFrameBytes !== undefined ? { maxFrameBytes: opts.maxFrameBytes } : {}) }),
  );
  return loginUcpClient(transport, opts.login, sessionOpts);
}
