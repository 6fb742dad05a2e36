import type { SubmitSm } from '../../protocols/smpp/pdu';

const DEFAULT_TEXT = Buffer.from('Benchmark message: the quick brown fox jumps over the lazy dog 0123456789', 'latin1');

/** A plain GSM text submit_sm from BENCH to 447700900123; `over` sets what a bench varies. */
export function benchSubmitSm(over: Partial<SubmitSm> = {}): SubmitSm {
  return {
    command: 'submit_sm',
    commandStatus: 0,
    sequenceNumber: 0,
    serviceType: '',
    sourceAddrTon: 5,
    sourceAddrNpi: 0,
    sourceAddr: 'BENCH',
    destAddrTon: 1,
    destAddrNpi: 1,
    destinationAddr: '447700900123',
    esmClass: 0,
    protocolId: 0,
    priorityFlag: 0,
    scheduleDeliveryTime: '',
    validityPeriod: '',
    registeredDelivery: 0,
    replaceIfPresentFlag: 0,
    dataCoding: 0,
    smDefaultMsgId: 0,
    shortMessage: DEFAULT_TEXT,
    ...over,
  };
}
