/** ISO-8859-1 (SMPP data_coding 0x03): one byte per character U+0000-U+00FF. */

/** True when every character is in U+0000-U+00FF. */
export function isLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0xff) return false;
  }
  return true;
}

/**
 * Latin-1 bytes of `text`. Each code point above U+00FF (a surrogate pair is one code point) becomes
 * `opts.replacement` (default '?'; '' drops it; non-Latin-1 chars inside the replacement become '?'). Never throws.
 */
export function latin1Encode(text: string, opts?: { replacement?: string }): Buffer {
  if (isLatin1(text)) return Buffer.from(text, 'latin1');
  const rep = opts?.replacement ?? '?';
  const repBytes = isLatin1(rep) ? rep : rep.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\u0000-\u00FF]/g, '?');
  let s = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const cu = text.charCodeAt(i);
    if (cu <= 0xff) continue;
    s += text.slice(start, i) + repBytes;
    const next = text.charCodeAt(i + 1);
    if (cu >= 0xd800 && cu <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
    start = i + 1;
  }
  s += text.slice(start);
  return Buffer.from(s, 'latin1');
}

/** Latin-1 text of `buf` (every byte maps to U+0000-U+00FF; never throws). */
export function latin1Decode(buf: Buffer): string {
  return buf.toString('latin1');
}
