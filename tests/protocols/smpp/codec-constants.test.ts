import {
  CommandId,
  CommandStatus,
  Tlv,
  commandNameOf,
  isResponse,
  responseIdFor,
  statusName,
  type CommandName,
} from '../../../protocols/smpp/constants';
import { getTlv, withTlv, withoutTlv, type SubmitSmResp } from '../../../protocols/smpp/pdu';
import { tlvCString, tlvString, tlvU16, tlvU8, tlvUint } from '../../../protocols/smpp/tlv';

describe('SMPP constants', () => {
  it('pairs every request with a response id that has the high bit set', () => {
    for (const name of Object.keys(CommandId) as CommandName[]) {
      const id = CommandId[name];
      if (name.endsWith('_resp')) {
        expect(isResponse(id)).toBe(true);
        expect(commandNameOf(id & 0x7fffffff)).toBe(name.slice(0, -5));
      } else if (name !== 'generic_nack') {
        expect(isResponse(id)).toBe(false);
        const resp = commandNameOf(responseIdFor(id));
        // outbind and alert_notification have no response of their own.
        expect(resp === undefined ? ['outbind', 'alert_notification'].includes(name) : resp === `${name}_resp`).toBe(true);
      }
    }
    expect(isResponse(CommandId.generic_nack)).toBe(true);
    expect(responseIdFor(CommandId.submit_sm)).toBe(0x80000004);
  });

  it('names statuses, preferring the 3.4 spelling, and prints unknown ones in hex', () => {
    expect(statusName(0x58)).toBe('ESME_RTHROTTLED');
    expect(statusName(CommandStatus.ESME_RINVTLVLEN)).toBe('ESME_RINVPARLEN');
    expect(statusName(0x104)).toBe('ESME_RINVDCS');
    expect(statusName(0x4a0)).toBe('0x000004a0');
  });

  it('has the spec values for the statuses and TLVs the gateway relies on', () => {
    expect([CommandStatus.ESME_RMSGQFUL, CommandStatus.ESME_RX_T_APPN, CommandStatus.ESME_RINVBNDSTS, CommandStatus.ESME_RALYBND]).toEqual([0x14, 0x64, 0x04, 0x05]);
    expect([Tlv.receipted_message_id, Tlv.message_state, Tlv.network_error_code, Tlv.message_payload, Tlv.congestion_state]).toEqual([0x1e, 0x427, 0x423, 0x424, 0x428]);
    expect([Tlv.sar_msg_ref_num, Tlv.sar_total_segments, Tlv.sar_segment_seqnum, Tlv.sc_interface_version]).toEqual([0x20c, 0x20e, 0x20f, 0x210]);
  });
});

describe('TLV helpers', () => {
  const resp: SubmitSmResp = { command: 'submit_sm_resp', commandStatus: 0, sequenceNumber: 1, messageId: 'x' };

  it('withTlv adds or replaces without touching the input', () => {
    const a = withTlv(resp, Tlv.congestion_state, Buffer.from([10]));
    const b = withTlv(a, Tlv.congestion_state, Buffer.from([90]));
    expect(resp.tlvs).toBeUndefined();
    expect(getTlv(a, Tlv.congestion_state)).toEqual(Buffer.from([10]));
    expect(b.tlvs).toEqual([{ tag: Tlv.congestion_state, value: Buffer.from([90]) }]);
    expect(getTlv(b, Tlv.message_state)).toBeUndefined();
    expect(withoutTlv(b, Tlv.congestion_state).tlvs).toBeUndefined();
    expect(b.tlvs).toHaveLength(1);
  });

  it('builds and reads values', () => {
    expect(tlvU8(1, 0x34).value).toEqual(Buffer.from([0x34]));
    expect(tlvU16(1, 0x1234).value).toEqual(Buffer.from([0x12, 0x34]));
    expect(tlvUint(Buffer.from([0x12, 0x34]))).toBe(0x1234);
    expect(tlvUint(Buffer.alloc(0))).toBeUndefined();
    expect(tlvString(tlvCString(1, 'abc').value)).toBe('abc');
    expect(tlvString(Buffer.from('abc'))).toBe('abc');
  });
});
