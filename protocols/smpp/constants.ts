/**
 * SMPP 3.4 numeric constants (smpp.md sections 3, 5, 6, 8, 9), plus the 5.0 broadcast PDUs, statuses and TLVs.
 */

export const CommandId = {
  generic_nack: 0x80000000,
  bind_receiver: 0x00000001,
  bind_receiver_resp: 0x80000001,
  bind_transmitter: 0x00000002,
  bind_transmitter_resp: 0x80000002,
  query_sm: 0x00000003,
  query_sm_resp: 0x80000003,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  unbind: 0x00000006,
  unbind_resp: 0x80000006,
  replace_sm: 0x00000007,
  replace_sm_resp: 0x80000007,
  cancel_sm: 0x00000008,
  cancel_sm_resp: 0x80000008,
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  outbind: 0x0000000b,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
  submit_multi: 0x00000021,
  submit_multi_resp: 0x80000021,
  alert_notification: 0x00000102,
  data_sm: 0x00000103,
  data_sm_resp: 0x80000103,
  // SMPP 5.0 (smpp.md section 14)
  broadcast_sm: 0x00000111,
  broadcast_sm_resp: 0x80000111,
  query_broadcast_sm: 0x00000112,
  query_broadcast_sm_resp: 0x80000112,
  cancel_broadcast_sm: 0x00000113,
  cancel_broadcast_sm_resp: 0x80000113,
} as const;

export type CommandName = keyof typeof CommandId;

const commandNames = new Map<number, CommandName>();
for (const name of Object.keys(CommandId) as CommandName[]) commandNames.set(CommandId[name], name);

/** The command name for a wire id, or undefined when the id is not one we decode. */
export function commandNameOf(commandId: number): CommandName | undefined {
  return commandNames.get(commandId);
}

export const CommandStatus = {
  ESME_ROK: 0x00,
  ESME_RINVMSGLEN: 0x01,
  ESME_RINVCMDLEN: 0x02,
  ESME_RINVCMDID: 0x03,
  ESME_RINVBNDSTS: 0x04,
  ESME_RALYBND: 0x05,
  ESME_RINVPRTFLG: 0x06,
  ESME_RINVREGDLVFLG: 0x07,
  ESME_RSYSERR: 0x08,
  ESME_RINVSRCADR: 0x0a,
  ESME_RINVDSTADR: 0x0b,
  ESME_RINVMSGID: 0x0c,
  ESME_RBINDFAIL: 0x0d,
  ESME_RINVPASWD: 0x0e,
  ESME_RINVSYSID: 0x0f,
  ESME_RCANCELFAIL: 0x11,
  ESME_RREPLACEFAIL: 0x13,
  ESME_RMSGQFUL: 0x14,
  ESME_RINVSERTYP: 0x15,
  ESME_RINVNUMDESTS: 0x33,
  ESME_RINVDLNAME: 0x34,
  ESME_RINVDESTFLAG: 0x40,
  ESME_RINVSUBREP: 0x42,
  ESME_RINVESMCLASS: 0x43,
  ESME_RCNTSUBDL: 0x44,
  ESME_RSUBMITFAIL: 0x45,
  ESME_RINVSRCTON: 0x48,
  ESME_RINVSRCNPI: 0x49,
  ESME_RINVDSTTON: 0x50,
  ESME_RINVDSTNPI: 0x51,
  ESME_RINVSYSTYP: 0x53,
  ESME_RINVREPFLAG: 0x54,
  ESME_RINVNUMMSGS: 0x55,
  ESME_RTHROTTLED: 0x58,
  ESME_RINVSCHED: 0x61,
  ESME_RINVEXPIRY: 0x62,
  ESME_RINVDFTMSGID: 0x63,
  ESME_RX_T_APPN: 0x64,
  ESME_RX_P_APPN: 0x65,
  ESME_RX_R_APPN: 0x66,
  ESME_RQUERYFAIL: 0x67,
  ESME_RINVOPTPARSTREAM: 0xc0,
  ESME_ROPTPARNOTALLWD: 0xc1,
  ESME_RINVPARLEN: 0xc2,
  ESME_RMISSINGOPTPARAM: 0xc3,
  ESME_RINVOPTPARAMVAL: 0xc4,
  ESME_RDELIVERYFAILURE: 0xfe,
  ESME_RUNKNOWNERR: 0xff,
  // 5.0 additions
  ESME_RSERTYPUNAUTH: 0x100,
  ESME_RPROHIBITED: 0x101,
  ESME_RSERTYPUNAVAIL: 0x102,
  ESME_RSERTYPDENIED: 0x103,
  ESME_RINVDCS: 0x104,
  ESME_RINVSRCADDRSUBUNIT: 0x105,
  ESME_RINVDSTADDRSUBUNIT: 0x106,
  // 5.0 names for 0xC0-0xC4; statusName() prefers the 3.4 names above (first wins).
  ESME_RINVTLVSTREAM: 0xc0,
  ESME_RTLVNOTALLWD: 0xc1,
  ESME_RINVTLVLEN: 0xc2,
  ESME_RMISSINGTLV: 0xc3,
  ESME_RINVTLVVAL: 0xc4,
} as const;

