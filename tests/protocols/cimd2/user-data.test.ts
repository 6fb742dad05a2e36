import fc from 'fast-check';
import { decodeUserData, encodeUserData, isCimd2Text, septetCount, ucs2Bytes, ucs2Text } from '../../../protocols/cimd2/user-data';
import { GSM7_DEFAULT_CHARS, GSM7_EXTENSION_CHARS } from '../../../protocols/wire/gsm7';

const SEED = 4242;

describe('CIMD2 user data (_XY table)', () => {
  it.each([
    ['C3', '_OaHome _L-5 _--x', '@Home £5 _x'],
    ['C11', 'Hello _Oa _L- _XXe _XX<_--_XX>', 'Hello @ £ € [_]'],
    ['C12', 'MO _Oa _L- _XXe _u" _-- x', 'MO @ £ € ü _ x'],
  ])('decodes vector %s', (_n, wireText, text) => {
    expect(decodeUserData(wireText)).toBe(text);
  });

  it('encodes C11 text exactly as Kannel did', () => {
    expect(encodeUserData('Hello @ £ € [_]')).toBe('Hello _Oa _L- _XXe _XX<_--_XX>');
  });

  it.each([
    ['@', '_Oa'], ['£', '_L-'], ['$', '$'], ['¥', '_Y-'], ['è', '_e`'], ['é', "_e'"], ['ù', '_u`'], ['ì', '_i`'],
    ['ò', '_o`'], ['Ç', '_C,'], ['Ø', '_O/'], ['ø', '_o/'], ['Å', '_A*'], ['å', '_a*'], ['Δ', '_gd'], ['_', '_--'],
    ['Φ', '_gf'], ['Γ', '_gg'], ['Λ', '_gl'], ['Ω', '_go'], ['Π', '_gp'], ['Ψ', '_gi'], ['Σ', '_gs'], ['Θ', '_gt'],
    ['Ξ', '_gx'], ['Æ', '_AE'], ['æ', '_ae'], ['ß', '_ss'], ['É', "_E'"], ['"', '_qq'], ['¤', '_ox'], ['¡', '_!!'],
    ['Ä', '_A"'], ['Ö', '_O"'], ['Ñ', '_N~'], ['Ü', '_U"'], ['§', '_so'], ['¿', '_??'], ['ä', '_a"'], ['ö', '_o"'],
    ['ñ', '_n~'], ['ü', '_u"'], ['à', '_a`'],
    ['€', '_XXe'], ['[', '_XX<'], [']', '_XX>'], ['{', '_XX('], ['}', '_XX)'], ['\\', '_XX/'], ['~', '_XX='],
    ['^', '_XX_gl'], ['|', '_XX_!!'],
    ['\n', '\n'], ['\r', '\r'], ['A', 'A'], ['#', '#'], ['?', '?'],
  ])('%j <-> %j', (ch, combo) => {
    expect(encodeUserData(ch)).toBe(combo);
    expect(decodeUserData(combo)).toBe(ch);
  });

  it("accepts Wireshark's _n\" for ü and literal @ / Latin-1 bytes", () => {
    expect(decodeUserData('_n"')).toBe('ü');
    expect(decodeUserData('a@b')).toBe('a@b');
    expect(decodeUserData('caf\u00e9')).toBe('café');
  });

  it('keeps unknown combinations and dangling underscores literally', () => {
    expect(decodeUserData('_zz')).toBe('_zz');
    expect(decodeUserData('a_')).toBe('a_');
    expect(decodeUserData('_X')).toBe('_X');
    expect(decodeUserData('_XX')).toBe('_XX');
    expect(decodeUserData('__Oa')).toBe('_@');
  });

  it('reads an escape before a code without extension meaning as the base character', () => {
    expect(decodeUserData('_XXA')).toBe('A');
  });

  it('replaces characters outside GSM with ?', () => {
    expect(encodeUserData('Привет 😀')).toBe('?????? ?');
    expect(isCimd2Text('Привет')).toBe(false);
    expect(isCimd2Text('Hello € [x]')).toBe(true);
  });

  it('counts extension characters as two septets', () => {
    expect(septetCount('a€[')).toBe(5);
  });

  it('round-trips every GSM character (default and extension tables)', () => {
    const all = [...GSM7_DEFAULT_CHARS, ...GSM7_EXTENSION_CHARS].join('');
    expect(decodeUserData(encodeUserData(all))).toBe(all);
    // Only printable ASCII (and raw CR/LF) goes on the wire.
    expect(/^[\x20-\x7e\r\n]*$/.test(encodeUserData(all))).toBe(true);
  });

  it('property: decode(encode(text)) === text for GSM text', () => {
    const gsmChar = fc.constantFrom(...GSM7_DEFAULT_CHARS, ...GSM7_EXTENSION_CHARS);
    fc.assert(
      fc.property(fc.array(gsmChar, { maxLength: 200 }), (chars) => {
        const text = chars.join('');
        const w = encodeUserData(text);
        return decodeUserData(w) === text && !/[\t\x00-\x03]/.test(w);
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('property: decode never throws on any Latin-1 string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }).map((s) => s.replace(/[^\x00-\xff]/g, '_')), (s) => {
        decodeUserData(s);
        return true;
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('UCS2 helpers round-trip with surrogate pairs and ignore an odd trailing byte', () => {
    const t = 'Привет 😀';
    expect(ucs2Text(ucs2Bytes(t))).toBe(t);
    expect(ucs2Bytes('П').toString('hex')).toBe('041f');
    expect(ucs2Text(Buffer.from([0x04, 0x1f, 0x04]))).toBe('П');
  });
});
