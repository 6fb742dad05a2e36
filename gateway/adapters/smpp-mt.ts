import { CommandStatus, EsmClass, Tlv } from '../../protocols/smpp/constants';
import { getTlv } from '../../protocols/smpp/pdu';
import type { DataSm, SubmitMulti, SubmitSm } from '../../protocols/smpp/pdu';
import { buildUdh, concatIe, parseUdh } from '../../protocols/wire/udh';
import type { Message, MessageId, MessagePart } from '../../routing/message';
import { parseSmppTime } from './smpp-time';
import { fitsOneSms, splitPayload } from './split-payload';

export interface MtBuildContext {
  id: MessageId;
  partnerId: string;
  now: number;
  defaultValidityMs: number;
}

export type MtBuildResult = { ok: true; msg: Message } | { ok: false; status: number };

type PartnerSubmit = SubmitSm | DataSm;

function u(buf: Buffer | undefined): number | undefined {
  if (!buf || buf.length === 0 || buf.length > 4) return undefined;
  return buf.readUIntBE(0, buf.length);
}

/**
 * A partner's submit_sm / data_sm as a Message (state 'accepted'). The text comes from short_message or, when that is
 * empty, message_payload; a payload longer than one SMS becomes concatenated parts with a UDH. A partner's own UDH
 * or SAR parts stay one message each, with `concat` recording where they belong.
 */
export function messageFromPartnerSubmit(pdu: PartnerSubmit, ctx: MtBuildContext): MtBuildResult {
  const payload = getTlv(pdu, Tlv.message_payload);
  const short = pdu.command === 'submit_sm' ? pdu.shortMessage : undefined;
  if (short && short.length > 0 && payload) return { ok: false, status: CommandStatus.ESME_RINVPARLEN };
  const body = short && short.length > 0 ? short : (payload ?? Buffer.alloc(0));
  if (pdu.destinationAddr === '') return { ok: false, status: CommandStatus.ESME_RINVDSTADR };
  const udhi = (pdu.esmClass & EsmClass.UDHI) !== 0;

  let concat: Message['concat'];
  if (udhi) {
    const parsed = parseUdh(body);
    if (!parsed.ok || parsed.udh.length > body.length) return { ok: false, status: CommandStatus.ESME_RINVESMCLASS };
    const c = parsed.udh.concat;
    if (c) concat = { ref: c.ref, total: c.total, seq: c.seq };
  } else {
    const ref = u(getTlv(pdu, Tlv.sar_msg_ref_num));
    const total = u(getTlv(pdu, Tlv.sar_total_segments));
    const seq = u(getTlv(pdu, Tlv.sar_segment_seqnum));
    if (ref !== undefined && total !== undefined && seq !== undefined) concat = { ref, total, seq };
  }

  const bodyCopy = Buffer.from(body); // the PDU may be a view into a reused frame
  let parts: MessagePart[];
  if (udhi || fitsOneSms(bodyCopy, pdu.dataCoding)) {
    parts = [{ seq: 1, body: bodyCopy, udhi, state: 'accepted' }];
    if (!udhi && concat) {
      // SAR parts go to the SMSC with the equivalent UDH: not every SMSC carries SAR TLVs through.
      const udh = buildUdh([concatIe({ ref: concat.ref & 0xffff, total: concat.total, seq: concat.seq, refBits: 16 })]);
      parts = [{ seq: 1, body: Buffer.concat([udh, bodyCopy]), udhi: true, state: 'accepted' }];
    }
  } else {
    const chunks = splitPayload(bodyCopy, pdu.dataCoding, Number(ctx.id) & 0xff);
    parts = chunks.map((b, i) => ({ seq: i + 1, body: b, udhi: chunks.length > 1, state: 'accepted' }));
  }

  let validUntil = ctx.now + ctx.defaultValidityMs;
  if (pdu.command === 'submit_sm' && pdu.validityPeriod !== '') {
    const v = parseSmppTime(pdu.validityPeriod, ctx.now);
    if (v === undefined) return { ok: false, status: CommandStatus.ESME_RINVEXPIRY };
    validUntil = Math.min(v, validUntil);
  }

  const msg: Message = {
    id: ctx.id,
    direction: 'mt',
    partnerId: ctx.partnerId,
    source: { addr: pdu.sourceAddr, ton: pdu.sourceAddrTon, npi: pdu.sourceAddrNpi },
    destination: { addr: pdu.destinationAddr, ton: pdu.destAddrTon, npi: pdu.destAddrNpi },
    dataCoding: pdu.dataCoding,
    esmClass: pdu.esmClass,
    protocolId: pdu.command === 'submit_sm' ? pdu.protocolId : 0,
    priority: pdu.command === 'submit_sm' ? pdu.priorityFlag : 0,
    registeredDelivery: pdu.registeredDelivery,
    body: bodyCopy,
    parts,
    state: 'accepted',
    createdAt: ctx.now,
    updatedAt: ctx.now,
    validUntil,
    attempts: 0,
    possibleDuplicate: false,
    receiptOwed: false,
  };
  if (concat) msg.concat = concat;
  return { ok: true, msg };
}

