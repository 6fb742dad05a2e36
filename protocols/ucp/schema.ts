/**
 * Field tables per operation type (ucp.md sections 4, 8, 9). The order of each table is the wire order; the codec
 * maps split fields onto these names and back. Each field names its format, maximum length and the EC to answer
 * when it fails to decode. Empty is always allowed here: which fields a peer must fill is a session concern.
 */

export type FieldFormat =
  | 'digits' // 0-9 only
  | 'hex' // even number of hex digits (either case)
  | 'addr' // digits, or the hex of an alphanumeric OAdC (OTOA 5039); some SCs add '+', so anything framable
  | 'text'; // anything framable (no '/', STX, ETX)

export interface FieldSpec<N extends string = string> {
  readonly name: N;
  readonly format: FieldFormat;
  readonly max: number;
  readonly ec: string;
}

function f<N extends string>(name: N, format: FieldFormat, max: number, ec = '02'): FieldSpec<N> {
  return { name, format, max, ec };
}

/** The 33-field layout shared by OT 51-58 (5x). */
export const FIELDS_5X = [
  f('adc', 'digits', 16, '06'),
  f('oadc', 'addr', 22),
  f('ac', 'digits', 16),
  f('nrq', 'digits', 1),
  f('nadc', 'digits', 16),
  f('nt', 'digits', 1),
  f('npid', 'digits', 4),
  f('lrq', 'digits', 1),
  f('lrad', 'digits', 16),
  f('lpid', 'digits', 4),
  f('dd', 'digits', 1),
  f('ddt', 'digits', 10),
  f('vp', 'digits', 10),
  f('rpid', 'digits', 4),
  f('scts', 'digits', 12),
  f('dst', 'digits', 1),
  f('rsn', 'digits', 3),
  f('dscts', 'digits', 12),
  f('mt', 'digits', 1),
  f('nb', 'digits', 4),
  f('msg', 'text', 1600, '24'),
  f('mms', 'digits', 1),
  f('pr', 'digits', 1),
  f('dcs', 'digits', 1),
  f('mcls', 'digits', 1),
  f('rpi', 'digits', 1),
  f('cpg', 'text', 16),
  f('rply', 'text', 16),
  f('otoa', 'digits', 4),
  f('hplmn', 'digits', 16),
  f('xser', 'hex', 800),
  f('res4', 'text', 64),
  f('res5', 'text', 64),
] as const;

export const FIELDS_01 = [
  f('adc', 'digits', 16, '06'),
  f('oadc', 'addr', 22),
  f('ac', 'digits', 16),
  f('mt', 'digits', 1),
  f('msg', 'text', 1600, '24'),
] as const;

// 31 and 60/61 carry the account: Kannel puts its (possibly alphanumeric) username there, so any text.
export const FIELDS_31 = [f('adc', 'addr', 16, '06'), f('pid', 'digits', 4)] as const;

export const FIELDS_60 = [
  f('oadc', 'addr', 16, '06'),
  f('oton', 'digits', 1),
  f('onpi', 'digits', 1),
  f('styp', 'digits', 1),
  f('pwd', 'hex', 64),
  f('npwd', 'hex', 64),
  f('vers', 'digits', 4),
  f('ladc', 'digits', 16),
  f('lton', 'digits', 1),
  f('lnpi', 'digits', 1),
  f('opid', 'digits', 2),
  f('res1', 'text', 64),
] as const;

export const FIELDS_61 = [
  f('oadc', 'addr', 16, '06'),
  f('oton', 'digits', 1),
  f('onpi', 'digits', 1),
  f('styp', 'digits', 1),
  f('pwd', 'hex', 64),
  f('npwd', 'hex', 64),
  f('vers', 'digits', 4),
  f('ladc', 'digits', 16),
  f('lton', 'digits', 1),
  f('lnpi', 'digits', 1),
  f('res1', 'text', 64),
  f('res2', 'text', 64),
] as const;

type Names<T extends readonly FieldSpec[]> = T[number]['name'];
/** Record of the raw field strings of a table, in the table's names. */
export type FieldsOf<T extends readonly FieldSpec[]> = { [K in Names<T>]: string };

export type Fields5x = FieldsOf<typeof FIELDS_5X>;
export type Fields01 = FieldsOf<typeof FIELDS_01>;
export type Fields31 = FieldsOf<typeof FIELDS_31>;
export type Fields60 = FieldsOf<typeof FIELDS_60>;
export type Fields61 = FieldsOf<typeof FIELDS_61>;

/** Operations whose layout is the 5x table. */
export const FIVE_X_OTS: ReadonlySet<string> = new Set(['51', '52', '53', '54', '55', '56', '57', '58']);

/** Field count of an operation, or undefined when it varies (02, 03) or is not tabled. */
export function fieldCountFor(ot: string): number | undefined {
  if (FIVE_X_OTS.has(ot)) return 33;
  switch (ot) {
    case '01':
      return 5;
    case '31':
      return 2;
    case '60':
    case '61':
      return 12;
    case '30':
      return 10;
    default:
      return undefined;
  }
}

/** True when `s` fits the format and maximum (empty always fits). */
export function fieldFits(spec: FieldSpec, s: string): boolean {
  const n = s.length;
  if (n === 0) return true;
  if (n > spec.max) return false;
  switch (spec.format) {
    case 'digits':
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x30 || c > 0x39) return false;
      }
      return true;
    case 'hex':
      if ((n & 1) !== 0) return false;
      return isHex(s);
    case 'addr':
    case 'text':
      return true;
  }
}

function isHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
    if (!ok) return false;
  }
  return true;
}
