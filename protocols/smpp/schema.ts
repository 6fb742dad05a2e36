import { CommandStatus, EsmClass, Tlv, type CommandName } from './constants';
import type { BindBody, MessageBody, SmBody, SmppPduOf } from './pdu';

/**
 * The mandatory body of every PDU as a table: one entry per wire field, with its type, its maximum and the
 * command_status to answer when it does not decode. codec.ts interprets the table; the types below tie every
 * field name to the PDU interface, so a renamed or mistyped field fails to compile.
 */

type HeaderKey = 'command' | 'commandStatus' | 'sequenceNumber' | 'tlvs';
type Body<C extends CommandName> = Omit<SmppPduOf<C>, HeaderKey>;
type KeysOfType<T, V> = { [K in keyof T]-?: T[K] extends V ? K : never }[keyof T] & string;

export const FieldKind = {
  U8: 0,
  CSTRING: 1,
  /** C-Octet String (17) holding an SMPP absolute or relative time, or empty. */
  TIME: 2,
  /** sm_length + short_message. */
  SHORT_MESSAGE: 3,
  /** number_of_dests + dest_address list (submit_multi). */
  DEST_ADDRESSES: 4,
  /** no_unsuccess + unsuccess_sme list (submit_multi_resp). */
  UNSUCCESS: 5,
} as const;

export type Field<B> =
  | { kind: typeof FieldKind.U8; name: KeysOfType<B, number>; wire: string }
  | {
      kind: typeof FieldKind.CSTRING | typeof FieldKind.TIME;
      name: KeysOfType<B, string>;
      wire: string;
      /** Decode limit in octets including the NUL. */
      max: number;
      /** Encode limit when stricter than the decode limit (disputed maxima: be lenient in, strict out). */
      encodeMax?: number;
      status: number;
    }
  | { kind: typeof FieldKind.SHORT_MESSAGE; name: KeysOfType<B, Buffer>; wire: string }
  | { kind: typeof FieldKind.DEST_ADDRESSES; name: KeysOfType<B, unknown[]>; wire: string }
  | { kind: typeof FieldKind.UNSUCCESS; name: KeysOfType<B, unknown[]>; wire: string };

export type Schema = { readonly [C in CommandName]: ReadonlyArray<Field<Body<C>>> };

/** A loosely typed view for the interpreter: every field reads and writes a property by name. */
export type AnyField = {
  kind: (typeof FieldKind)[keyof typeof FieldKind];
  name: string;
  wire: string;
  max?: number;
  encodeMax?: number;
  status?: number;
};

const S = CommandStatus;

const u8 = <B>(name: KeysOfType<B, number>, wire: string): Field<B> => ({ kind: FieldKind.U8, name, wire });
const cstr = <B>(name: KeysOfType<B, string>, wire: string, max: number, status: number, encodeMax?: number): Field<B> =>
  encodeMax === undefined
    ? { kind: FieldKind.CSTRING, name, wire, max, status }
    : { kind: FieldKind.CSTRING, name, wire, max, status, encodeMax };
const time = <B>(name: KeysOfType<B, string>, wire: string, status: number): Field<B> => ({
  kind: FieldKind.TIME,
  name,
  wire,
  max: 17,
  status,
});

function bind(): ReadonlyArray<Field<BindBody>> {
  return [
    cstr('systemId', 'system_id', 16, S.ESME_RINVSYSID),
    cstr('password', 'password', 9, S.ESME_RINVPASWD),
    cstr('systemType', 'system_type', 13, S.ESME_RINVSYSTYP),
    u8('interfaceVersion', 'interface_version'),
    u8('addrTon', 'addr_ton'),
    u8('addrNpi', 'addr_npi'),
    cstr('addressRange', 'address_range', 41, S.ESME_RBINDFAIL),
  ];
}

/**
 * bind_*_resp: C(16) by the spec, but an SMSC answering a longer id has still bound us, and refusing its bind_resp
 * would fail a working link. Read up to 65 (like message_id), write at most 16.
 */
function systemIdOnly(): ReadonlyArray<Field<{ systemId: string }>> {
  return [cstr('systemId', 'system_id', 65, S.ESME_RINVSYSID, 16)];
}