/** submit_multi: one submit_sm per SME destination (distribution lists are not supported and land in unsuccess). */
export function submitsOfMulti(pdu: SubmitMulti): { submits: SubmitSm[]; distributionLists: string[] } {
  const submits: SubmitSm[] = [];
  const distributionLists: string[] = [];
  for (const d of pdu.destAddresses) {
    if (d.kind === 'dl') {
      distributionLists.push(d.name);
      continue;
    }
    const s: SubmitSm = {
      command: 'submit_sm',
      commandStatus: 0,
      sequenceNumber: pdu.sequenceNumber,
      serviceType: pdu.serviceType,
      sourceAddrTon: pdu.sourceAddrTon,
      sourceAddrNpi: pdu.sourceAddrNpi,
      sourceAddr: pdu.sourceAddr,
      destAddrTon: d.ton,
      destAddrNpi: d.npi,
      destinationAddr: d.addr,
      esmClass: pdu.esmClass,
      protocolId: pdu.protocolId,
      priorityFlag: pdu.priorityFlag,
      scheduleDeliveryTime: pdu.scheduleDeliveryTime,
      validityPeriod: pdu.validityPeriod,
      registeredDelivery: pdu.registeredDelivery,
      replaceIfPresentFlag: pdu.replaceIfPresentFlag,
      dataCoding: pdu.dataCoding,
      smDefaultMsgId: pdu.smDefaultMsgId,
      shortMessage: pdu.shortMessage,
    };
    if (pdu.tlvs) s.tlvs = pdu.tlvs;
    submits.push(s);
  }
  return { submits, distributionLists };
}

export interface SubmitDefaults {
  /** Always ask the SMSC for a receipt so the store reaches a final state (partners get one per their own request). */
  registeredDelivery: number;
}

/** The submit_sm that carries one part to the SMSC. */
export function submitSmForPart(msg: Message, part: MessagePart, d: SubmitDefaults): SubmitSm {
  return {
    command: 'submit_sm',
    commandStatus: 0,
    sequenceNumber: 0,
    serviceType: '',
    sourceAddrTon: msg.source.ton,
    sourceAddrNpi: msg.source.npi,
    sourceAddr: msg.source.addr,
    destAddrTon: msg.destination.ton,
    destAddrNpi: msg.destination.npi,
    destinationAddr: msg.destination.addr,
    esmClass: (msg.esmClass & EsmClass.MODE_MASK) | (part.udhi ? EsmClass.UDHI : 0),
    protocolId: msg.protocolId,
    priorityFlag: msg.priority,
    scheduleDeliveryTime: '',
    validityPeriod: '',
    registeredDelivery: d.registeredDelivery,
    replaceIfPresentFlag: 0,
    dataCoding: msg.dataCoding,
    smDefaultMsgId: 0,
    shortMessage: part.body,
  };
}
