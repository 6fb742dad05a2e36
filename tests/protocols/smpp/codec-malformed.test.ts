import { CommandId, CommandStatus as S, Tlv } from '../../../protocols/smpp/constants';
import { decodePdu, encodePdu } from '../../../protocols/smpp/codec';
import type { AlertNotification, CancelSm, SmppPdu, SubmitSm } from '../../../protocols/smpp/pdu';
import { EncodeError, PduDecodeError } from '../../../protocols/wire/errors';
import { submitSm } from '../../helpers/smpp-pdus';

/** Hex helpers: `c('ACME')` is a C-Octet String, `u8(5)` one octet. Header length is computed from the body. */
const c = (s: string) => Buffer.from(s, 'latin1').toString('hex') + '00';
const u8 = (v: number) => v.toString(16).padStart(2, '0');
const u16 = (v: number) => v.toString(16).padStart(4, '0');
function frame(commandId: number, bodyHex: string, seq = 7, status = 0): Buffer {
  const body = Buffer.from(bodyHex.replace(/\s+/g, ''), 'hex');
  const h = Buffer.alloc(16);
  h.writeUInt32BE(16 + body.length, 0);
  h.writeUInt32BE(commandId, 4);
  h.writeUInt32BE(status, 8);
  h.writeUInt32BE(seq, 12);
  return Buffer.concat([h, body]);
}
const tlv = (tag: number, valueHex: string) => u16(tag) + u16(valueHex.length / 2) + valueHex;

/** submit_sm body with overridable raw pieces. */
function submitBody(p: Partial<Record<'st' | 'src' | 'dst' | 'esm' | 'sched' | 'valid' | 'sm' | 'tail', string>> = {}): string {
  return [
    p.st ?? c(''),
    u8(1) + u8(1),
    p.src ?? c('447700900001'),
    u8(1) + u8(1),
    p.dst ?? c('447700900123'),
    p.esm ?? u8(0),
    u8(0) + u8(0),
    p.sched ?? c(''),
    p.valid ?? c(''),
    u8(1) + u8(0) + u8(0) + u8(0),
    p.sm ?? u8(2) + '6869',
    p.tail ?? '',
  ].join('');
}
const bindBody = (sys: string, pw: string, type: string, range = '') => c(sys) + c(pw) + c(type) + '340000' + c(range);
const multiHead = c('') + '0500' + c('ACME');
const multiTail = '000000' + c('') + c('') + '0000000000' + '026869';

function expectStatus(buf: Buffer, status: number): void {
  const r = decodePdu(buf);
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.error).toBeInstanceOf(PduDecodeError);
    expect(r.error.code).toBe('PDU_DECODE');
    expect(r.error.status).toBe(status);
  }
}

