/**
 * SMPP pass-through link: an MO goes to one of the partner's bound receiver/transceiver sessions as deliver_sm
 * (short_message up to 254 octets, message_payload above). The sinks come from the partner SMPP server.
 */
import { Tlv } from '../../protocols/smpp/constants';
import type { DeliverSm } from '../../protocols/smpp/pdu';
import type { MoDelivery } from '../partners/handler';
import type { SmppPartnerLink } from '../partners/smpp-handler';

export interface MoSink {
  readonly canSend: boolean;
  send(pdu: DeliverSm): Promise<unknown>;
}

export function deliverSmForMo(mo: MoDelivery): DeliverSm {
  const bytes = Buffer.from(mo.hex, 'hex');
  const long = bytes.length > 254;
  const pdu: DeliverSm = {
    command: 'deliver_sm',
    commandStatus: 0,
    sequenceNumber: 0,
    serviceType: '',
    sourceAddrTon: /^\+?[0-9]+$/.test(mo.from) ? 1 : 5,
    sourceAddrNpi: /^\+?[0-9]+$/.test(mo.from) ? 1 : 0,
    sourceAddr: mo.from,
    destAddrTon: 0,
    destAddrNpi: 1,
    destinationAddr: mo.to,
    esmClass: 0,
    protocolId: 0,
    priorityFlag: 0,
    scheduleDeliveryTime: '',
    validityPeriod: '',
    registeredDelivery: 0,
    replaceIfPresentFlag: 0,
    dataCoding: mo.dataCoding,
    smDefaultMsgId: 0,
    shortMessage: long ? Buffer.alloc(0) : bytes,
  };
  if (long) pdu.tlvs = [{ tag: Tlv.message_payload, value: bytes }];
  return pdu;
}

export function smppPassThrough(sinksFor: (partnerId: string) => readonly MoSink[]): SmppPartnerLink {
  let turn = 0;
  const pick = (partnerId: string): MoSink | undefined => {
    const sinks = sinksFor(partnerId);
    for (let i = 0; i < sinks.length; i++) {
      const s = sinks[(turn + i) % sinks.length]!;
      if (s.canSend) {
        turn++;
        return s;
      }
    }
    return undefined;
  };
  return {
    isBound: (partnerId) => sinksFor(partnerId).length > 0,
    async deliverMo(mo) {
      const sink = pick(mo.partnerId);
      if (!sink) throw new Error('no receiver bind with room');
      await sink.send(deliverSmForMo(mo));
    },
  };
}
