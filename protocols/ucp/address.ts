import { EncodeError } from '../wire/errors';
import { gsm7Decode, gsm7Encode, isGsm7, packSeptets, unpackSeptets } from '../wire/gsm7';

/**
 * Alphanumeric OAdC (OTOA 5039, ucp.md section 7): two hex digits giving the number of useful semi-octets,
 * then the GSM 7-bit packed text in uppercase hex. `ACME` -> `07C161B308`.
 */
export const MAX_ALNUM_OADC_SEPTETS = 11;

export function encodeAlnumOadc(text: string): string {
  if (!isGsm7(text)) throw new EncodeError('alphanumeric originator must be GSM 7-bit text');
  const septets = gsm7Encode(text);
  if (septets.length === 0 || septets.length > MAX_ALNUM_OADC_SEPTETS) {
    throw new EncodeError(`alphanumeric originator must be 1-${MAX_ALNUM_OADC_SEPTETS} septets`);
  }
  const semi = Math.ceil((7 * septets.length) / 4);
  const packed = packSeptets(septets);
  return (semi < 16 ? '0' : '') + semi.toString(16).toUpperCase() + packed.toString('hex').toUpperCase();
}

/** Decodes an alphanumeric OAdC; undefined when it is not well-formed hex. Never throws. */
export function decodeAlnumOadc(oadc: string): string | undefined {
  if (oadc.length < 2 || oadc.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(oadc)) return undefined;
  const semi = parseInt(oadc.slice(0, 2), 16);
  const packed = Buffer.from(oadc.slice(2), 'hex');
  const chars = Math.floor((semi * 4) / 7);
  return gsm7Decode(unpackSeptets(packed, chars));
}

/** How a sender should go on the wire: alphanumeric (OTOA 5039), or digits with OTOA 1139 when international. */
export function originatorFields(sender: string): { oadc: string; otoa: string } {
  if (/^\+?\d{1,16}$/.test(sender)) {
    if (sender.startsWith('+')) return { oadc: sender.slice(1), otoa: '1139' };
    return { oadc: sender, otoa: '' };
  }
  return { oadc: encodeAlnumOadc(sender), otoa: '5039' };
}

/** The sender as text: alphanumeric OAdC decoded when OTOA is 5039, otherwise the digits as they are. */
export function originatorText(oadc: string, otoa: string): string {
  if (otoa === '5039') return decodeAlnumOadc(oadc) ?? oadc;
  return oadc;
}