describe('decodePdu: malformed frames answer their command_status', () => {
  const cases: Array<[string, Buffer, number]> = [
    ['frame shorter than a header', Buffer.from('0000000c0000001500000000', 'hex'), S.ESME_RINVCMDLEN],
    ['command_length larger than the frame (truncated)', Buffer.from('000000200000001500000000000000070000', 'hex'), S.ESME_RINVCMDLEN],
    ['command_length smaller than the frame', Buffer.from('000000100000001500000000000000070000', 'hex'), S.ESME_RINVCMDLEN],
    ['unknown command_id', frame(0x00000099, ''), S.ESME_RINVCMDID],
    ['command_id 0x114 (unassigned)', frame(0x00000114, ''), S.ESME_RINVCMDID],
    ['response bit on an unknown id', frame(0x80000099, ''), S.ESME_RINVCMDID],
    ['broadcast_sm without broadcast_rep_num', frame(CommandId.broadcast_sm, c('') + '0500' + c('ACME') + c('id') + '00' + c('') + c('') + '000000' + tlv(Tlv.broadcast_area_identifier, '00') + tlv(Tlv.broadcast_content_type, '010000') + tlv(Tlv.broadcast_frequency_interval, '09000a')), S.ESME_RMISSINGTLV],
    ['broadcast_sm without any TLV', frame(CommandId.broadcast_sm, c('') + '0500' + c('ACME') + c('id') + '00' + c('') + c('') + '000000'), S.ESME_RMISSINGTLV],
    ['query_broadcast_sm_resp OK without broadcast_area_success', frame(CommandId.query_broadcast_sm_resp, c('id') + tlv(Tlv.message_state, '01') + tlv(Tlv.broadcast_area_identifier, '00')), S.ESME_RMISSINGTLV],
    ['broadcast_content_type of 2 octets', frame(CommandId.cancel_broadcast_sm, c('') + c('id') + '0500' + c('ACME') + tlv(Tlv.broadcast_content_type, '0100')), S.ESME_RINVTLVLEN],
    ['system_id of 16 chars', frame(CommandId.bind_transmitter, bindBody('a'.repeat(16), 'pw', '')), S.ESME_RINVSYSID],
    ['password of 9 chars', frame(CommandId.bind_transceiver, bindBody('sys', 'p'.repeat(9), '')), S.ESME_RINVPASWD],
    ['system_type of 13 chars', frame(CommandId.bind_receiver, bindBody('sys', 'pw', 't'.repeat(13))), S.ESME_RINVSYSTYP],
    ['bind body ends after password', frame(CommandId.bind_transmitter, c('sys') + c('pw')), S.ESME_RINVCMDLEN],
    ['outbind without NUL on system_id', frame(CommandId.outbind, Buffer.from('SMSC').toString('hex')), S.ESME_RINVSYSID],
    ['bind_transmitter_resp system_id of 65 chars', frame(CommandId.bind_transmitter_resp, c('x'.repeat(65))), S.ESME_RINVSYSID],
    ['bind_transmitter system_id of 16 chars', frame(CommandId.bind_transmitter, c('x'.repeat(16)) + c('pw') + c('') + '340000' + c('')), S.ESME_RINVSYSID],
    ['service_type of 6 chars', frame(CommandId.submit_sm, submitBody({ st: c('ABCDEF') })), S.ESME_RINVSERTYP],
    ['source_addr of 21 chars', frame(CommandId.submit_sm, submitBody({ src: c('1'.repeat(21)) })), S.ESME_RINVSRCADR],
    ['source_addr without NUL to the end', frame(CommandId.submit_sm, c('') + '0101' + '3434373730'), S.ESME_RINVSRCADR],
    ['destination_addr of 21 chars', frame(CommandId.deliver_sm, submitBody({ dst: c('2'.repeat(21)) })), S.ESME_RINVDSTADR],
    ['esm_class message type 0x0c', frame(CommandId.submit_sm, submitBody({ esm: u8(0x0c) })), S.ESME_RINVESMCLASS],
    ['submit_sm esm_class message type 0x3c', frame(CommandId.submit_sm, submitBody({ esm: u8(0x7c) })), S.ESME_RINVESMCLASS],
    ['schedule_delivery_time of 10 digits', frame(CommandId.submit_sm, submitBody({ sched: c('2401151230') })), S.ESME_RINVSCHED],
    ['schedule_delivery_time of 17 chars', frame(CommandId.submit_sm, submitBody({ sched: c('240115123000004+0') })), S.ESME_RINVSCHED],
    ['validity_period with a bad zone sign', frame(CommandId.submit_sm, submitBody({ valid: c('240115123000004X') })), S.ESME_RINVEXPIRY],
    ['validity_period with a letter', frame(CommandId.submit_sm, submitBody({ valid: c('2401151230a0004+') })), S.ESME_RINVEXPIRY],
    ['sm_length past the body', frame(CommandId.submit_sm, submitBody({ sm: u8(10) + '6869' })), S.ESME_RINVMSGLEN],
    ['sm_length past the body (deliver_sm)', frame(CommandId.deliver_sm, submitBody({ sm: u8(255) })), S.ESME_RINVMSGLEN],
    ['submit_sm body ends before sm_length', frame(CommandId.submit_sm, submitBody({ sm: '' }).slice(0, -2)), S.ESME_RINVCMDLEN],
    ['submit_sm body ends before esm_class', frame(CommandId.submit_sm, c('') + '0101' + c('1') + '0101' + c('2')), S.ESME_RINVCMDLEN],
    ['empty submit_sm body', frame(CommandId.submit_sm, ''), S.ESME_RINVCMDLEN],
    ['TLV header cut short', frame(CommandId.submit_sm, submitBody({ tail: '0424' })), S.ESME_RINVOPTPARSTREAM],
    ['TLV length past the end', frame(CommandId.submit_sm, submitBody({ tail: '04240010' + '6869' })), S.ESME_RINVPARLEN],
    ['message_state of 2 octets in a submit_sm', frame(CommandId.submit_sm, submitBody({ tail: tlv(Tlv.message_state, '0002') })), S.ESME_RINVTLVLEN],
    ['message_payload TLV cut short in a deliver_sm', frame(CommandId.deliver_sm, submitBody({ tail: '04240005' + '6869' })), S.ESME_RINVPARLEN],
    ['sar_msg_ref_num of 1 octet', frame(CommandId.submit_sm, submitBody({ tail: tlv(Tlv.sar_msg_ref_num, '01') + tlv(Tlv.sar_total_segments, '02') + tlv(Tlv.sar_segment_seqnum, '01') })), S.ESME_RINVTLVLEN],
    ['source_telematics_id of 3 octets', frame(CommandId.submit_sm, submitBody({ tail: tlv(Tlv.source_telematics_id, '000102') })), S.ESME_RINVPARLEN],
    ['sc_interface_version of 0 octets in a bind', frame(CommandId.bind_transceiver, c('e') + c('p') + c('') + '340000' + c('') + tlv(Tlv.sc_interface_version, '')), S.ESME_RINVPARLEN],
    ['sar_msg_ref_num without the other SAR TLVs', frame(CommandId.submit_sm, submitBody({ tail: tlv(Tlv.sar_msg_ref_num, '1234') })), S.ESME_RMISSINGTLV],
    ['sar_total_segments and seqnum without ref', frame(CommandId.data_sm, c('') + '0101' + c('1') + '0101' + c('2') + '000000' + tlv(Tlv.sar_total_segments, '02') + tlv(Tlv.sar_segment_seqnum, '01')), S.ESME_RMISSINGOPTPARAM],
    ['data_sm source_addr of 65 chars', frame(CommandId.data_sm, c('') + '0101' + c('1'.repeat(65)) + '0101' + c('2') + '000000'), S.ESME_RINVSRCADR],
    ['submit_multi esm_class type 0x24', frame(CommandId.submit_multi, multiHead + '01' + '010101' + c('44') + multiTail.replace(/^00/, '24')), S.ESME_RINVESMCLASS],
    ['submit_multi number_of_dests 0', frame(CommandId.submit_multi, multiHead + '00' + multiTail), S.ESME_RINVNUMDESTS],
    ['submit_multi number_of_dests 255', frame(CommandId.submit_multi, multiHead + 'ff' + multiTail), S.ESME_RINVNUMDESTS],
    ['submit_multi dest_flag 3', frame(CommandId.submit_multi, multiHead + '01' + '03' + c('x') + multiTail), S.ESME_RINVDESTFLAG],
    ['submit_multi dl_name of 21 chars', frame(CommandId.submit_multi, multiHead + '01' + '02' + c('d'.repeat(21)) + multiTail), S.ESME_RINVDLNAME],
    ['submit_multi SME address of 21 chars', frame(CommandId.submit_multi, multiHead + '01' + '010101' + c('4'.repeat(21)) + multiTail), S.ESME_RINVDSTADR],
    ['submit_multi list cut short', frame(CommandId.submit_multi, multiHead + '02' + '010101' + c('44')), S.ESME_RINVCMDLEN],
    ['submit_multi_resp unsuccess entry cut short', frame(CommandId.submit_multi_resp, c('id') + '01' + '0101' + c('44') + '0000'), S.ESME_RINVCMDLEN],
    ['query_sm message_id of 65 chars', frame(CommandId.query_sm, c('m'.repeat(65)) + '0000' + c('')), S.ESME_RINVMSGID],
    ['submit_sm_resp message_id without NUL', frame(CommandId.submit_sm_resp, '41424344'), S.ESME_RINVMSGID],
    ['cancel_sm service_type of 6 chars', frame(CommandId.cancel_sm, c('SERVIC') + c('id') + '0000' + c('') + '0000' + c('')), S.ESME_RINVSERTYP],
    ['replace_sm validity_period of 15 chars', frame(CommandId.replace_sm, c('id') + '0000' + c('') + c('') + c('000002000000000') + '0000' + '00'), S.ESME_RINVEXPIRY],
    ['replace_sm sm_length past the body', frame(CommandId.replace_sm, c('id') + '0000' + c('') + c('') + c('') + '0000' + '05' + '41'), S.ESME_RINVMSGLEN],
    ['alert_notification esme_addr of 65 chars', frame(CommandId.alert_notification, '0101' + c('1') + '0101' + c('e'.repeat(65))), S.ESME_RINVDSTADR],
  ];
  it.each(cases)('%s', (_name, buf, status) => expectStatus(buf, status));

  it('echoes command_id and sequence_number of a body error', () => {
    const r = decodePdu(frame(CommandId.submit_sm, submitBody({ src: c('1'.repeat(30)) }), 0x1234));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.commandId).toBe(CommandId.submit_sm);
      expect(r.sequenceNumber).toBe(0x1234);
    }
  });

  it('echoes an unknown command_id so the session can generic_nack it', () => {
    const r = decodePdu(frame(0x00000099, '', 42));
    expect(!r.ok && [r.commandId, r.sequenceNumber, r.error.status]).toEqual([0x99, 42, S.ESME_RINVCMDID]);
  });
});

