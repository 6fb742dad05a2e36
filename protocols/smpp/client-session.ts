import type { ConnectionOptions } from 'node:tls';
import { connectTcp } from '../transport/tcp';
import type { Transport } from '../transport/transport';
import type { TimerHandle } from '../wire/clock';
import { ConnectionClosedError, PduDecodeError, RemoteError, TimeoutError } from '../wire/errors';
import { CommandStatus, Tlv } from './constants';
import { SmppFramer } from './framing';
import { getTlv } from './pdu';
import type { BindReceiver, BindTransceiver, BindTransmitter } from './pdu';
import { genericNack } from './responses';
import { SmppSession } from './session';
import type { SmppSessionOptions } from './session';
import { BIND_COMMAND, BOUND_STATE_FOR } from './states';
import type { BindType } from './states';

export interface SmppBindParams {
  systemId: string;
  password: string;
  systemType?: string;
  bindType: BindType;
  /** Default 0x34 (SMPP 3.4). */
  interfaceVersion?: number;
  addrTon?: number;
  addrNpi?: number;
  addressRange?: string;
}

/**
 * ESME side: binds over an already connected transport. Resolves in a bound_* state; rejects with RemoteError(status)
 * when the SMSC refuses (the session is closed with {kind:'bind_failed'}), or TimeoutError after bindTimeoutMs.
 */
export async function bindClient(
  transport: Transport,
  bind: SmppBindParams,
  opts?: SmppSessionOptions,
): Promise<SmppSession> {
  const session = new SmppSession(transport, 'esme', opts);
  return bindOn(session, bind);
}

async function bindOn(session: SmppSession, bind: SmppBindParams): Promise<SmppSession> {
  const command = BIND_COMMAND[bind.bindType];
  const pdu: BindTransmitter | BindReceiver | BindTransceiver = {
    command,
    commandStatus: 0,
    sequenceNumber: 0,
    systemId: bind.systemId,
    password: bind.password,
    systemType: bind.systemType ?? '',
    interfaceVersion: bind.interfaceVersion ?? 0x34,
    addrTon: bind.addrTon ?? 0,
    addrNpi: bind.addrNpi ?? 0,
    addressRange: bind.addressRange ?? '',
  };
  session.transition('binding');
  let bound = false;
  session.bindResponseHandler = (resp) => {
    if (session.state !== 'binding') return;
    bound = true;
    const version = getTlv(resp, Tlv.sc_interface_version);
    // Absent sc_interface_version means a 3.3 SMSC (3.4 §5.2.4): it must not get TLVs from us.
    session.peerInterfaceVersion = version && version.length === 1 ? version[0] : 0x33;
    session.markBound(BOUND_STATE_FOR[command], 'systemId' in resp ? resp.systemId : '');
  };
  try {
    await session.dispatch(pdu, session.opts.bindTimeoutMs);
    // Bound even if the peer unbinds in the same segment: the caller then sees the session close as usual.
    if (!bound) throw new RemoteError(0, `session ${session.state} while binding`);
    return session;
  } catch (err) {
    session.bindResponseHandler = undefined;
    const reason = err instanceof RemoteError && err.status !== 0
      ? { kind: 'bind_failed' as const, status: err.status }
      : { kind: 'error' as const, error: err instanceof Error ? err : new Error(String(err)) };
    await session.fail(reason);
    throw err;
  }
}

export interface SmppOutbindParams extends Omit<SmppBindParams, 'bindType'> {
  /** How to bind back: receiver (SMPP 3.4) or transceiver (5.0). Default receiver. */
  bindType?: 'receiver' | 'transceiver';
  /** When set, an outbind whose system_id / password differ is refused (generic_nack ESME_RBINDFAIL) and we close. */
  expectSystemId?: string;
  expectPassword?: string;
}

/**
 * ESME side of an outbind (smpp.md section 3): on a connection the SMSC opened to us, wait for its outbind (up to
 * bindTimeoutMs), then bind back as receiver with our credentials. Resolves bound; rejects with TimeoutError when
 * no outbind comes, RemoteError(status) when the bind is refused, or PduDecodeError(ESME_RBINDFAIL) for an outbind
 * with unexpected credentials. The session is closed on any failure.
 */
export function acceptOutbind(
  transport: Transport,
  params: SmppOutbindParams,
  opts?: SmppSessionOptions,
): Promise<SmppSession> {
  const session = new SmppSession(transport, 'esme', opts);
  const clock = session.opts.clock;
  return new Promise<SmppSession>((resolve, reject) => {
    let timer: TimerHandle | undefined;
    let settled = false;
    const giveUp = (err: Error): void => {
      if (settled) return;
      settled = true;
      if (timer) clock.clearTimeout(timer);
      session.outbindHandler = undefined;
      void session.fail({ kind: 'error', error: err }).then(() => reject(err));
    };
    if (session.opts.bindTimeoutMs > 0) {
      timer = clock.setTimeout(() => giveUp(new TimeoutError(`no outbind within ${session.opts.bindTimeoutMs} ms`)), session.opts.bindTimeoutMs);
    }
    void session.closed.then(() => giveUp(new ConnectionClosedError('closed before outbind')));
    session.outbindHandler = (pdu) => {
      if (pdu.command !== 'outbind' || settled) return;
      if (timer) clock.clearTimeout(timer);
      timer = undefined;
      session.outbindHandler = undefined;
      const badId = params.expectSystemId !== undefined && params.expectSystemId !== pdu.systemId;
      const badPass = params.expectPassword !== undefined && params.expectPassword !== pdu.password;
      if (badId || badPass) {
        const seq = pdu.sequenceNumber;
        session.writeResponse(genericNack(CommandStatus.ESME_RBINDFAIL, seq), seq);
        giveUp(new PduDecodeError<number>(CommandStatus.ESME_RBINDFAIL, 'outbind with unexpected credentials'));
        return;
      }
      settled = true;
      bindOn(session, { ...params, bindType: params.bindType ?? 'receiver' }).then(resolve, reject);
    };
  });
}

export interface SmppConnectParams extends SmppBindParams {
  host: string;
  port: number;
  tls?: ConnectionOptions;
  connectTimeoutMs?: number;
  /** Largest PDU accepted from the SMSC; default DEFAULT_MAX_PDU_BYTES (framing.ts). */
  maxPduBytes?: number;
}

/** Connects over TCP (or TLS) and binds. */
export async function connectClient(params: SmppConnectParams, sessionOpts?: SmppSessionOptions): Promise<SmppSession> {
  const framer = new SmppFramer(params.maxPduBytes !== undefined ? { maxPduBytes: params.maxPduBytes } : undefined);
  const transport = await connectTcp(
    { host: params.host, port: params.port, tls: params.tls ?? false, connectTimeoutMs: params.connectTimeoutMs },
    framer,
  );
  return bindClient(transport, params, sessionOpts);
}
