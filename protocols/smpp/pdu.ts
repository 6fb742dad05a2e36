import type { CommandName } from './constants';

/** An optional parameter as it appeared on the wire; unknown tags are kept so re-encoding preserves them. */
export interface TlvField {
  tag: number;
  value: Buffer;
}

interface Header<C extends CommandName> {
  command: C;
  commandStatus: number;
  sequenceNumber: number;
  /** Absent when the PDU carried no TLVs; encoded in this order. */
  tlvs?: TlvField[];
}

export interface BindBody {
  systemId: string;
  password: string;
  systemType: string;
  interfaceVersion: number;
  addrTon: number;
  addrNpi: number;
  addressRange: string;
}

export interface BindTransmitter extends Header<'bind_transmitter'>, BindBody {}
export interface BindReceiver extends Header<'bind_receiver'>, BindBody {}
export interface BindTransceiver extends Header<'bind_transceiver'>, BindBody {}
/** On a non-zero status the body is often absent: systemId decodes as ''. */
export interface BindTransmitterResp extends Header<'bind_transmitter_resp'> {
  systemId: string;
}
export interface BindReceiverResp extends Header<'bind_receiver_resp'> {
  systemId: string;
}
export interface BindTransceiverResp extends Header<'bind_transceiver_resp'> {
  systemId: string;
}
export interface Outbind extends Header<'outbind'> {
  systemId: string;
  password: string;
}

export type Unbind = Header<'unbind'>;
export type UnbindResp = Header<'unbind_resp'>;
export type EnquireLink = Header<'enquire_link'>;
export type EnquireLinkResp = Header<'enquire_link_resp'>;
export type GenericNack = Header<'generic_nack'>;

/** esm_class .. short_message, shared by submit_sm, deliver_sm and submit_multi. */
export interface MessageBody {
  esmClass: number;
  protocolId: number;
  priorityFlag: number;
  scheduleDeliveryTime: string;
  validityPeriod: string;
  registeredDelivery: number;
  replaceIfPresentFlag: number;
  dataCoding: number;
  smDefaultMsgId: number;
  /** Up to 254 octets; empty when the text travels in message_payload. May be a view into the decoded frame. */
  shortMessage: Buffer;
}

export interface SmBody extends MessageBody {
  serviceType: string;
  sourceAddrTon: number;
  sourceAddrNpi: number;
  sourceAddr: string;
  destAddrTon: number;
  destAddrNpi: number;
  destinationAddr: string;
}

export interface SubmitSm extends Header<'submit_sm'>, SmBody {}
export interface DeliverSm extends Header<'deliver_sm'>, SmBody {}
export interface SubmitSmResp extends Header<'submit_sm_resp'> {
  messageId: string;
}
/** messageId is always '' in practice (one NUL). */
export interface DeliverSmResp extends Header<'deliver_sm_resp'> {
  messageId: string;
}

export interface DataSm extends Header<'data_sm'> {
  serviceType: string;
  sourceAddrTon: number;
  sourceAddrNpi: number;
  sourceAddr: string;
  destAddrTon: number;
  destAddrNpi: number;
  destinationAddr: string;
  esmClass: number;
  registeredDelivery: number;
  dataCoding: number;
}
export interface DataSmResp extends Header<'data_sm_resp'> {
  messageId: string;
}

export type MultiDestAddress = { kind: 'sme'; ton: number; npi: number; addr: string } | { kind: 'dl'; name: string };

export interface UnsuccessSme {
  ton: number;
  npi: number;
  addr: string;
  errorStatusCode: number;
}

export interface SubmitMulti extends Header<'submit_multi'>, MessageBody {
  serviceType: string;
  sourceAddrTon: number;
  sourceAddrNpi: number;
  sourceAddr: string;
  /** 1..254 destinations. */
  destAddresses: MultiDestAddress[];
}
export interface SubmitMultiResp extends Header<'submit_multi_resp'> {
  messageId: string;
  unsuccess: UnsuccessSme[];
}

export interface QuerySm extends Header<'query_sm'> {
  messageId: string;
  sourceAddrTon: number;
  sourceAddrNpi: number;
  sourceAddr: string;
}
export interface QuerySmResp extends Header<'query_sm_resp'> {
  messageId: string;
  finalDate: string;
  messageState: number;
  errorCode: number;
}

export interface CancelSm extends Header<'cancel_sm'> {
  serviceType: string;
  messageId: string;
  sourceAddrTon: number;
  sourceAddrNpi: number;
  sourceAddr: string;
  destAddrTon: number;
  destAddrNpi: number;
  destinationAddr: string;
}
export type CancelSmResp = Header<'cancel_sm_resp'>;

