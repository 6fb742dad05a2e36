import { UcpEc } from './constants';
import type { UcpOperation } from './pdu';
import type { UcpRole } from './states';

/**
 * Fields an SC must see filled before it takes a submit (ucp.md sections 4 and 9): the codec lets every field be
 * empty, so this is where a 51 / 01 without a recipient (EC 06) or without a message type (EC 02) is refused. The
 * client side checks nothing here: a real SC's MO or notification is taken as it comes.
 */
export function missingFieldEc(role: UcpRole, op: UcpOperation): string | undefined {
  if (role !== 'server') return undefined;
  if (op.ot !== '51' && op.ot !== '01') return undefined;
  if (op.adc === '') return UcpEc.ADC_INVALID;
  if (op.mt === '') return UcpEc.SYNTAX_ERROR;
  return undefined;
}
