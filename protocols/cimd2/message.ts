import { gsm7Decode } from '../wire/gsm7';
import { partsFromText } from '../wire/concat';
import { encodingForDataCoding } from '../wire/text';
import { OpCode, Param } from './constants';
import { getIntParam, getParam, getParams, params, type Cimd2Packet, type Cimd2Param } from './packet';
import { decodeUserData, encodeUserData, fromHex, isCimd2Text, toHex, ucs2Bytes, ucs2Text } from './user-data';

/** Content and options of a submit (03) or deliver message (20), as typed values. */
export interface Cimd2MessageFields {
  /** 021; a submit may carry several (the parameter repeats). */
  destinations: string[];
  /** Numeric (digits, leading '+') -> 023; anything else -> 027 alphanumeric. */
  originator?: string;
  /** Text for 033. When it has characters outside GSM 03.38 and no `binary` is given, it goes as UCS2 in 034 + 030:8. */
  text?: string;
  /** 034 raw octets (8-bit or UTF-16BE); set `dcs` to match. */
  binary?: Buffer;
  /** 032, including UDHL. */
  udh?: Buffer;
  /** 030. */
  dcs?: number;
  moreMessagesToSend?: number;
  validityPeriodRelative?: number;
  validityPeriodAbsolute?: string;
  protocolIdentifier?: number;
  firstDeliveryTimeRelative?: number;
  firstDeliveryTimeAbsolute?: string;
  replyPath?: number;
  statusReportRequest?: number;
  cancelEnabled?: number;
  /** 064 and 065 carried through for premium billing. */
  tariffClass?: number;
  serviceDescription?: number;
  priority?: number;
  /** 020 only: 026, 028, 060. */
  originatingImsi?: string;
  visitedMscAddress?: string;
  scts?: string;
  /** Appended in order after the known parameters. */
  extra?: Cimd2Param[];
}

const NUMERIC = /^\+?[0-9]{1,20}$/;

function originatorParam(o: string | undefined): [string, string | undefined] {
  if (o === undefined) return [Param.ORIGINATING_ADDRESS, undefined];
  return NUMERIC.test(o) ? [Param.ORIGINATING_ADDRESS, o] : [Param.ALPHANUMERIC_ORIGINATING_ADDRESS, o];
}

function contentParams(f: Cimd2MessageFields): Array<[string, string | number | undefined]> {
  let dcs = f.dcs;
  let text: string | undefined;
  let binary: string | undefined;
  if (f.binary !== undefined) binary = toHex(f.binary);
  else if (f.text !== undefined) {
    if (isCimd2Text(f.text)) text = encodeUserData(f.text);
    else {
      binary = toHex(ucs2Bytes(f.text));
      dcs = 8;
    }
  }
  return [
    [Param.DATA_CODING_SCHEME, dcs],
    [Param.USER_DATA_HEADER, f.udh === undefined ? undefined : toHex(f.udh)],
    [Param.USER_DATA, text],
    [Param.USER_DATA_BINARY, binary],
  ];
}

/** 03 submit, parameters in the order of cimd2.md §4 "typical contents". */
export function submit(f: Cimd2MessageFields, packetNumber = 0): Cimd2Packet {
  const ps = params([
    ...f.destinations.map((d): [string, string] => [Param.DESTINATION_ADDRESS, d]),
    originatorParam(f.originator),
    ...contentParams(f),
    [Param.MORE_MESSAGES_TO_SEND, f.moreMessagesToSend],
    [Param.VALIDITY_PERIOD_RELATIVE, f.validityPeriodRelative],
    [Param.VALIDITY_PERIOD_ABSOLUTE, f.validityPeriodAbsolute],
    [Param.PROTOCOL_IDENTIFIER, f.protocolIdentifier],
    [Param.FIRST_DELIVERY_TIME_RELATIVE, f.firstDeliveryTimeRelative],
    [Param.FIRST_DELIVERY_TIME_ABSOLUTE, f.firstDeliveryTimeAbsolute],
    [Param.REPLY_PATH, f.replyPath],
    [Param.STATUS_REPORT_REQUEST, f.statusReportRequest],
    [Param.CANCEL_ENABLED, f.cancelEnabled],
    [Param.TARIFF_CLASS, f.tariffClass],
    [Param.SERVICE_DESCRIPTION, f.serviceDescription],
    [Param.PRIORITY, f.priority],
  ]);
  if (f.extra) ps.push(...f.extra);
  return { opCode: OpCode.SUBMIT, packetNumber, params: ps };
}