describe('decodePdu: tolerated input', () => {
  it('accepts source_telematics_id of 1 or 2 octets', () => {
    for (const v of ['01', '0001']) {
      const r = decodePdu(frame(CommandId.submit_sm, submitBody({ tail: tlv(Tlv.source_telematics_id, v) })));
      expect(r.ok).toBe(true);
    }
  });

  it('accepts a receipted_message_id without its NUL', () => {
    const r = decodePdu(frame(CommandId.deliver_sm, submitBody({ esm: '04', tail: tlv(Tlv.receipted_message_id, '4142') })));
    expect(r.ok).toBe(true);
  });

  it('accepts cancel_sm destination_addr and alert_notification source_addr up to 64 chars (disputed maxima)', () => {
    const cancel = decodePdu(frame(CommandId.cancel_sm, c('') + c('id') + '0000' + c('') + '0101' + c('4'.repeat(40))));
    expect(cancel.ok && cancel.pdu.command === 'cancel_sm' && cancel.pdu.destinationAddr.length).toBe(40);
    const alert = decodePdu(frame(CommandId.alert_notification, '0101' + c('4'.repeat(64)) + '0500' + c('ACME')));
    expect(alert.ok && alert.pdu.command === 'alert_notification' && alert.pdu.sourceAddr.length).toBe(64);
  });

  it('does not require the query_broadcast_sm_resp TLVs on an error response', () => {
    const r = decodePdu(frame(CommandId.query_broadcast_sm_resp, '', 5, S.ESME_RQUERYFAIL));
    expect(r.ok && r.pdu).toEqual({ command: 'query_broadcast_sm_resp', commandStatus: S.ESME_RQUERYFAIL, sequenceNumber: 5, messageId: '' });
  });

  it('reads a response without body as empty fields', () => {
    const b = decodePdu(frame(CommandId.bind_transmitter_resp, '', 1, S.ESME_RINVPASWD));
    expect(b.ok && b.pdu).toEqual({ command: 'bind_transmitter_resp', commandStatus: S.ESME_RINVPASWD, sequenceNumber: 1, systemId: '' });
    const sr = decodePdu(frame(CommandId.submit_sm_resp, '', 2, S.ESME_RTHROTTLED));
    expect(sr.ok && sr.pdu).toEqual({ command: 'submit_sm_resp', commandStatus: S.ESME_RTHROTTLED, sequenceNumber: 2, messageId: '' });
    const r = decodePdu(frame(CommandId.submit_multi_resp, '', 3, S.ESME_RSUBMITFAIL));
    expect(r.ok && r.pdu).toEqual({ command: 'submit_multi_resp', commandStatus: S.ESME_RSUBMITFAIL, sequenceNumber: 3, messageId: '', unsuccess: [] });
    const q = decodePdu(frame(CommandId.query_sm_resp, '', 4, S.ESME_RQUERYFAIL));
    expect(q.ok && q.pdu).toEqual({ command: 'query_sm_resp', commandStatus: S.ESME_RQUERYFAIL, sequenceNumber: 4, messageId: '', finalDate: '', messageState: 0, errorCode: 0 });
  });

  it('keeps unknown and vendor TLVs in wire order', () => {
    const r = decodePdu(frame(CommandId.submit_sm, submitBody({ tail: tlv(0x1400, 'aa') + tlv(Tlv.payload_type, '00') + tlv(0x7777, '') })));
    expect(r.ok && r.pdu.tlvs?.map((t) => t.tag)).toEqual([0x1400, Tlv.payload_type, 0x7777]);
  });
});

