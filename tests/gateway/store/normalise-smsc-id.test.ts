import fc from 'fast-check';
import { normaliseSmscId } from '../../../gateway/ids';
import { normaliseSmscId as reexported } from '../../../gateway/store/sqlite/sqlite-store';

describe('normaliseSmscId', () => {
  it.each([
    ['5F3A9C01', '1597676545'],
    ['5f3a9c01', '1597676545'],
    ['1597676545', '1597676545'],
    ['000123', '123'],
    ['123', '123'],
    ['0', '0'],
    ['000', '0'],
    ['ABC', '2748'],
    ['00ff', '255'],
    [' 42 ', '42'],
    ['FFFFFFFFFFFFFFFFFFFF', '1208925819614629174706175'],
    ['0a-b1', 'a-b1'],
    ['MSG-0001', 'msg-0001'],
    // A zero before whitespace stays: the id must not start with whitespace once normalised (fast-check found '0 !').
    ['0 !', '0 !'],
    ['00 !', '0 !'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(normaliseSmscId(input)).toBe(expected);
  });

  it('gives the same id for the hex and decimal spelling of a number, with any zeros and case', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.nat(4), fc.boolean(), (n, zeros, upper) => {
        const hex = '0'.repeat(zeros) + (upper ? n.toString(16).toUpperCase() : n.toString(16));
        const dec = '0'.repeat(zeros) + n.toString(10);
        // A hex spelling made only of decimal digits is read as decimal in 'auto' mode (ambiguous by nature).
        if (/^[0-9]+$/.test(hex)) return normaliseSmscId(dec) === n.toString(10);
        return normaliseSmscId(hex) === normaliseSmscId(dec) && normaliseSmscId(dec) === n.toString(10);
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => normaliseSmscId(normaliseSmscId(s)) === normaliseSmscId(s)),
      { numRuns: 300 },
    );
  });

  it('honours an explicit format', () => {
    expect(normaliseSmscId('123', 'hex')).toBe('291');
    expect(normaliseSmscId('00AB', 'decimal')).toBe('ab');
    expect(normaliseSmscId('0123', 'decimal')).toBe('123');
  });

  it('is the function the store re-exports', () => {
    expect(reexported).toBe(normaliseSmscId);
  });

  // 'hex' is not idempotent by design: its output is decimal, which it would read again as hex.
  it('is idempotent in auto and decimal formats on ids made of the awkward characters (zeros, spaces, hex, other)', () => {
    const ch = fc.constantFrom('0', '0', ' ', '\t', '\u00a0', '1', 'a', 'F', '!', '-');
    fc.assert(
      fc.property(fc.array(ch, { maxLength: 12 }), fc.constantFrom('auto' as const, 'decimal' as const), (cs, format) => {
        const s = cs.join('');
        const once = normaliseSmscId(s, format);
        return normaliseSmscId(once, format) === once;
      }),
      { numRuns: 2000 },
    );
  });
});
