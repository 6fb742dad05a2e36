/**
 * Operator MO PDUs -> the protocol-neutral MO Message (id '' until the flow assigns one). Each keeps the user data as
 * bytes with its data coding (GSM7 as unpacked septets), the UDH at the start of `body` with esm_class UDHI when there
 * is one, and SAR info in `concat`.
 *   SMPP deliver_sm / data_sm: short_message or message_payload; SAR TLVs.
 *   UCP 52: MT 3 (IRA text) as GSM7 septets, MT 4 bytes with the XSer 02 DCS, UDH from XSer 01, MT 2 digits.
 *   CIMD2 20: 033 text as GSM7 septets, 034 bytes with 030, UDH from 032.
 */
import { Tlv } from '../../protocols/smpp/constants';
import { getTlv, type DataSm, type DeliverSm } from '../../protocols/smpp/pdu';
import { contentOf } from '../../protocols/ucp/content';
import type { UcpDeliver } from '../../protocols/ucp/pdu';
import { OpCode } from '../../protocols/cimd2/constants';
import { readMessage } from '../../protocols/cimd2/message';
import type { Cimd2Packet } from '../../protocols/cimd2/packet';
import { gsm7Encode } from '../../protocols/wire/gsm7';
import type { Address, Message } from '../../routing/message';

const UDHI = 0x40;
const MO_RETENTION_MS = 7 * 24 * 3600_000;

function base(connectorId: string, source: Address, destination: Address, now: number): Message {
  return {
    id: '',
    direction: 'mo',
    connectorId,
    source,
    destination,
    dataCoding: 0,
    esmClass: 0,
    protocolId: 0,
    priority: 0,
    registeredDelivery: 0,
    body: Buffer.alloc(0),
    parts: [],
    state: 'accepted',
    createdAt: now,
    updatedAt: now,
    validUntil: now + MO_RETENTION_MS,
    attempts: 0,
    possibleDuplicate: false,
    receiptOwed: false,
  };
}

function uint(buf: Buffer | undefined): number | undefined {
  if (!buf || buf.length === 0 || buf.length > 4) return undefined;
  return buf.readUIntBE(0, buf.length);
}

export function moFromSmpp(pdu: DeliverSm | DataSm, connectorId: string, now: number): Message {
  const m = base(
    connectorId,
    { addr: pdu.sourceAddr, ton: pdu.sourceAddrTon, npi: pdu.sourceAddrNpi },
    { addr: pdu.destinationAddr, ton: pdu.destAddrTon, npi: pdu.destAddrNpi },
    now,
  );
  const payload = getTlv(pdu, Tlv.message_payload);
  const short = pdu.command === 'deliver_sm' ? pdu.shortMessage : undefined;
  // A copy: the PDU's buffers may be views into a reused frame.
  m.body = Buffer.from(short && short.length > 0 ? short : (payload ?? Buffer.alloc(0)));
  m.dataCoding = pdu.dataCoding;
  m.esmClass = pdu.esmClass & UDHI;
  if (pdu.command === 'deliver_sm') m.protocolId = pdu.protocolId;
  const ref = uint(getTlv(pdu, Tlv.sar_msg_ref_num));
  const total = uint(getTlv(pdu, Tlv.sar_total_segments));
  const seq = uint(getTlv(pdu, Tlv.sar_segment_seqnum));
  if (ref !== undefined && total !== undefined && seq !== undefined) m.concat = { ref, total, seq };
  return m;
}

export function moFromUcp(op: UcpDeliver, connectorId: string, now: number): Message {
  const m = base(connectorId, { addr: op.oadc, ton: op.otoa === '5039' ? 5 : 1, npi: 1 }, { addr: op.adc, ton: 0, npi: 1 }, now);
  const c = contentOf(op);
  let bytes: Buffer;
  if (c.encoding === 'gsm7' || c.encoding === 'latin1' || c.encoding === 'numeric') {
    // MT 2/3 arrive as text already decoded from IRA: GSM septets carry it losslessly.
    bytes = gsm7Encode(c.text ?? '');
    m.dataCoding = 0;
  } else {
    bytes = c.bytes ?? Buffer.alloc(0);
    m.dataCoding = c.dcs ?? 0x04;
  }
  if (c.udh) {
    m.body = Buffer.concat([c.udh, bytes]);
    m.esmClass = UDHI;
  } else {
    m.body = bytes;
  }
  return m;
}

export function moFromCimd2(pkt: Cimd2Packet, connectorId: string, now: number): Message {
  const v = readMessage(pkt);
  const m = base(
    connectorId,
    { addr: v.originator ?? '', ton: v.originatorType === 'alphanumeric' ? 5 : 1, npi: 1 },
    { addr: v.destinations[0] ?? '', ton: 0, npi: 1 },
    now,
  );
  let bytes: Buffer;
  if (v.binary !== undefined) {
    bytes = v.binary;
    m.dataCoding = v.dcs ?? 0x04;
  } else {
    bytes = gsm7Encode(v.text ?? '');
    m.dataCoding = 0;
  }
  if (v.protocolIdentifier !== undefined) m.protocolId = v.protocolIdentifier;
  if (v.udh) {
    m.body = Buffer.concat([v.udh, bytes]);
    m.esmClass = UDHI;
  } else {
    m.body = bytes;
  }
  return m;
}

/** Recognises the MO object a link hands over (SMPP PDU, UCP operation or CIMD2 packet). */
export function moFromLink(mo: unknown, connectorId: string, now: number): Message | undefined {
  if (typeof mo !== 'object' || mo === null) return undefined;
  const o = mo as Record<string, unknown>;
  if (o['command'] === 'deliver_sm' || o['command'] === 'data_sm') return moFromSmpp(mo as DeliverSm | DataSm, connectorId, now);
  if (o['ot'] === '52') return moFromUcp(mo as UcpDeliver, connectorId, now);
  if (o['opCode'] === OpCode.DELIVER_MESSAGE && Array.isArray(o['params'])) return moFromCimd2(mo as Cimd2Packet, connectorId, now);
  return undefined;
}