const submit: SubmitSm = submitSm({
  sequenceNumber: 1, sourceAddrTon: 0, sourceAddr: 'A', destAddrTon: 0, destAddrNpi: 0, destinationAddr: 'B', shortMessage: Buffer.from('x'),
});

describe('encodePdu: values that cannot go on the wire throw EncodeError', () => {
  const bad: Array<[string, SmppPdu]> = [
    ['octet out of range', { ...submit, esmClass: 256 }],
    ['negative octet', { ...submit, dataCoding: -1 }],
    ['fractional octet', { ...submit, protocolId: 1.5 }],
    ['sequence_number above u32', { ...submit, sequenceNumber: 2 ** 32 }],
    ['source_addr of 21 chars', { ...submit, sourceAddr: '1'.repeat(21) }],
    ['service_type of 6 chars', { ...submit, serviceType: 'ABCDEF' }],
    ['character beyond Latin-1', { ...submit, destinationAddr: '€' }],
    ['NUL inside a C string', { ...submit, sourceAddr: 'A\0B' }],
    ['bad schedule time', { ...submit, scheduleDeliveryTime: '2401151230' }],
    ['short_message of 255 octets', { ...submit, shortMessage: Buffer.alloc(255) }],
    ['message_state TLV of 2 octets', { ...submit, tlvs: [{ tag: Tlv.message_state, value: Buffer.alloc(2) }] }],
    ['TLV tag above u16', { ...submit, tlvs: [{ tag: 0x10000, value: Buffer.alloc(0) }] }],
    ['TLV value over 65535', { ...submit, tlvs: [{ tag: Tlv.message_payload, value: Buffer.alloc(65536) }] }],
    ['submit_multi without destinations', { ...submit, command: 'submit_multi', destAddresses: [] } as unknown as SmppPdu],
    ['alert_notification source_addr over 20 chars (strict out)', { command: 'alert_notification', commandStatus: 0, sequenceNumber: 1, sourceAddrTon: 0, sourceAddrNpi: 0, sourceAddr: '1'.repeat(30), esmeAddrTon: 0, esmeAddrNpi: 0, esmeAddr: 'E' } satisfies AlertNotification],
    ['broadcast_sm without its mandatory TLVs', { command: 'broadcast_sm', commandStatus: 0, sequenceNumber: 1, serviceType: '', sourceAddrTon: 0, sourceAddrNpi: 0, sourceAddr: '', messageId: 'x', priorityFlag: 0, scheduleDeliveryTime: '', validityPeriod: '', replaceIfPresentFlag: 0, dataCoding: 0, smDefaultMsgId: 0 }],
    ['bind_transceiver_resp system_id over 15 chars (strict out)', { command: 'bind_transceiver_resp', commandStatus: 0, sequenceNumber: 1, systemId: 'S'.repeat(16) }],
    ['submit_sm with a lower-case relative validity (strict out)', { ...submit, validityPeriod: '000001000000000r' }],
    ['cancel_sm destination_addr over 20 chars (strict out)', { command: 'cancel_sm', commandStatus: 0, sequenceNumber: 1, serviceType: '', messageId: 'x', sourceAddrTon: 0, sourceAddrNpi: 0, sourceAddr: '', destAddrTon: 0, destAddrNpi: 0, destinationAddr: '1'.repeat(30) } satisfies CancelSm],
  ];
  it.each(bad)('%s', (_name, pdu) => {
    expect(() => encodePdu(pdu)).toThrow(EncodeError);
  });

  it('lenient in: what an SMSC sends keeps known TLVs of an unexpected length', () => {
    const dlv = frame(CommandId.deliver_sm, submitBody({ tail: tlv(Tlv.message_state, '0002') + tlv(Tlv.network_error_code, '0300') }));
    const r = decodePdu(dlv);
    expect(r).toMatchObject({ ok: true });
    if (r.ok) expect(r.pdu.tlvs!.map((t) => t.value.toString('hex'))).toEqual(['0002', '0300']);
    const resp = frame(CommandId.bind_transceiver_resp, c('SMSC') + tlv(Tlv.sc_interface_version, ''));
    expect(decodePdu(resp)).toMatchObject({ ok: true, pdu: { systemId: 'SMSC', tlvs: [{ tag: Tlv.sc_interface_version }] } });
  });

  it('lenient in: a long bind_resp system_id, odd deliver_sm times and esm_class, a 12-digit query_sm_resp final_date', () => {
    const longId = frame(CommandId.bind_transceiver_resp, c('S'.repeat(40)));
    expect(decodePdu(longId)).toMatchObject({ ok: true, pdu: { systemId: 'S'.repeat(40) } });
    const dlv = frame(CommandId.deliver_sm, submitBody({ esm: u8(0x3c), sched: c('2401151230'), valid: c('x') }));
    expect(decodePdu(dlv)).toMatchObject({ ok: true, pdu: { esmClass: 0x3c, scheduleDeliveryTime: '2401151230', validityPeriod: 'x' } });
    const q = frame(CommandId.query_sm_resp, c('id') + c('240115123000') + '0200');
    expect(decodePdu(q)).toMatchObject({ ok: true, pdu: { finalDate: '240115123000', messageState: 2 } });
    const rel = frame(CommandId.submit_sm, submitBody({ valid: c('000001000000000r') }));
    expect(decodePdu(rel)).toMatchObject({ ok: true, pdu: { validityPeriod: '000001000000000r' } });
  });

  it('never mutates its input and recomputes command_length', () => {
    const pdu = Object.freeze({ ...submit, tlvs: Object.freeze([Object.freeze({ tag: 0x1401, value: Buffer.from('ab', 'hex') })]) as SubmitSm['tlvs'] });
    const a = encodePdu(pdu);
    const b = encodePdu(pdu);
    expect(a.equals(b)).toBe(true);
    expect(a.readUInt32BE(0)).toBe(a.length);
  });

  it('writes the empty body of an error response unless asked to omit it', () => {
    const throttled = { command: 'submit_sm_resp', commandStatus: S.ESME_RTHROTTLED, sequenceNumber: 1, messageId: '' } as const;
    expect(encodePdu(throttled).length).toBe(17);
    expect(encodePdu(throttled, { omitEmptyErrorBody: true }).length).toBe(16);
    expect(encodePdu({ ...throttled, commandStatus: 0 }, { omitEmptyErrorBody: true }).length).toBe(17);
    expect(encodePdu({ ...throttled, messageId: 'id' }, { omitEmptyErrorBody: true }).length).toBe(19);
    const bindResp = { command: 'bind_transceiver_resp', commandStatus: S.ESME_RINVPASWD, sequenceNumber: 1, systemId: '' } as const;
    expect(encodePdu(bindResp, { omitEmptyErrorBody: true }).length).toBe(16);
    const withTlv = { ...bindResp, tlvs: [{ tag: Tlv.sc_interface_version, value: Buffer.from([0x34]) }] };
    expect(encodePdu(withTlv, { omitEmptyErrorBody: true }).length).toBe(22);
  });
});