function messageIdOnly(): ReadonlyArray<Field<{ messageId: string }>> {
  return [cstr('messageId', 'message_id', 65, S.ESME_RINVMSGID)];
}

/** esm_class .. short_message: submit_sm #8..#18, shared with deliver_sm and submit_multi. */
function messageTail(): Array<Field<MessageBody>> {
  return [
    u8('esmClass', 'esm_class'),
    u8('protocolId', 'protocol_id'),
    u8('priorityFlag', 'priority_flag'),
    time('scheduleDeliveryTime', 'schedule_delivery_time', S.ESME_RINVSCHED),
    time('validityPeriod', 'validity_period', S.ESME_RINVEXPIRY),
    u8('registeredDelivery', 'registered_delivery'),
    u8('replaceIfPresentFlag', 'replace_if_present_flag'),
    u8('dataCoding', 'data_coding'),
    u8('smDefaultMsgId', 'sm_default_msg_id'),
    { kind: FieldKind.SHORT_MESSAGE, name: 'shortMessage', wire: 'short_message' },
  ];
}

function sm(): ReadonlyArray<Field<SmBody>> {
  return [
    cstr('serviceType', 'service_type', 6, S.ESME_RINVSERTYP),
    u8('sourceAddrTon', 'source_addr_ton'),
    u8('sourceAddrNpi', 'source_addr_npi'),
    cstr('sourceAddr', 'source_addr', 21, S.ESME_RINVSRCADR),
    u8('destAddrTon', 'dest_addr_ton'),
    u8('destAddrNpi', 'dest_addr_npi'),
    cstr('destinationAddr', 'destination_addr', 21, S.ESME_RINVDSTADR),
    ...messageTail(),
  ];
}

