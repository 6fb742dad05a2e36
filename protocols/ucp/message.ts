import { partsFromText, splitBinary } from '../wire/concat';
import { gsm7Decode } from '../wire/gsm7';
import { buildUdh, concatIe } from '../wire/udh';
import { originatorFields } from './address';
import { encodeAMsg, encodeTMsg, type AMsgAlphabet } from './content';
import type { UcpDeliver, UcpNotification, UcpSubmit } from './pdu';
import type { Fields5x } from './schema';
import { xserOf } from './xser';

/** All 33 fields of the 5x layout, empty. */
export function empty5x(): Fields5x {
  return {
    adc: '', oadc: '', ac: '', nrq: '', nadc: '', nt: '', npid: '', lrq: '', lrad: '', lpid: '', dd: '', ddt: '',
    vp: '', rpid: '', scts: '', dst: '', rsn: '', dscts: '', mt: '', nb: '', msg: '', mms: '', pr: '', dcs: '',
    mcls: '', rpi: '', cpg: '', rply: '', otoa: '', hplmn: '', xser: '', res4: '', res5: '',
  };
}

export interface TextMessageOptions {
  /** Recipient (AdC), digits. */
  to: string;
  /** Sender: digits, `+digits` (OTOA 1139) or alphanumeric up to 11 GSM chars (OTOA 5039). */
  from: string;
  text: string;
  /** Concatenation reference for multi-part texts (8-bit unless refBits 16). */
  ref?: number;
  refBits?: 8 | 16;
  encoding?: 'gsm7' | 'ucs2' | 'auto';
  alphabet?: AMsgAlphabet;
  /** Extra 5x fields (nrq, nt, npid, vp, ...) copied onto every part. */
  fields?: Partial<Fields5x>;
}

type Op5x<T> = Omit<T, 'trn'>;

/**
 * Text to one or more 5x operations: GSM text as MT 3 (AMsg), anything else as UCS2 in MT 4 with XSer 02 = 08;
 * multi-part texts carry their concatenation UDH in XSer 01 (as Kannel does).
 */
function build5x<O extends '51' | '52'>(ot: O, o: TextMessageOptions): Array<Op5x<UcpSubmit | UcpDeliver> & { ot: O }> {
  const ref = o.ref ?? 0;
  const split = partsFromText(o.text, ref, { encoding: o.encoding ?? 'auto', refBits: o.refBits ?? 8 });
  const sender = ot === '51' ? originatorFields(o.from) : { oadc: o.from, otoa: '' };
  const out: Array<Op5x<UcpSubmit | UcpDeliver> & { ot: O }> = [];
  for (const m of split.messages) {
    const f = { ...empty5x(), ...o.fields, adc: o.to, oadc: sender.oadc, otoa: o.fields?.otoa ?? sender.otoa };
    if (split.encoding === 'gsm7') {
      f.mt = '3';
      f.msg = o.alphabet === 'latin1' ? encodeAMsg(textOfSeptets(m.payload), 'latin1') : m.payload.toString('hex').toUpperCase();
      f.xser = xserOf({ ...(m.udh ? { udh: m.udh } : {}) });
    } else {
      const t = encodeTMsg(m.payload);
      f.mt = '4';
      f.nb = t.nb;
      f.msg = t.msg;
      f.xser = xserOf({ ...(m.udh ? { udh: m.udh } : {}), dcs: 0x08 });
    }
    out.push({ kind: 'O', ot, ...f });
  }
  return out;
}

/** latin1 AMsg is rare; re-decoding the GSM part keeps the split identical for both alphabets. */
function textOfSeptets(septets: Buffer): string {
  return gsm7Decode(septets);
}

export function submitsFromText(o: TextMessageOptions): Array<Omit<UcpSubmit, 'trn'>> {
  return build5x('51', o) as Array<Omit<UcpSubmit, 'trn'>>;
}

/** MO (52) operations as an SC sends them; `from` is the handset, `to` the account or short code. */
export function deliversFromText(o: TextMessageOptions & { scts: string }): Array<Omit<UcpDeliver, 'trn'>> {
  return build5x('52', { ...o, fields: { ...o.fields, scts: o.scts } }) as Array<Omit<UcpDeliver, 'trn'>>;
}

/** Binary (MT 4) submits, split with a concatenation UDH in XSer 01 when longer than 140 octets. */
export function submitsFromBinary(o: { to: string; from: string; data: Buffer; dcs?: number; ref?: number; fields?: Partial<Fields5x> }): Array<Omit<UcpSubmit, 'trn'>> {
  const parts = splitBinary(o.data);
  const total = parts.length;
  const sender = originatorFields(o.from);
  return parts.map((p, i) => {
    const t = encodeTMsg(p);
    const udh = total > 1 ? buildUdh([concatIe({ ref: o.ref ?? 0, total, seq: i + 1, refBits: 8 })]) : undefined;
    return {
      kind: 'O' as const, ot: '51' as const, ...empty5x(), ...o.fields, adc: o.to, oadc: sender.oadc, otoa: sender.otoa,
      mt: '4', nb: t.nb, msg: t.msg, xser: xserOf({ ...(udh ? { udh } : {}), dcs: o.dcs ?? 0xf6 }),
    };
  });
}

/** A 53 notification as an SC sends it for a submit. */
export function notificationFor(o: {
  submitAdc: string;
  submitOadc: string;
  scts: string;
  dst: '0' | '1' | '2';
  rsn: string;
  dscts: string;
  text: string;
}): Omit<UcpNotification, 'trn'> {
  return {
    kind: 'O', ot: '53', ...empty5x(), adc: o.submitOadc, oadc: o.submitAdc, scts: o.scts, dst: o.dst, rsn: o.rsn,
    dscts: o.dscts, mt: '3', msg: encodeAMsg(o.text),
  };
}
