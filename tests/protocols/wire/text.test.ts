import {
  chooseEncoding,
  dataCodingFor,
  decodeText,
  encodeText,
  encodingForDataCoding,
  type TextEncoding,
} from '../../../protocols/wire/text';

const hex = (b: Buffer): string => b.toString('hex').toUpperCase();

const DCS_ROWS: ReadonlyArray<readonly [number, TextEncoding]> = [
  [0x00, 'gsm7'],
  [0x01, 'latin1'],
  [0x02, 'binary'],
  [0x03, 'latin1'],
  [0x04, 'binary'],
  [0x05, 'binary'],
  [0x06, 'binary'],
  [0x07, 'binary'],
  [0x08, 'ucs2'],
  [0x09, 'binary'],
  [0x0a, 'binary'],
  [0x0d, 'binary'],
  [0x0e, 'binary'],
  [0x0f, 'binary'],
  // general data coding: bits 3-2 alphabet, bit 4 class meaning, bit 5 compressed
  [0x10, 'gsm7'],
  [0x11, 'gsm7'],
  [0x14, 'binary'],
  [0x15, 'binary'],
  [0x18, 'ucs2'],
  [0x1b, 'ucs2'],
  [0x1c, 'gsm7'],
  [0x20, 'binary'],
  [0x38, 'binary'],
  // automatic-deletion group 01xx xxxx reads like 00xx xxxx
  [0x40, 'gsm7'],
  [0x44, 'binary'],
  [0x48, 'ucs2'],
  [0x60, 'binary'],
  // reserved groups -> default alphabet (23.038)
  [0x80, 'gsm7'],
  [0xbf, 'gsm7'],
  // message waiting: discard / store (GSM7), store (UCS2)
  [0xc0, 'gsm7'],
  [0xd3, 'gsm7'],
  [0xe0, 'ucs2'],
  [0xef, 'ucs2'],
  // class control: bit 2 = 8-bit
  [0xf0, 'gsm7'],
  [0xf1, 'gsm7'],
  [0xf4, 'binary'],
  [0xf5, 'binary'],
  [0xf6, 'binary'],
  [0xf7, 'binary'],
  [0xf8, 'gsm7'],
];

describe('encodingForDataCoding', () => {
  const rows = DCS_ROWS.map(([dcs, enc]) => [dcs.toString(16).padStart(2, '0'), dcs, enc] as const);
  it.each(rows)('0x%s (%i) -> %s', (_h, dcs, enc) => {
    expect(encodingForDataCoding(dcs)).toBe(enc);
  });

  it('dcs 0 follows the per-connection default alphabet', () => {
    expect(encodingForDataCoding(0, { defaultAlphabet: 'latin1' })).toBe('latin1');
    expect(encodingForDataCoding(0xf0, { defaultAlphabet: 'latin1' })).toBe('gsm7');
    expect(decodeText(Buffer.from('40E9', 'hex'), 0, { defaultAlphabet: 'latin1' })).toBe('@é');
  });

  it('dataCodingFor is the inverse for the four encodings', () => {
    for (const enc of ['gsm7', 'ucs2', 'latin1', 'binary'] as const) {
      expect(encodingForDataCoding(dataCodingFor(enc))).toBe(enc);
    }
    expect([dataCodingFor('gsm7'), dataCodingFor('latin1'), dataCodingFor('ucs2'), dataCodingFor('binary')]).toEqual([
      0, 3, 8, 4,
    ]);
  });
});

describe('decodeText / encodeText', () => {
  it('dcs 0: unpacked GSM (S3)', () => {
    expect(decodeText(Buffer.from('48656c6c6f200020776f726c64201b65', 'hex'), 0)).toBe('Hello @ world €');
  });

  it('dcs 8 and 0x18: UCS2 (S12)', () => {
    const b = Buffer.from('041f04400438043204350442', 'hex');
    expect(decodeText(b, 8)).toBe('Привет');
    expect(decodeText(b, 0x18)).toBe('Привет');
  });

  it('dcs 1 (IA5) reads ASCII, dcs 3 Latin-1', () => {
    expect(decodeText(Buffer.from('user@host', 'latin1'), 1)).toBe('user@host');
    expect(decodeText(Buffer.from('E9', 'hex'), 3)).toBe('é');
  });

  it('binary decodes to one Latin-1 char per byte, losslessly', () => {
    const b = Buffer.from([0x00, 0x7f, 0x80, 0xff]);
    const s = decodeText(b, 4);
    expect(s).toHaveLength(4);
    expect(encodeText(s, 'latin1').equals(b)).toBe(true);
  });

  it('encodeText for each encoding', () => {
    expect(hex(encodeText('@€', 'gsm7'))).toBe('001B65');
    expect(hex(encodeText('@€', 'ucs2'))).toBe('004020AC');
    expect(hex(encodeText('@€', 'latin1'))).toBe('403F');
  });

  it('chooseEncoding', () => {
    expect(chooseEncoding('Hello [world] €')).toBe('gsm7');
    expect(chooseEncoding('')).toBe('gsm7');
    expect(chooseEncoding('Привет')).toBe('ucs2');
    expect(chooseEncoding('hi 😀')).toBe('ucs2');
  });

  it('never throws for any dcs and bytes', () => {
    const b = Buffer.from([0x1b, 0xff, 0x00]);
    for (let dcs = 0; dcs < 256; dcs++) expect(typeof decodeText(b, dcs)).toBe('string');
  });
});
