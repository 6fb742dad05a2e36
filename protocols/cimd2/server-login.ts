import { ErrorCode } from './constants';
import { errorResponseTo, readLogin, responseTo, type Cimd2Packet } from './packet';
import type { Cimd2Session } from './session';
import type { Cimd2Authenticator, Cimd2AuthResult } from './session-types';

/**
 * MC side of 01 login: ask the authenticator, answer 51 (positive, or 900 with 100 by default) and close on
 * failure. A second login on a logged-in link is answered 51 with 900:1.
 */
export function runServerLogin(session: Cimd2Session, pkt: Cimd2Packet, auth: Cimd2Authenticator | undefined): void {
  if (!session.beginLogin()) {
    session.writePacket(errorResponseTo(pkt, ErrorCode.UNEXPECTED_OPERATION));
    return;
  }
  const fields = readLogin(pkt);
  const decide = async (): Promise<Cimd2AuthResult> => {
    if (!auth) return { ok: false, errorCode: ErrorCode.LOGIN_REFUSED };
    return auth({ ...fields, remoteAddress: session.transport.remoteAddress, packet: pkt });
  };
  decide()
    .catch((): Cimd2AuthResult => ({ ok: false, errorCode: ErrorCode.INVALID_LOGIN }))
    .then((res) => {
      if (session.state !== 'logging_in') return;
      if (res.ok) {
        session.writePacket(responseTo(pkt));
        session.onLoggedIn(fields.user);
        return;
      }
      const code = res.errorCode || ErrorCode.INVALID_LOGIN;
      session.writePacket(errorResponseTo(pkt, code, res.errorText));
      session.expectClose({ kind: 'bind_failed', status: code });
      // Close once the refusal is on the wire.
      session.transport
        .write(Buffer.alloc(0))
        .catch(() => undefined)
        .then(() => session.transport.close())
        .finally(() => session.finish({ kind: 'bind_failed', status: code }));
    });
}