export interface ReplaceSm extends Header<'replace_sm'> {
  messageId: string;
  sourceAddrTon: number;
  sourceAddrNpi: number;
  sourceAddr: string;
  scheduleDeliveryTime: string;
  validityPeriod: string;
  registeredDelivery: number;
  smDefaultMsgId: number;
  shortMessage: Buffer;
}
export type ReplaceSmResp = Header<'replace_sm_resp'>;

export interface AlertNotification extends Header<'alert_notification'> {
  sourceAddrTon: number;
  sourceAddrNpi: number;
  sourceAddr: string;
  esmeAddrTon: number;
  esmeAddrNpi: number;
  esmeAddr: string;
}

/** SMPP 5.0 broadcast_sm; broadcast_area_identifier, broadcast_content_type, broadcast_rep_num and
 * broadcast_frequency_interval TLVs are mandatory. */
export interface BroadcastSm extends Header<'broadcast_sm'> {
  serviceType: string;
  sourceAddrTon: number;
  sourceAddrNpi: number;
  sourceAddr: string;
  messageId: string;
  priorityFlag: number;
  scheduleDeliveryTime: string;
  validityPeriod: string;
  replaceIfPresentFlag: number;
  dataCoding: number;
  smDefaultMsgId: number;
}
export interface BroadcastSmResp extends Header<'broadcast_sm_resp'> {
  messageId: string;
}
export interface QueryBroadcastSm extends Header<'query_broadcast_sm'> {
  messageId: string;
  sourceAddrTon: number;
  sourceAddrNpi: number;
  sourceAddr: string;
}
/** message_state, broadcast_area_identifier and broadcast_area_success TLVs are mandatory on success. */
export interface QueryBroadcastSmResp extends Header<'query_broadcast_sm_resp'> {
  messageId: string;
}
export interface CancelBroadcastSm extends Header<'cancel_broadcast_sm'> {
  serviceType: string;
  messageId: string;
  sourceAddrTon: number;
  sourceAddrNpi: number;
  sourceAddr: string;
}
export type CancelBroadcastSmResp = Header<'cancel_broadcast_sm_resp'>;

export type SmppPdu =
  | GenericNack
  | BindReceiver
  | BindReceiverResp
  | BindTransmitter
  | BindTransmitterResp
  | BindTransceiver
  | BindTransceiverResp
  | Outbind
  | QuerySm
  | QuerySmResp
  | SubmitSm
  | SubmitSmResp
  | DeliverSm
  | DeliverSmResp
  | Unbind
  | UnbindResp
  | ReplaceSm
  | ReplaceSmResp
  | CancelSm
  | CancelSmResp
  | EnquireLink
  | EnquireLinkResp
  | SubmitMulti
  | SubmitMultiResp
  | AlertNotification
  | DataSm
  | DataSmResp
  | BroadcastSm
  | BroadcastSmResp
  | QueryBroadcastSm
  | QueryBroadcastSmResp
  | CancelBroadcastSm
  | CancelBroadcastSmResp;

export type SmppPduOf<C extends CommandName> = Extract<SmppPdu, { command: C }>;

/** Every command name has exactly one PDU type (fails to compile if the union and CommandId drift apart). */
type MissingPdu = Exclude<CommandName, SmppPdu['command']>;
const everyCommandHasAPdu: MissingPdu extends never ? true : never = true;
void everyCommandHasAPdu;

/** The first TLV with `tag`, or undefined. */
export function getTlv(pdu: { tlvs?: TlvField[] }, tag: number): Buffer | undefined {
  const tlvs = pdu.tlvs;
  if (tlvs === undefined) return undefined;
  for (let i = 0; i < tlvs.length; i++) if (tlvs[i]!.tag === tag) return tlvs[i]!.value;
  return undefined;
}

/** A copy of `pdu` with the TLV `tag` set to `value` (replaced in place if present, else appended). */
export function withTlv<P extends { tlvs?: TlvField[] }>(pdu: P, tag: number, value: Buffer): P {
  const tlvs = pdu.tlvs ? pdu.tlvs.slice() : [];
  const i = tlvs.findIndex((t) => t.tag === tag);
  if (i >= 0) tlvs[i] = { tag, value };
  else tlvs.push({ tag, value });
  return { ...pdu, tlvs };
}

/** A copy of `pdu` without TLV `tag`. */
export function withoutTlv<P extends { tlvs?: TlvField[] }>(pdu: P, tag: number): P {
  if (!pdu.tlvs) return pdu;
  const tlvs = pdu.tlvs.filter((t) => t.tag !== tag);
  const copy = { ...pdu };
  if (tlvs.length > 0) copy.tlvs = tlvs;
  else delete copy.tlvs;
  return copy;
}
