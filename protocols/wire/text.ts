/**
 * data_coding (SMPP) / DCS (GSM 03.38, 3GPP 23.038 §4) handling shared by SMPP, UCP (XSer 02) and CIMD2 (030).
 *
 * Mapping chosen by encodingForDataCoding (documented because peers differ):
 * - 0x00 SMSC default -> gsm7 (unpacked); make it latin1 per connection with `{ defaultAlphabet: 'latin1' }`.
 * - 0x01 IA5/ASCII -> latin1: ASCII is a subset of Latin-1, so '@' (0x40) stays '@' (GSM would read it as '¡').
 * - 0x02, 0x04 octet unspecified -> binary. 0x03 -> latin1. 0x08 -> ucs2.
 * - 0x05-0x07, 0x09-0x0F (JIS, Cyrillic, Hebrew, pictogram, ISO-2022-JP, KS C 5601, reserved) -> binary: we have no
 *   codec for them, and binary keeps the bytes intact end to end.
 * - 0x10-0x7F general data coding (bits 7-6 = 00 or 01): compressed (bit 5) -> binary; else bits 3-2:
 *   00 gsm7, 01 binary (8-bit), 10 ucs2, 11 reserved -> gsm7 (23.038: reserved codings are read as the default alphabet).
 * - 0x80-0xBF reserved groups -> gsm7 (same rule). 0xC0-0xDF message waiting -> gsm7. 0xE0-0xEF -> ucs2.
 * - 0xF0-0xFF class control: bit 2 set -> binary, else gsm7.
 * decodeText for binary returns the Latin-1 string of the bytes: one char per byte, lossless, and
 * latin1Encode(decodeText(b)) gives `b` back.
 */
import { gsm7Decode, gsm7Encode, isGsm7 } from './gsm7';
import { latin1Decode, latin1Encode } from './latin1';
import { ucs2Decode, ucs2Encode } from './ucs2';

export type TextEncoding = 'gsm7' | 'ucs2' | 'latin1' | 'binary';

export const DATA_CODING = {
  smscDefault: 0x00,
  ia5: 0x01,
  binary2: 0x02,
  latin1: 0x03,
  binary: 0x04,
  ucs2: 0x08,
} as const;

export interface TextOptions {
  /** What data_coding 0x00 means on this connection (default gsm7, unpacked septets). */
  defaultAlphabet?: 'gsm7' | 'latin1';
}

/** gsm7 when every character fits the GSM default or extension table, otherwise ucs2. */
export function chooseEncoding(text: string): 'gsm7' | 'ucs2' {
  return isGsm7(text) ? 'gsm7' : 'ucs2';
}

function alphabetBits(dcs: number): TextEncoding {
  switch ((dcs >>> 2) & 0x03) {
    case 1:
      return 'binary';
    case 2:
      return 'ucs2';
    default:
      return 'gsm7';
  }
}

/** Encoding for an SMPP data_coding / GSM DCS value (see the module comment). Any number is accepted. */
export function encodingForDataCoding(dcs: number, opts?: TextOptions): TextEncoding {
  const v = dcs & 0xff;
  if (v < 0x10) {
    switch (v) {
      case 0x00:
        return opts?.defaultAlphabet ?? 'gsm7';
      case 0x01:
      case 0x03:
        return 'latin1';
      case 0x08:
        return 'ucs2';
      default:
        return 'binary';
    }
  }
  if (v < 0x80) return v & 0x20 ? 'binary' : alphabetBits(v);
  if (v < 0xe0) return 'gsm7'; // reserved groups and message-waiting discard/store groups
  if (v < 0xf0) return 'ucs2';
  return v & 0x04 ? 'binary' : 'gsm7';
}

/** data_coding to send for an encoding: gsm7 0x00, latin1 0x03, ucs2 0x08, binary 0x04. */
export function dataCodingFor(enc: TextEncoding): number {
  switch (enc) {
    case 'gsm7':
      return DATA_CODING.smscDefault;
    case 'latin1':
      return DATA_CODING.latin1;
    case 'ucs2':
      return DATA_CODING.ucs2;
    case 'binary':
      return DATA_CODING.binary;
  }
}

/** Decodes message bytes (without UDH) for a data_coding. gsm7 is unpacked septets. Never throws. */
export function decodeText(bytes: Buffer, dcs: number, opts?: TextOptions): string {
  switch (encodingForDataCoding(dcs, opts)) {
    case 'gsm7':
      return gsm7Decode(bytes);
    case 'ucs2':
      return ucs2Decode(bytes);
    case 'latin1':
    case 'binary':
      return latin1Decode(bytes);
  }
}

/** Encodes text; unrepresentable characters become '?' for gsm7 and latin1 (ucs2 carries everything). */
export function encodeText(text: string, enc: 'gsm7' | 'ucs2' | 'latin1'): Buffer {
  switch (enc) {
    case 'gsm7':
      return gsm7Encode(text);
    case 'ucs2':
      return ucs2Encode(text);
    case 'latin1':
      return latin1Encode(text);
  }
}
