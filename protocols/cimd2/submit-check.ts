import { ErrorCode, OpCode, Param } from './constants';
import type { Cimd2Packet } from './packet';

/**
 * Checks of a 03 submit that the per-parameter table cannot make (cimd2.md §4 "typical contents", §5, §6): at
 * least one 021, not both 033 and 034, not both 023 and 027. Returns the 900 code, or undefined when it is fine.
 * Only the MC side applies it; unknown parameters are never a reason.
 */
export function submitError(pkt: Cimd2Packet): number | undefined {
  if (pkt.opCode !== OpCode.SUBMIT) return undefined;
  let dest = 0;
  let text = false;
  let binary = false;
  let numeric = false;
  let alpha = false;
  for (const p of pkt.params) {
    if (p.code === Param.DESTINATION_ADDRESS) dest++;
    else if (p.code === Param.USER_DATA) text = true;
    else if (p.code === Param.USER_DATA_BINARY) binary = true;
    else if (p.code === Param.ORIGINATING_ADDRESS) numeric = true;
    else if (p.code === Param.ALPHANUMERIC_ORIGINATING_ADDRESS) alpha = true;
  }
  if (dest === 0) return ErrorCode.INCORRECT_NUMBER_OF_DESTINATIONS;
  if (text && binary) return ErrorCode.INCORRECT_USER_DATA_COMBINATION;
  if (numeric && alpha) return ErrorCode.INCORRECT_ORIGINATOR_USAGE;
  return undefined;
}
