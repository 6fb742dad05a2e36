/**
 * SMSC message id normalisation, shared by the store's (connector, id) index and the runtime's in-memory index so
 * that a receipt finds its message whichever way the SMSC wrote the id.
 *
 * SMSCs disagree between submit_sm_resp and the receipt: one side in hex, the other in decimal; leading zeros
 * added or dropped; upper or lower case. The rule ('auto'):
 *   1. trim surrounding whitespace and lower-case;
 *   2. all decimal digits: strip leading zeros ('000123' -> '123', '000' -> '0');
 *   3. else all hex digits (so at least one of a-f): read as hex and write in decimal
 *      ('5F3A9C01' -> '1597676545', 'ABC' -> '2748', '00ff' -> '255');
 *   4. else (ids with other characters, e.g. UUIDs with dashes): strip leading zeros only (not one before whitespace).
 * A hex id made only of decimal digits cannot be told apart from a decimal one: with format 'hex' every all-hex id is
 * converted ('123' -> '291'); with 'decimal' nothing is converted, only zeros and case are normalised.
 */
export type SmscIdFormat = 'auto' | 'hex' | 'decimal';

const HEX_ONLY = /^[0-9a-f]+$/;
const DEC_ONLY = /^[0-9]+$/;

export function normaliseSmscId(id: string, format: SmscIdFormat = 'auto'): string {
  const s = id.trim().toLowerCase();
  if (s.length === 0) return s;
  if (format !== 'hex' && DEC_ONLY.test(s)) return stripZeros(s);
  if (format !== 'decimal' && HEX_ONLY.test(s)) {
    // Short ids fit a double exactly (13 hex digits < 2^53); longer ones go through BigInt.
    return s.length <= 13 ? String(parseInt(s, 16)) : BigInt('0x' + s).toString(10);
  }
  return stripZeros(s);
}

const SPACE = /\s/;

/**
 * Leading zeros off, keeping the last character, and keeping a zero that whitespace follows: stripping it would
 * leave the id starting with whitespace, which the trim of a second normalisation would then change (the
 * normalised form must normalise to itself).
 */
function stripZeros(s: string): string {
  let i = 0;
  while (i < s.length - 1 && s.charCodeAt(i) === 48 && !SPACE.test(s.charAt(i + 1))) i++;
  return i === 0 ? s : s.slice(i);
}
