import type { DeliverSm, SubmitSm } from '../../protocols/smpp/pdu';
import { benchSubmitSm } from '../../bench/lib/smpp-submit';

/** A plain GSM text submit_sm (ACME -> 447700900123, "Hello world"); `over` sets whatever a test is about. */
export function submitSm(over: Partial<SubmitSm> = {}): SubmitSm {
  return benchSubmitSm({ sourceAddr: 'ACME', shortMessage: Buffer.from('Hello world', 'latin1'), ...over });
}

/** The same message as an MO deliver_sm (447700900123 -> 4477). */
export function deliverSm(over: Partial<DeliverSm> = {}): DeliverSm {
  return { ...submitSm(), command: 'deliver_sm', sourceAddr: '447700900123', destinationAddr: '4477', ...over } as DeliverSm;
}
