import { CommandId, CommandStatus } from './constants';
import {
  HEADER_LENGTH,
  MAX_SHORT_MESSAGE,
  badValue,
  checkCString,
  checkU32,
  checkU8,
  fail,
  latin1,
  writeCString,
  writeTlvs,
  type SmppDecodeResult,
} from './codec-primitives';
import type { DeliverSm, SubmitSm } from './pdu';
import { cstringEnd, isKnownEsmType, isTimeBytes, isTimeString } from './schema';
import { decodeTlvs, tlvEncodeProblem } from './tlv';

/**
 * Hand-written submit_sm / deliver_sm decode and encode: the gateway's hot path. They apply the schema's rules in
 * the schema's order; a property test holds them equal to the table interpreter in codec.ts.
 */

/**
 * submit_sm / deliver_sm by hand: the hot path. Same checks in the same order as the table interpreter (a property
 * test holds them equal), but locals and one object literal instead of keyed stores.
 */
export function decodeSm(
  frame: Buffer,
  command: 'submit_sm' | 'deliver_sm',
  commandId: number,
  commandStatus: number,
  sequenceNumber: number,
): SmppDecodeResult {
  const S = CommandStatus;
  const n = frame.length;
  const strict = command === 'submit_sm';
  let pos = HEADER_LENGTH;
  if (pos >= n) return fail(S.ESME_RINVCMDLEN, commandId, sequenceNumber, 'body ends before service_type');
  let z = cstringEnd(frame, pos, 6, n);
  if (z < 0) return fail(S.ESME_RINVSERTYP, commandId, sequenceNumber, 'bad service_type');
  const serviceType = latin1(frame, pos, z);
  pos = z + 1;
  if (pos + 2 >= n) return fail(S.ESME_RINVCMDLEN, commandId, sequenceNumber, 'body ends before source_addr');
  const sourceAddrTon = frame[pos]!;
  const sourceAddrNpi = frame[pos + 1]!;
  pos += 2;
  z = cstringEnd(frame, pos, 21, n);
  if (z < 0) return fail(S.ESME_RINVSRCADR, commandId, sequenceNumber, 'bad source_addr');
  const sourceAddr = latin1(frame, pos, z);
  pos = z + 1;
  if (pos + 2 >= n) return fail(S.ESME_RINVCMDLEN, commandId, sequenceNumber, 'body ends before destination_addr');
  const destAddrTon = frame[pos]!;
  const destAddrNpi = frame[pos + 1]!;
  pos += 2;
  z = cstringEnd(frame, pos, 21, n);
  if (z < 0) return fail(S.ESME_RINVDSTADR, commandId, sequenceNumber, 'bad destination_addr');
  const destinationAddr = latin1(frame, pos, z);
  pos = z + 1;
  if (pos >= n) return fail(S.ESME_RINVCMDLEN, commandId, sequenceNumber, 'body ends before esm_class');
  const esmClass = frame[pos++]!;
  if (strict && !isKnownEsmType(esmClass)) return fail(S.ESME_RINVESMCLASS, commandId, sequenceNumber, 'bad esm_class');
  if (pos + 2 >= n) return fail(S.ESME_RINVCMDLEN, commandId, sequenceNumber, 'body ends before schedule_delivery_time');
  const protocolId = frame[pos]!;
  const priorityFlag = frame[pos + 1]!;
  pos += 2;
  z = cstringEnd(frame, pos, 17, n);
  if (z < 0 || (strict && !isTimeBytes(frame, pos, z))) return fail(S.ESME_RINVSCHED, commandId, sequenceNumber, 'bad schedule');
  const scheduleDeliveryTime = latin1(frame, pos, z);
  pos = z + 1;
  if (pos >= n) return fail(S.ESME_RINVCMDLEN, commandId, sequenceNumber, 'body ends before validity_period');
  z = cstringEnd(frame, pos, 17, n);
  if (z < 0 || (strict && !isTimeBytes(frame, pos, z))) return fail(S.ESME_RINVEXPIRY, commandId, sequenceNumber, 'bad validity');
  const validityPeriod = latin1(frame, pos, z);
  pos = z + 1;
  if (pos + 4 >= n) return fail(S.ESME_RINVCMDLEN, commandId, sequenceNumber, 'body ends before sm_length');
  const registeredDelivery = frame[pos]!;
  const replaceIfPresentFlag = frame[pos + 1]!;
  const dataCoding = frame[pos + 2]!;
  const smDefaultMsgId = frame[pos + 3]!;
  const smLength = frame[pos + 4]!;
  pos += 5;
  if (pos + smLength > n) return fail(S.ESME_RINVMSGLEN, commandId, sequenceNumber, 'sm_length past body');
  const pdu: SubmitSm | DeliverSm = {
    command,
    commandStatus,
    sequenceNumber,
    serviceType,
    sourceAddrTon,
    sourceAddrNpi,
    sourceAddr,
    destAddrTon,
    destAddrNpi,
    destinationAddr,
    esmClass,
    protocolId,
    priorityFlag,
    scheduleDeliveryTime,
    validityPeriod,
    registeredDelivery,
    replaceIfPresentFlag,
    dataCoding,
    smDefaultMsgId,
    shortMessage: frame.subarray(pos, pos + smLength),
  };
  pos += smLength;
  if (pos < n) {
    const tlvs = decodeTlvs(frame, pos, n, strict);
    if (typeof tlvs === 'number') return fail(tlvs, commandId, sequenceNumber, 'bad TLV stream');
    pdu.tlvs = tlvs;
  }
  return { ok: true, pdu };
}

