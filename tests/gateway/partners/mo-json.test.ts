import fc from 'fast-check';
import { moFields, moJson, type MoDelivery } from '../../../gateway/partners/handler';
import { createSigner, createVerifier, signContent, verifySignature } from '../../../gateway/partners/signature';

const delivery: fc.Arbitrary<MoDelivery> = fc
  .record({
    id: fc.string(),
    from: fc.string(),
    to: fc.string(),
    text: fc.fullUnicodeString(),
    keyword: fc.option(fc.fullUnicodeString(), { nil: undefined }),
    hex: fc.hexaString(),
    dataCoding: fc.integer({ min: 0, max: 255 }),
    serviceId: fc.string(),
    partnerId: fc.string(),
    operator: fc.string(),
    receivedAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    partial: fc.boolean(),
    missingParts: fc.option(fc.array(fc.integer({ min: 1, max: 255 }), { maxLength: 5 }), { nil: undefined }),
  })
  .map((r) => {
    const d: MoDelivery = { ...r };
    if (r.keyword === undefined) delete d.keyword;
    if (r.missingParts === undefined) delete d.missingParts;
    return d;
  });

describe('moJson: the POST body built without an intermediate object', () => {
  it('is byte for byte JSON.stringify(moFields(mo)), seed printed on failure', () => {
    fc.assert(
      fc.property(delivery, (d) => moJson(d) === JSON.stringify(moFields(d))),
      { numRuns: 300 },
    );
  });

  it('escapes quotes, control characters and lone surrogates as JSON.stringify does', () => {
    const d: MoDelivery = {
      id: '1', from: '4670"1', to: '4455', text: 'a\u0000b\n"\\\ud800', hex: '00', dataCoding: 8, serviceId: 's',
      partnerId: 'p', operator: 'o', receivedAt: 0, partial: true, missingParts: [2],
    };
    expect(JSON.parse(moJson(d))).toEqual(JSON.parse(JSON.stringify(moFields(d))));
    expect(moJson(d)).toBe(JSON.stringify(moFields(d)));
  });
});

describe('createSigner / createVerifier: the key encoded once, same signature as signContent', () => {
  it('agrees with signContent for strings and Buffers (UTF-8)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.fullUnicodeString(), (secret, body) => {
        const sign = createSigner(secret);
        const s = sign(body);
        return s === signContent(secret, body) && s === signContent(secret, Buffer.from(body, 'utf8')) && createVerifier(secret)(Buffer.from(body, 'utf8'), s) && verifySignature(secret, body, s);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a wrong secret, a truncated or missing header', () => {
    const sig = createSigner('k')('body');
    const verify = createVerifier('k');
    expect(verify('body', sig)).toBe(true);
    expect(verify('body!', sig)).toBe(false);
    expect(createVerifier('other')('body', sig)).toBe(false);
    expect(verify('body', sig.slice(0, -1))).toBe(false);
    expect(verify('body', undefined)).toBe(false);
  });
});
