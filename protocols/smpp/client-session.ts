import type { ConnectionOptions } from 'node:tls';
import { connectTcp } from '../transport/tcp';
import type { Transport } from '../transport/transport';
import { RemoteError } from '../wire/errors';
import { Tlv } from './constants';
import { SmppFramer } from './framing';
import { getTlv } from './pdu';
import type { BindReceiver, BindTransceiver, BindTransmitter } from './pdu';
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
  try {
    const resp = await session.dispatch(pdu, session.opts.bindTimeoutMs);
    if (session.state !== 'binding') throw new RemoteError(0, `session ${session.state} while binding`);
    const version = getTlv(resp, Tlv.sc_interface_version);
    // Absent sc_interface_version means a 3.3 SMSC (3.4 §5.2.4): it must not get TLVs from us.
    session.peerInterfaceVersion = version && version.length === 1 ? version[0] : 0x33;
    session.markBound(BOUND_STATE_FOR[command], 'systemId' in resp ? resp.systemId : '');
    return session;
  } catch (err) {
    const reason = err instanceof RemoteError && err.status !== 0
      ? { kind: 'bind_failed' as const, status: err.status }
      : { kind: 'error' as const, error: err instanceof Error ? err : new Error(String(err)) };
    await session.fail(reason);
    throw err;
  }
}

export interface SmppConnectParams extends SmppBindParams {
  host: string;
  port: number;
  tls?: ConnectionOptions;
  connectTimeoutMs?: number;
  /** Largest PDU accepted from the SMSC; default 65536. */
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