export type CommandStatusName = keyof typeof CommandStatus;

const statusNames = new Map<number, string>();
for (const name of Object.keys(CommandStatus) as CommandStatusName[]) {
  const v = CommandStatus[name];
  if (!statusNames.has(v)) statusNames.set(v, name);
}

/** 'ESME_RTHROTTLED' for a known status, otherwise the hex form '0x000000xx'. */
export function statusName(status: number): string {
  return statusNames.get(status) ?? `0x${(status >>> 0).toString(16).padStart(8, '0')}`;
}

export const Tlv = {
  dest_addr_subunit: 0x0005,
  dest_network_type: 0x0006,
  dest_bearer_type: 0x0007,
  dest_telematics_id: 0x0008,
  source_addr_subunit: 0x000d,
  source_network_type: 0x000e,
  source_bearer_type: 0x000f,
  source_telematics_id: 0x0010,
  qos_time_to_live: 0x0017,
  payload_type: 0x0019,
  additional_status_info_text: 0x001d,
  receipted_message_id: 0x001e,
  ms_msg_wait_facilities: 0x0030,
  privacy_indicator: 0x0201,
  source_subaddress: 0x0202,
  dest_subaddress: 0x0203,
  user_message_reference: 0x0204,
  user_response_code: 0x0205,
  source_port: 0x020a,
  destination_port: 0x020b,
  sar_msg_ref_num: 0x020c,
  language_indicator: 0x020d,
  sar_total_segments: 0x020e,
  sar_segment_seqnum: 0x020f,
  sc_interface_version: 0x0210,
  callback_num_pres_ind: 0x0302,
  callback_num_atag: 0x0303,
  number_of_messages: 0x0304,
  callback_num: 0x0381,
  dpf_result: 0x0420,
  set_dpf: 0x0421,
  ms_availability_status: 0x0422,
  network_error_code: 0x0423,
  message_payload: 0x0424,
  delivery_failure_reason: 0x0425,
  more_messages_to_send: 0x0426,
  message_state: 0x0427,
  congestion_state: 0x0428,
  ussd_service_op: 0x0501,
  display_time: 0x1201,
  sms_signal: 0x1203,
  ms_validity: 0x1204,
  alert_on_message_delivery: 0x130c,
  its_reply_type: 0x1380,
  its_session_info: 0x1383,
  // 5.0
  broadcast_channel_indicator: 0x0600,
  broadcast_content_type: 0x0601,
  broadcast_content_type_info: 0x0602,
  broadcast_message_class: 0x0603,
  broadcast_rep_num: 0x0604,
  broadcast_frequency_interval: 0x0605,
  broadcast_area_identifier: 0x0606,
  broadcast_error_status: 0x0607,
  broadcast_area_success: 0x0608,
  broadcast_end_time: 0x0609,
  broadcast_service_group: 0x060a,
  billing_identification: 0x060b,
  source_network_id: 0x060d,
  dest_network_id: 0x060e,
  source_node_id: 0x060f,
  dest_node_id: 0x0610,
} as const;

export type TlvName = keyof typeof Tlv;