/** submit_sm / deliver_sm by hand (the hot path); byte-identical to encodeBySchema, which a property test checks. */
export function encodeSm(pdu: SubmitSm | DeliverSm): Buffer {
  const commandStatus = checkU32(pdu.commandStatus, 'command_status');
  const sequenceNumber = checkU32(pdu.sequenceNumber, 'sequence_number');
  const sm = pdu.shortMessage;
  if (!(sm instanceof Uint8Array)) badValue('short_message: not bytes');
  if (sm.length > MAX_SHORT_MESSAGE) badValue(`short_message: ${sm.length} octets, max ${MAX_SHORT_MESSAGE}`);
  if (!isTimeString(pdu.scheduleDeliveryTime)) badValue('schedule_delivery_time: not an SMPP time');
  if (!isTimeString(pdu.validityPeriod)) badValue('validity_period: not an SMPP time');
  let size =
    HEADER_LENGTH +
    checkCString(pdu.serviceType, 6, 'service_type') +
    checkCString(pdu.sourceAddr, 21, 'source_addr') +
    checkCString(pdu.destinationAddr, 21, 'destination_addr') +
    checkCString(pdu.scheduleDeliveryTime, 17, 'schedule_delivery_time') +
    checkCString(pdu.validityPeriod, 17, 'validity_period') +
    12 +
    sm.length;
  const tlvs = pdu.tlvs;
  if (tlvs !== undefined) {
    if (!Array.isArray(tlvs)) badValue('tlvs is not an array');
    for (let i = 0; i < tlvs.length; i++) {
      const problem = tlvEncodeProblem(tlvs[i]);
      if (problem !== undefined) badValue(problem);
      size += 4 + tlvs[i]!.value.length;
    }
  }
  const buf = Buffer.allocUnsafe(size);
  buf.writeUInt32BE(size, 0);
  buf.writeUInt32BE(pdu.command === 'submit_sm' ? CommandId.submit_sm : CommandId.deliver_sm, 4);
  buf.writeUInt32BE(commandStatus, 8);
  buf.writeUInt32BE(sequenceNumber, 12);
  let pos = writeCString(buf, HEADER_LENGTH, pdu.serviceType, 'service_type');
  buf[pos++] = checkU8(pdu.sourceAddrTon, 'source_addr_ton');
  buf[pos++] = checkU8(pdu.sourceAddrNpi, 'source_addr_npi');
  pos = writeCString(buf, pos, pdu.sourceAddr, 'source_addr');
  buf[pos++] = checkU8(pdu.destAddrTon, 'dest_addr_ton');
  buf[pos++] = checkU8(pdu.destAddrNpi, 'dest_addr_npi');
  pos = writeCString(buf, pos, pdu.destinationAddr, 'destination_addr');
  buf[pos++] = checkU8(pdu.esmClass, 'esm_class');
  buf[pos++] = checkU8(pdu.protocolId, 'protocol_id');
  buf[pos++] = checkU8(pdu.priorityFlag, 'priority_flag');
  pos = writeCString(buf, pos, pdu.scheduleDeliveryTime, 'schedule_delivery_time');
  pos = writeCString(buf, pos, pdu.validityPeriod, 'validity_period');
  buf[pos++] = checkU8(pdu.registeredDelivery, 'registered_delivery');
  buf[pos++] = checkU8(pdu.replaceIfPresentFlag, 'replace_if_present_flag');
  buf[pos++] = checkU8(pdu.dataCoding, 'data_coding');
  buf[pos++] = checkU8(pdu.smDefaultMsgId, 'sm_default_msg_id');
  buf[pos++] = sm.length;
  buf.set(sm, pos);
  pos += sm.length;
  if (tlvs !== undefined) pos = writeTlvs(buf, pos, tlvs);
  return buf;
}