export const SCHEMA: Schema = {
  generic_nack: [],
  bind_receiver: bind(),
  bind_receiver_resp: systemIdOnly(),
  bind_transmitter: bind(),
  bind_transmitter_resp: systemIdOnly(),
  bind_transceiver: bind(),
  bind_transceiver_resp: systemIdOnly(),
  outbind: [cstr('systemId', 'system_id', 16, S.ESME_RINVSYSID), cstr('password', 'password', 9, S.ESME_RINVPASWD)],
  query_sm: [
    cstr('messageId', 'message_id', 65, S.ESME_RINVMSGID),
    u8('sourceAddrTon', 'source_addr_ton'),
    u8('sourceAddrNpi', 'source_addr_npi'),
    cstr('sourceAddr', 'source_addr', 21, S.ESME_RINVSRCADR),
  ],
  query_sm_resp: [
    cstr('messageId', 'message_id', 65, S.ESME_RINVMSGID),
    time('finalDate', 'final_date', S.ESME_RINVCMDLEN),
    u8('messageState', 'message_state'),
    u8('errorCode', 'error_code'),
  ],
  submit_sm: sm(),
  submit_sm_resp: messageIdOnly(),
  deliver_sm: sm(),
  deliver_sm_resp: messageIdOnly(),
  unbind: [],
  unbind_resp: [],
  replace_sm: [
    cstr('messageId', 'message_id', 65, S.ESME_RINVMSGID),
    u8('sourceAddrTon', 'source_addr_ton'),
    u8('sourceAddrNpi', 'source_addr_npi'),
    cstr('sourceAddr', 'source_addr', 21, S.ESME_RINVSRCADR),
    time('scheduleDeliveryTime', 'schedule_delivery_time', S.ESME_RINVSCHED),
    time('validityPeriod', 'validity_period', S.ESME_RINVEXPIRY),
    u8('registeredDelivery', 'registered_delivery'),
    u8('smDefaultMsgId', 'sm_default_msg_id'),
    { kind: FieldKind.SHORT_MESSAGE, name: 'shortMessage', wire: 'short_message' },
  ],
  replace_sm_resp: [],
  cancel_sm: [
    cstr('serviceType', 'service_type', 6, S.ESME_RINVSERTYP),
    cstr('messageId', 'message_id', 65, S.ESME_RINVMSGID),
    u8('sourceAddrTon', 'source_addr_ton'),
    u8('sourceAddrNpi', 'source_addr_npi'),
    cstr('sourceAddr', 'source_addr', 21, S.ESME_RINVSRCADR),
    u8('destAddrTon', 'dest_addr_ton'),
    u8('destAddrNpi', 'dest_addr_npi'),
    // Spec table says 21, Kannel accepts 65 (README "Conflicts"): read up to 65, write at most 21.
    cstr('destinationAddr', 'destination_addr', 65, S.ESME_RINVDSTADR, 21),
  ],
  cancel_sm_resp: [],
  enquire_link: [],
  enquire_link_resp: [],
  submit_multi: [
    cstr('serviceType', 'service_type', 6, S.ESME_RINVSERTYP),
    u8('sourceAddrTon', 'source_addr_ton'),
    u8('sourceAddrNpi', 'source_addr_npi'),
    cstr('sourceAddr', 'source_addr', 21, S.ESME_RINVSRCADR),
    { kind: FieldKind.DEST_ADDRESSES, name: 'destAddresses', wire: 'dest_address' },
    ...messageTail(),
  ],
  submit_multi_resp: [
    cstr('messageId', 'message_id', 65, S.ESME_RINVMSGID),
    { kind: FieldKind.UNSUCCESS, name: 'unsuccess', wire: 'unsuccess_sme' },
  ],
  alert_notification: [
    u8('sourceAddrTon', 'source_addr_ton'),
    u8('sourceAddrNpi', 'source_addr_npi'),
    // Spec table says 65, Kannel limits to 21 (README "Conflicts"): read up to 65, write at most 21.
    cstr('sourceAddr', 'source_addr', 65, S.ESME_RINVSRCADR, 21),
    u8('esmeAddrTon', 'esme_addr_ton'),
    u8('esmeAddrNpi', 'esme_addr_npi'),
    cstr('esmeAddr', 'esme_addr', 65, S.ESME_RINVDSTADR),
  ],
  data_sm: [
    cstr('serviceType', 'service_type', 6, S.ESME_RINVSERTYP),
    u8('sourceAddrTon', 'source_addr_ton'),
    u8('sourceAddrNpi', 'source_addr_npi'),
    cstr('sourceAddr', 'source_addr', 65, S.ESME_RINVSRCADR),
    u8('destAddrTon', 'dest_addr_ton'),
    u8('destAddrNpi', 'dest_addr_npi'),
    cstr('destinationAddr', 'destination_addr', 65, S.ESME_RINVDSTADR),
    u8('esmClass', 'esm_class'),
    u8('registeredDelivery', 'registered_delivery'),
    u8('dataCoding', 'data_coding'),
  ],
  data_sm_resp: messageIdOnly(),
  broadcast_sm: [
    cstr('serviceType', 'service_type', 6, S.ESME_RINVSERTYP),
    u8('sourceAddrTon', 'source_addr_ton'),
    u8('sourceAddrNpi', 'source_addr_npi'),
    cstr('sourceAddr', 'source_addr', 21, S.ESME_RINVSRCADR),
    cstr('messageId', 'message_id', 65, S.ESME_RINVMSGID),
    u8('priorityFlag', 'priority_flag'),
    time('scheduleDeliveryTime', 'schedule_delivery_time', S.ESME_RINVSCHED),
    time('validityPeriod', 'validity_period', S.ESME_RINVEXPIRY),
    u8('replaceIfPresentFlag', 'replace_if_present_flag'),
    u8('dataCoding', 'data_coding'),
    u8('smDefaultMsgId', 'sm_default_msg_id'),
  ],
  broadcast_sm_resp: [cstr('messageId', 'message_id', 65, S.ESME_RINVMSGID)],
  query_broadcast_sm: [
    cstr('messageId', 'message_id', 65, S.ESME_RINVMSGID),
    u8('sourceAddrTon', 'source_addr_ton'),
    u8('sourceAddrNpi', 'source_addr_npi'),
    cstr('sourceAddr', 'source_addr', 21, S.ESME_RINVSRCADR),
  ],
  query_broadcast_sm_resp: [cstr('messageId', 'message_id', 65, S.ESME_RINVMSGID)],
  cancel_broadcast_sm: [
    cstr('serviceType', 'service_type', 6, S.ESME_RINVSERTYP),
    cstr('messageId', 'message_id', 65, S.ESME_RINVMSGID),
    u8('sourceAddrTon', 'source_addr_ton'),
    u8('sourceAddrNpi', 'source_addr_npi'),
    cstr('sourceAddr', 'source_addr', 21, S.ESME_RINVSRCADR),
  ],
  cancel_broadcast_sm_resp: [],
};