/** Allowed value length [min, max] of known TLVs (smpp.md section 6); unknown tags take any length. */
export const TlvValueSize: ReadonlyMap<number, readonly [number, number]> = new Map<number, readonly [number, number]>([
  [Tlv.dest_addr_subunit, [1, 1]],
  [Tlv.dest_network_type, [1, 1]],
  [Tlv.dest_bearer_type, [1, 1]],
  [Tlv.dest_telematics_id, [2, 2]],
  [Tlv.source_addr_subunit, [1, 1]],
  [Tlv.source_network_type, [1, 1]],
  [Tlv.source_bearer_type, [1, 1]],
  // Kannel writes 1 octet, Wireshark reads 2: accept both.
  [Tlv.source_telematics_id, [1, 2]],
  [Tlv.qos_time_to_live, [4, 4]],
  [Tlv.payload_type, [1, 1]],
  [Tlv.additional_status_info_text, [1, 256]],
  // C(65) by the spec, but many SMSCs leave out the NUL: accept 0..65 and strip a trailing NUL when reading.
  [Tlv.receipted_message_id, [0, 65]],
  [Tlv.ms_msg_wait_facilities, [1, 1]],
  [Tlv.privacy_indicator, [1, 1]],
  [Tlv.source_subaddress, [2, 23]],
  [Tlv.dest_subaddress, [2, 23]],
  [Tlv.user_message_reference, [2, 2]],
  [Tlv.user_response_code, [1, 1]],
  [Tlv.source_port, [2, 2]],
  [Tlv.destination_port, [2, 2]],
  [Tlv.sar_msg_ref_num, [2, 2]],
  [Tlv.language_indicator, [1, 1]],
  [Tlv.sar_total_segments, [1, 1]],
  [Tlv.sar_segment_seqnum, [1, 1]],
  [Tlv.sc_interface_version, [1, 1]],
  [Tlv.callback_num_pres_ind, [1, 1]],
  [Tlv.callback_num_atag, [0, 65]],
  [Tlv.number_of_messages, [1, 1]],
  [Tlv.callback_num, [4, 19]],
  [Tlv.dpf_result, [1, 1]],
  [Tlv.set_dpf, [1, 1]],
  [Tlv.ms_availability_status, [1, 1]],
  [Tlv.network_error_code, [3, 3]],
  [Tlv.delivery_failure_reason, [1, 1]],
  [Tlv.more_messages_to_send, [1, 1]],
  [Tlv.message_state, [1, 1]],
  [Tlv.congestion_state, [1, 1]],
  [Tlv.ussd_service_op, [1, 1]],
  [Tlv.display_time, [1, 1]],
  [Tlv.sms_signal, [2, 2]],
  [Tlv.ms_validity, [1, 1]],
  // 0 octets in 3.4, 1 octet in 5.0.
  [Tlv.alert_on_message_delivery, [0, 1]],
  [Tlv.its_reply_type, [1, 1]],
  [Tlv.its_session_info, [2, 2]],
  [Tlv.broadcast_channel_indicator, [1, 1]],
  // network type I(1) + content type I(2)
  [Tlv.broadcast_content_type, [3, 3]],
  [Tlv.broadcast_message_class, [1, 1]],
  [Tlv.broadcast_rep_num, [2, 2]],
  // time unit I(1) + number I(2)
  [Tlv.broadcast_frequency_interval, [3, 3]],
  [Tlv.broadcast_error_status, [4, 4]],
  [Tlv.broadcast_area_success, [1, 1]],
]);

export const EsmClass = {
  MODE_DEFAULT: 0x00,
  MODE_DATAGRAM: 0x01,
  MODE_FORWARD: 0x02,
  MODE_STORE_AND_FORWARD: 0x03,
  MODE_MASK: 0x03,
  TYPE_DEFAULT: 0x00,
  TYPE_SMSC_DELIVERY_RECEIPT: 0x04,
  TYPE_SME_DELIVERY_ACK: 0x08,
  TYPE_SME_USER_ACK: 0x10,
  TYPE_CONVERSATION_ABORT: 0x18,
  TYPE_INTERMEDIATE_NOTIFICATION: 0x20,
  TYPE_MASK: 0x3c,
  UDHI: 0x40,
  REPLY_PATH: 0x80,
} as const;

export const RegisteredDelivery = {
  NONE: 0x00,
  SMSC_RECEIPT_ALWAYS: 0x01,
  SMSC_RECEIPT_ON_FAILURE: 0x02,
  SMSC_RECEIPT_ON_SUCCESS: 0x03,
  SMSC_RECEIPT_MASK: 0x03,
  SME_DELIVERY_ACK: 0x04,
  SME_USER_ACK: 0x08,
  SME_ACK_MASK: 0x0c,
  INTERMEDIATE_NOTIFICATION: 0x10,
} as const;

export const MessageState = {
  SCHEDULED: 0,
  ENROUTE: 1,
  DELIVERED: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIVERABLE: 5,
  ACCEPTED: 6,
  UNKNOWN: 7,
  REJECTED: 8,
  SKIPPED: 9,
} as const;

export const DataCoding = {
  DEFAULT: 0x00,
  IA5: 0x01,
  BINARY_2: 0x02,
  LATIN1: 0x03,
  BINARY: 0x04,
  JIS: 0x05,
  CYRILLIC: 0x06,
  HEBREW: 0x07,
  UCS2: 0x08,
  PICTOGRAM: 0x09,
  ISO_2022_JP: 0x0a,
  EXTENDED_KANJI: 0x0d,
  KS_C_5601: 0x0e,
} as const;

export const InterfaceVersion = { V33: 0x33, V34: 0x34, V50: 0x50 } as const;

export const Ton = {
  UNKNOWN: 0,
  INTERNATIONAL: 1,
  NATIONAL: 2,
  NETWORK_SPECIFIC: 3,
  SUBSCRIBER_NUMBER: 4,
  ALPHANUMERIC: 5,
  ABBREVIATED: 6,
} as const;

export const Npi = {
  UNKNOWN: 0,
  ISDN: 1,
  DATA: 3,
  TELEX: 4,
  LAND_MOBILE: 6,
  NATIONAL: 8,
  PRIVATE: 9,
  ERMES: 10,
  INTERNET: 14,
  WAP_CLIENT_ID: 18,
} as const;

export const RESPONSE_BIT = 0x80000000;

export function isResponse(commandId: number): boolean {
  return (commandId & RESPONSE_BIT) !== 0;
}

export function responseIdFor(commandId: number): number {
  return (commandId | RESPONSE_BIT) >>> 0;
}