/** 20 deliver message (MO) from the MC. */
export function deliverMessage(f: Cimd2MessageFields, packetNumber = 0): Cimd2Packet {
  const ps = params([
    [Param.DESTINATION_ADDRESS, f.destinations[0]],
    originatorParam(f.originator),
    [Param.ORIGINATING_IMSI, f.originatingImsi],
    [Param.ORIGINATED_VISITED_MSC_ADDRESS, f.visitedMscAddress],
    ...contentParams(f),
    [Param.PROTOCOL_IDENTIFIER, f.protocolIdentifier],
    [Param.SERVICE_CENTRE_TIME_STAMP, f.scts],
    [Param.TARIFF_CLASS, f.tariffClass],
    [Param.SERVICE_DESCRIPTION, f.serviceDescription],
  ]);
  if (f.extra) ps.push(...f.extra);
  return { opCode: OpCode.DELIVER_MESSAGE, packetNumber, params: ps };
}

/** 53 positive response: 021 + 060 identify the message for later status reports. */
export function submitResponse(packetNumber: number, destination: string, scts: string): Cimd2Packet {
  return {
    opCode: OpCode.SUBMIT_RESP,
    packetNumber,
    params: [
      { code: Param.DESTINATION_ADDRESS, value: destination },
      { code: Param.SERVICE_CENTRE_TIME_STAMP, value: scts },
    ],
  };
}

/** Typed view of a 03 / 20 packet. `text` is decoded from 033, or from 034 when 030 says UCS2 / GSM / Latin-1. */
export interface Cimd2MessageView {
  destinations: string[];
  originator?: string;
  originatorType?: 'numeric' | 'alphanumeric';
  dcs?: number;
  udh?: Buffer;
  text?: string;
  binary?: Buffer;
  scts?: string;
  statusReportRequest?: number;
  tariffClass?: number;
  serviceDescription?: number;
  protocolIdentifier?: number;
  validityPeriodRelative?: number;
  priority?: number;
  moreMessagesToSend?: number;
}

export function readMessage(pkt: Cimd2Packet): Cimd2MessageView {
  const numeric = getParam(pkt, Param.ORIGINATING_ADDRESS);
  const alpha = getParam(pkt, Param.ALPHANUMERIC_ORIGINATING_ADDRESS);
  const dcs = getIntParam(pkt, Param.DATA_CODING_SCHEME);
  const udhHex = getParam(pkt, Param.USER_DATA_HEADER);
  const ud = getParam(pkt, Param.USER_DATA);
  const binHex = getParam(pkt, Param.USER_DATA_BINARY);
  const binary = binHex === undefined ? undefined : fromHex(binHex);
  let text: string | undefined;
  if (ud !== undefined) text = decodeUserData(ud);
  else if (binary !== undefined) {
    const enc = encodingForDataCoding(dcs ?? 4);
    if (enc === 'ucs2') text = ucs2Text(binary);
    else if (enc === 'gsm7') text = gsm7Decode(binary);
    else if (enc === 'latin1') text = binary.toString('latin1');
  }
  return {
    destinations: getParams(pkt, Param.DESTINATION_ADDRESS),
    originator: numeric ?? alpha,
    originatorType: numeric !== undefined ? 'numeric' : alpha !== undefined ? 'alphanumeric' : undefined,
    dcs,
    udh: udhHex === undefined ? undefined : fromHex(udhHex),
    text,
    binary,
    scts: getParam(pkt, Param.SERVICE_CENTRE_TIME_STAMP),
    statusReportRequest: getIntParam(pkt, Param.STATUS_REPORT_REQUEST),
    tariffClass: getIntParam(pkt, Param.TARIFF_CLASS),
    serviceDescription: getIntParam(pkt, Param.SERVICE_DESCRIPTION),
    protocolIdentifier: getIntParam(pkt, Param.PROTOCOL_IDENTIFIER),
    validityPeriodRelative: getIntParam(pkt, Param.VALIDITY_PERIOD_RELATIVE),
    priority: getIntParam(pkt, Param.PRIORITY),
    moreMessagesToSend: getIntParam(pkt, Param.MORE_MESSAGES_TO_SEND),
  };
}

/**
 * Splits `text` into submits: GSM text in 033 (153 septets per part with a concatenation UDH in 032), else UCS2 in
 * 034 with 030:8 (67 units per part). One part carries no UDH. `base` supplies addresses and options.
 */
export function submitsForText(text: string, ref: number, base: Omit<Cimd2MessageFields, 'text' | 'binary' | 'udh' | 'dcs'>): Cimd2Packet[] {
  const split = partsFromText(text, ref & 0xff);
  return split.messages.map((m) => {
    const content: Pick<Cimd2MessageFields, 'text' | 'binary' | 'dcs' | 'udh'> =
      split.encoding === 'gsm7' ? { text: gsm7Decode(m.payload), udh: m.udh } : { binary: m.payload, dcs: 8, udh: m.udh };
    return submit({ ...base, ...content });
  });
}