/**
 * TLVs a PDU must carry (SMPP 5.0 broadcast). Missing ones answer ESME_RMISSINGTLV; responses are checked only when
 * their status is ESME_ROK, since an error response carries no result.
 */
export const MANDATORY_TLVS: Partial<Record<CommandName, readonly number[]>> = {
  broadcast_sm: [Tlv.broadcast_area_identifier, Tlv.broadcast_content_type, Tlv.broadcast_rep_num, Tlv.broadcast_frequency_interval],
  query_broadcast_sm_resp: [Tlv.message_state, Tlv.broadcast_area_identifier, Tlv.broadcast_area_success],
};

/** The first mandatory TLV tag missing from `tlvs`, or undefined. */
export function missingMandatoryTlv(command: CommandName, commandStatus: number, tlvs: readonly { tag: number }[] | undefined): number | undefined {
  const required = MANDATORY_TLVS[command];
  if (required === undefined || commandStatus !== 0) return undefined;
  for (const tag of required) {
    if (tlvs === undefined || !tlvs.some((t) => t.tag === tag)) return tag;
  }
  return undefined;
}

/** The interpreter's view of SCHEMA (same objects, looser types). */
export function fieldsOf(command: CommandName): readonly AnyField[] {
  return SCHEMA[command] as readonly AnyField[];
}

// Field rules shared by the table interpreter and the hand-written fast paths in codec.ts.

/** Message-type bits 5-2 of esm_class that SMPP 3.4 defines. */
export function isKnownEsmType(esmClass: number): boolean {
  const t = esmClass & EsmClass.TYPE_MASK;
  return t === 0x00 || t === 0x04 || t === 0x08 || t === 0x10 || t === 0x18 || t === 0x20;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Empty, or `YYMMDDhhmmsstnnp` with p one of + - R (smpp.md section 1); on input a lower-case `r` is taken too
 * (seen from hand-rolled clients). Field values are not range-checked here: the gateway interprets them.
 */
export function isTimeBytes(buf: Buffer, start: number, end: number): boolean {
  const n = end - start;
  if (n === 0) return true;
  if (n !== 16) return false;
  for (let i = start; i < start + 15; i++) if (!isDigit(buf[i]!)) return false;
  const p = buf[start + 15]!;
  return p === 0x2b || p === 0x2d || p === 0x52 || p === 0x72;
}

/**
 * PDUs an SMSC sends us (deliver_sm, data_sm, query_sm_resp's final_date): be lenient on input (smpp.md: schedule/validity are "empty in
 * deliver_sm" and ignored by us; esm_class message types beyond 3.4's list come from 5.0 and vendor SMSCs). Refusing
 * them would make the SMSC retry an MO or receipt forever. What partners submit to us stays strictly checked.
 */
export function isLenientInput(command: CommandName): boolean {
  return command === 'deliver_sm' || command === 'data_sm' || command === 'query_sm_resp';
}

export function isTimeString(s: string): boolean {
  if (s.length === 0) return true;
  if (s.length !== 16) return false;
  for (let i = 0; i < 15; i++) if (!isDigit(s.charCodeAt(i))) return false;
  const p = s.charCodeAt(15);
  return p === 0x2b || p === 0x2d || p === 0x52;
}

/** Index of the NUL ending a C-Octet String at `pos` of at most `max` octets (NUL included), or -1. */
export function cstringEnd(buf: Buffer, pos: number, max: number, end: number): number {
  const limit = pos + max < end ? pos + max : end;
  for (let z = pos; z < limit; z++) if (buf[z] === 0) return z;
  return -1;
}

