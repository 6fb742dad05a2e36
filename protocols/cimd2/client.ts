import type { ConnectionOptions } from 'node:tls';
import { connectTcp } from '../transport/tcp';
import type { Transport } from '../transport/transport';
import { Cimd2Framer } from './framing';
import type { LoginFields } from './packet';
import { Cimd2Session } from './session';
import type { Cimd2SessionOptions } from './session-types';

/**
 * SME side: logs in on an open transport. Resolves with a logged-in session; rejects with RemoteError(900 code)
 * when the MC refuses (the session is then closed with {kind: 'bind_failed'}), or TimeoutError.
 */
export async function loginCimd2Client(
  transport: Transport,
  loginFields: LoginFields,
  opts: Cimd2SessionOptions = {},
): Promise<Cimd2Session> {
  const session = new Cimd2Session(transport, 'client', opts);
  await session.login(loginFields);
  return session;
}

export interface Cimd2ConnectOptions {
  host: string;
  port: number;
  tls?: ConnectionOptions;
  connectTimeoutMs?: number;
  login: LoginFields;
  /** Write checksums on this link (default true). */
  checksum?: boolean;
  maxFrameBytes?: number;
}

/** Connects over TCP (or TLS) and logs in. */
export async function connectCimd2Client(opts: Cimd2ConnectOptions, sessionOpts: Cimd2SessionOptions = {}): Promise<Cimd2Session> {
  const transport = await connectTcp(
    { host: opts.host, port: opts.port, tls: opts.tls, connectTimeoutMs: opts.connectTimeoutMs },
    new Cimd2Framer({ maxFrameBytes: opts.maxFrameBytes }),
  );
  return loginCimd2Client(transport, opts.login, { ...sessionOpts, checksum: opts.checksum ?? sessionOpts.checksum });
}
