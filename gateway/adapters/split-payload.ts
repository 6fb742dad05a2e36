import { buildUdh, concatIe } from '../../protocols/wire/udh';
import { encodingForDataCoding } from '../../protocols/wire/text';

/** Limits of one SMS in bytes of short_message (gsm7 travels unpacked in SMPP: one septet per byte). */
function limitsFor(dataCoding: number): { single: number; part: number; enc: string } {
  const enc = encodingForDataCoding(dataCoding);
  if (enc === 'gsm7') return { single: 160, part: 153, enc };
  return { single: 140, part: 134, enc };
}

export function fitsOneSms(body: Buffer, dataCoding: number): boolean {
  return body.length <= limitsFor(dataCoding).single;
}

/**
 * Splits a whole message (no UDH) into concatenated parts, each with an 8-bit concat UDH. Never cuts a GSM escape
 * pair (0x1B + code) or a UTF-16 surrogate pair in two.
 */
export function splitPayload(body: Buffer, dataCoding: number, ref: number): Buffer[] {
  const { part, enc } = limitsFor(dataCoding);
  const chunks: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    let end = Math.min(at + part, body.length);
    if (end < body.length) {
      if (enc === 'gsm7' && body[end - 1] === 0x1b) end--;
      else if (enc === 'ucs2') {
        if ((end - at) % 2 === 1) end--;
        const hi = end >= 2 ? body.readUInt16BE(end - 2) : 0;
        if (hi >= 0xd800 && hi <= 0xdbff) end -= 2;
      }
    }
    chunks.push(body.subarray(at, end));
    at = end;
  }
  if (chunks.length <= 1) return [body];
  const total = chunks.length;
  return chunks.map((c, i) => {
    const udh = buildUdh([concatIe({ ref: ref & 0xff, total, seq: i + 1, refBits: 8 })]);
    return Buffer.concat([udh, c]);
  });
}
