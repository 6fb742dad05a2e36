import type { Transport } from '../transport/transport';
import { CommandStatus, Tlv } from './constants';
import type { BindReceiver, BindTransceiver, BindTransmitter, TlvField } from './pdu';
import { errorResponseFor } from './responses';
import { CommandId } from './constants';
import { SmppSession } from './session';
import type { SmppSessionOptions } from './session';
import { BOUND_STATE_FOR, isBound } from './states';
import { TimeoutError } from '../wire/errors';
import type { BindCommand } from './states';

export type SmppBindPdu = BindTransmitter | BindReceiver | BindTransceiver;

export interface BindRequest {
  command: BindCommand;
  systemId: string;
  password: string;
  systemType: string;
  interfaceVersion: number;
  remoteAddress?: string;
  pdu: SmppBindPdu;
}

export type BindDecision =
  /** systemId: our id in the bind_resp (default 'tollgate'); tlvs: appended to the bind_resp (3.4+ peers only). */
  | { ok: true; systemId?: string; tlvs?: TlvField[] }
  /** status: ESME_RINVPASWD, ESME_RINVSYSID, ESME_RBINDFAIL, ... */
  | { ok: false; status: number };

export type BindAuthenticator = (req: BindRequest) => BindDecision | Promise<BindDecision>;

/** The interface version we announce in sc_interface_version: 3.4 (5.0 binds are accepted and answered as 3.4). */
export const OUR_INTERFACE_VERSION = 0x34;

/**
 * SMSC side of one accepted connection: waits for a bind (closing the connection after bindTimeoutMs), asks
 * `auth`, answers bind_*_resp, then runs as a bound session. A refused bind is answered with the auth status
 * and the connection is closed ({kind:'bind_failed'}).
 */
export function acceptServerSession(
  transport: Transport,
  auth: BindAuthenticator,
  opts?: SmppSessionOptions,
): SmppSession {
  const session = new SmppSession(transport, 'smsc', opts);
  session.bindRequestHandler = (pdu) => {
    if (pdu.command !== 'bind_transmitter' && pdu.command !== 'bind_receiver' && pdu.command !== 'bind_transceiver') return;
    handleBind(session, pdu, auth);
  };
  armBindTimer(session);
  return session;
}

/** Closes a connection that does not bind within bindTimeoutMs (0 = never). */
function armBindTimer(session: SmppSession): void {
  const { bindTimeoutMs, clock } = session.opts;
  if (bindTimeoutMs <= 0) return;
  const timer = clock.setTimeout(() => {
    if (!isBound(session.state) && session.state !== 'closed') {
      void session.fail({ kind: 'error', error: new TimeoutError(`not bound within ${bindTimeoutMs} ms`) });
    }
  }, bindTimeoutMs);
  const clear = (): void => clock.clearTimeout(timer);
  session.events$.subscribe({ next: (e) => e.type === 'bound' && clear(), complete: clear });
}

/**
 * A synchronous authenticator is answered synchronously: the bind_resp is queued and the session bound before the
 * next frame of the same chunk is read, so an ESME that pipelines a request behind its bind is served, not refused.
 */
function handleBind(session: SmppSession, pdu: SmppBindPdu, auth: BindAuthenticator): void {
  session.transition('binding');
  session.peerInterfaceVersion = pdu.interfaceVersion;
  let decision: BindDecision | Promise<BindDecision>;
  try {
    const req: BindRequest = {
      command: pdu.command,
      systemId: pdu.systemId,
      password: pdu.password,
      systemType: pdu.systemType,
      interfaceVersion: pdu.interfaceVersion,
      pdu,
    };
    if (session.transport.remoteAddress !== undefined) req.remoteAddress = session.transport.remoteAddress;
    decision = auth(req);
  } catch {
    decision = { ok: false, status: CommandStatus.ESME_RBINDFAIL };
  }
  if (decision instanceof Promise) {
    decision.then(
      (d) => answerBind(session, pdu, d),
      () => answerBind(session, pdu, { ok: false, status: CommandStatus.ESME_RBINDFAIL }),
    );
  } else {
    answerBind(session, pdu, decision);
  }
}

function answerBind(session: SmppSession, pdu: SmppBindPdu, decision: BindDecision): void {
  const seq = pdu.sequenceNumber;
  if (session.state !== 'binding') return; // the connection went away while we were deciding
  const respCommand = `${pdu.command}_resp` as const;
  if (!decision.ok) {
    const status = decision.status === 0 ? CommandStatus.ESME_RBINDFAIL : decision.status;
    session.writeResponse(errorResponseFor(CommandId[pdu.command], status, seq), seq);
    void session.fail({ kind: 'bind_failed', status });
    return;
  }
  // TLVs only to peers that speak 3.4 or later (smpp.md §6): a 3.3 ESME gets a bare bind_resp.
  const tlvs: TlvField[] = [];
  if (pdu.interfaceVersion >= 0x34) {
    tlvs.push({ tag: Tlv.sc_interface_version, value: Buffer.from([OUR_INTERFACE_VERSION]) });
    if (decision.tlvs) tlvs.push(...decision.tlvs);
  }
  const resp = { command: respCommand, commandStatus: 0, sequenceNumber: seq, systemId: decision.systemId ?? 'tollgate' };
  session.writeResponse(tlvs.length > 0 ? { ...resp, tlvs } : resp, seq);
  session.markBound(BOUND_STATE_FOR[pdu.command], pdu.systemId);
}
