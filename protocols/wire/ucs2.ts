/**
 * UCS2 as carried by SMS (data_coding 0x08): UTF-16BE. Characters outside the BMP travel as surrogate pairs (two
 * units), which every current handset and SMSC treats as UTF-16. Lone surrogates are carried as they are.
 */

/** UTF-16BE of `text`, one 16-bit unit per JS code unit (surrogate pairs kept as two units). */
export function ucs2Encode(text: string): Buffer {
  const out = Buffer.from(text, 'utf16le');
  return out.swap16();
}

/** Decodes UTF-16BE. An odd trailing byte is ignored (never throws); the input is not modified. */
export function ucs2Decode(buf: Buffer): string {
  const even = buf.length & ~1;
  if (even === 0) return '';
  // Copy first: swap16 works in place and the caller's buffer must stay untouched.
  return Buffer.from(buf.subarray(0, even)).swap16().toString('utf16le');
}

/** Number of 16-bit units `text` takes in UCS2 (= text.length; an emoji outside the BMP counts 2). */
export function ucs2UnitCount(text: string): number {
  return text.length;
}
