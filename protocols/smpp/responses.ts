import { CommandId, CommandStatus, commandNameOf, responseIdFor } from './constants';
import type { CommandName } from './constants';
import type { SmppPdu } from './pdu';

/** Names of the response PDUs (generic_nack included: it answers any request). */
export type SmppResponseName = Extract<CommandName, `${string}_resp`> | 'generic_nack';
export type SmppResponsePdu = Extract<SmppPdu, { command: SmppResponseName }>;
export type SmppRequestPdu = Exclude<SmppPdu, SmppResponsePdu>;
export type SmppRequestName = SmppRequestPdu['command'];

export function isResponsePdu(pdu: SmppPdu): pdu is SmppResponsePdu {
  return pdu.command === 'generic_nack' || pdu.command.endsWith('_resp');
}

/**
 * Status sent when the application has not answered an inbound request in time (inboundTimeoutMs).
 * SMSC side: ESME_RSYSERR: the message was not taken (it is not in the store), and clients retry system errors.
 * ESME side: ESME_RX_T_APPN: "receiver temporary error" asks the SMSC to redeliver later (smpp.md §11).
 */
export const INBOUND_TIMEOUT_STATUS = {
  smsc: CommandStatus.ESME_RSYSERR,
  esme: CommandStatus.ESME_RX_T_APPN,
} as const;

/**
 * The error response for a request with command id `requestId`: its own *_resp with `status` and an empty body,
 * or generic_nack when the request has no response of its own (outbind, alert_notification) or is unknown.
 * Bodies are kept (empty strings) rather than left out: every decoder we checked accepts them, some reject a
 * 16-octet bind_resp.
 */
export function errorResponseFor(requestId: number, status: number, sequenceNumber: number): SmppResponsePdu {
  const name = commandNameOf(responseIdFor(requestId));
  const h = { commandStatus: status, sequenceNumber };
  switch (name) {
    case 'bind_transmitter_resp':
    case 'bind_receiver_resp':
    case 'bind_transceiver_resp':
      return { command: name, ...h, systemId: '' };
    case 'submit_sm_resp':
    case 'deliver_sm_resp':
    case 'data_sm_resp':
      return { command: name, ...h, messageId: '' };
    case 'submit_multi_resp':
      return { command: name, ...h, messageId: '', unsuccess: [] };
    case 'query_sm_resp':
      return { command: name, ...h, messageId: '', finalDate: '', messageState: 0, errorCode: 0 };
    case 'unbind_resp':
    case 'enquire_link_resp':
    case 'cancel_sm_resp':
    case 'replace_sm_resp':
      return { command: name, ...h };
    default:
      return genericNack(status, sequenceNumber);
  }
}

export function genericNack(status: number, sequenceNumber: number): SmppResponsePdu {
  return { command: 'generic_nack', commandStatus: status, sequenceNumber };
}

/** The command id of the request a response answers (generic_nack gives 0). */
export function requestIdOf(resp: SmppResponsePdu): number {
  return (CommandId[resp.command] & 0x7fffffff) >>> 0;
}
