import fc from 'fast-check';
import { decodeUcp, encodeUcp, nackFor } from '../../../protocols/ucp/codec';
import { UcpFramer } from '../../../protocols/ucp/framing';
import type { UcpPdu } from '../../../protocols/ucp/pdu';
import { FIELDS_5X } from '../../../protocols/ucp/schema';
import { EncodeError, FrameError, PduDecodeError } from '../../../protocols/wire/errors';
import { ucpFixtures } from '../../fixtures/ucp';
import { blank5x } from '../../fixtures/ucp/blank';

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Independent LEN/CK computation (ucp.md section 1) for hand-made malformed frames. */
function frameOf(trn: string, kind: string, ot: string, fields: string[], opts: { len?: string; ck?: string } = {}): Buffer {
  const body = `${kind}/${ot}/` + fields.map((f) => f + '/').join('');
  const len = opts.len ?? String(body.length + 11).padStart(5, '0');
  const text = `${trn}/${len}/${body}`;
  let sum = 0;
  for (const c of Buffer.from(text, 'latin1')) sum += c;
  const ck = opts.ck ?? (sum & 0xff).toString(16).toUpperCase().padStart(2, '0');
  return bytes(`\x02${text}${ck}\x03`);
}

describe('UCP golden fixtures, four ways', () => {
  it('has every README vector U1-U13', () => {
    const names = ucpFixtures.map((f) => f.name.split(' ')[0]);
    for (let i = 1; i <= 13; i++) expect(names).toContain(`U${i}`);
  });

  describe.each(ucpFixtures.map((f) => [f.name, f] as const))('%s', (_name, fx) => {
    const frame = bytes(fx.frame);
    it('decodes to the PDU', () => {
      const r = decodeUcp(frame);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.pdu).toEqual(fx.pdu);
    });
    it('encodes to the frame', () => {
      expect(encodeUcp(fx.pdu).toString('latin1')).toBe(fx.frame);
    });
    it('round-trips', () => {
      const r = decodeUcp(encodeUcp(fx.pdu));
      expect(r.ok && r.pdu).toEqual(fx.pdu);
    });
    it('is consumed whole by the framer', () => {
      const framer = new UcpFramer();
      const out = framer.push(frame);
      expect(out).toHaveLength(1);
      expect(out[0]!.equals(frame)).toBe(true);
      expect(framer.buffered).toBe(0);
    });
  });
});

describe('UCP malformed frames', () => {
  const good = frameOf('07', 'O', '31', ['4477009000', '0539']);

  it('checksum error -> NACK 01 with the header', () => {
    const bad = Buffer.from(good);
    bad[bad.length - 2] = bad[bad.length - 2] === 0x39 ? 0x38 : 0x39;
    const r = decodeUcp(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toBeInstanceOf(PduDecodeError);
      expect(r.error.status).toBe('01');
      expect(r.header).toEqual({ trn: 7, kind: 'O', ot: '31' });
    }
    expect(nackFor(r)).toEqual({ header: { trn: 7, kind: 'O', ot: '31' }, ec: '01' });
  });

  it('non-hex checksum -> NACK 01', () => {
    const r = decodeUcp(frameOf('07', 'O', '31', ['4477009000', '0539'], { ck: 'ZZ' }));
    expect(!r.ok && r.error.status).toBe('01');
  });

  it('accepts a lowercase checksum', () => {
    const f = frameOf('01', 'R', '60', ['A', '']);
    const lower = bytes(f.toString('latin1').replace(/([0-9A-F]{2})\x03$/, (m) => m.toLowerCase()));
    const r = decodeUcp(lower);
    expect(r.ok).toBe(true);
  });

  it('wrong LEN -> NACK 02', () => {
    const r = decodeUcp(frameOf('07', 'O', '31', ['4477009000', '0539'], { len: '00033' }));
    expect(!r.ok && r.error.status).toBe('02');
    expect(!r.ok && r.header?.trn).toBe(7);
  });

  it('non-numeric LEN -> NACK 02', () => {
    const r = decodeUcp(frameOf('07', 'O', '31', ['4477009000', '0539'], { len: '0003X' }));
    expect(!r.ok && r.error.status).toBe('02');
  });

  it('too many fields -> NACK 02, or dropped with extraFields ignore', () => {
    const f = frameOf('07', 'O', '31', ['4477009000', '0539', 'extra']);
    const r = decodeUcp(f);
    expect(!r.ok && r.error.status).toBe('02');
    const lenient = decodeUcp(f, { extraFields: 'ignore' });
    expect(lenient.ok && lenient.pdu).toEqual({ kind: 'O', ot: '31', trn: 7, adc: '4477009000', pid: '0539' });
  });

  it('too few fields -> NACK 02', () => {
    const r = decodeUcp(frameOf('07', 'O', '51', ['447700900123', '1234']));
    expect(!r.ok && r.error.status).toBe('02');
  });

  it('non-numeric TRN -> no readable header (fatal), no NACK possible', () => {
    const r = decodeUcp(frameOf('0x', 'O', '31', ['4477009000', '0539']));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.header).toBeNull();
    expect(nackFor(r)).toBeNull();
  });

  it('neither O nor R -> fatal', () => {
    const r = decodeUcp(frameOf('07', 'X', '31', ['4477009000', '0539']));
    expect(!r.ok && r.header).toBeNull();
  });

  it('unknown OT -> NACK 03', () => {
    const r = decodeUcp(frameOf('09', 'O', '99', ['x']));
    expect(!r.ok && r.error.status).toBe('03');
    expect(nackFor(r)?.header.ot).toBe('99');
  });

  it('letters in a 51 AdC -> NACK 06; an alphanumeric account in 31 / 60 is accepted (Kannel usernames)', () => {
    const f51 = Object.values({ ...blank5x(), adc: '44770A9000', oadc: '1', mt: '3', msg: '41' });
    const r = decodeUcp(frameOf('07', 'O', '51', f51));
    expect(!r.ok && r.error.status).toBe('06');
    expect(decodeUcp(frameOf('07', 'O', '31', ['kannel', '0539'])).ok).toBe(true);
    expect(decodeUcp(frameOf('07', 'O', '31', ['a'.repeat(17), '0539'])).ok).toBe(false);
  });

  it('odd-length AMsg under MT 3 -> NACK 02; unknown MT -> NACK 23', () => {
    const f5 = (mt: string, msg: string): string[] => Object.values({ ...blank5x(), adc: '1', oadc: '2', mt, msg });
    expect(((r) => !r.ok && r.error.status)(decodeUcp(frameOf('07', 'O', '51', f5('3', '414'))))).toBe('02');
    expect(((r) => !r.ok && r.error.status)(decodeUcp(frameOf('07', 'O', '51', f5('7', '41'))))).toBe('23');
    expect(((r) => !r.ok && r.error.status)(decodeUcp(frameOf('07', 'O', '51', f5('2', '12a'))))).toBe('02');
  });

  it('01 takes MT 2 and 3 only: MT 4 -> NACK 23', () => {
    expect(decodeUcp(frameOf('07', 'O', '01', ['4477009000', '447700900123', '', '3', '4869'])).ok).toBe(true);
    expect(((r) => !r.ok && r.error.status)(decodeUcp(frameOf('07', 'O', '01', ['4477009000', '447700900123', '', '4', '4869'])))).toBe('23');
  });

  it('extraFields ignore reads an over-long result by its leading fields; reject refuses it', () => {
    const f = frameOf('07', 'R', '51', ['A', '', '447700900123:150124123005', '', 'x']);
    expect(decodeUcp(f, { extraFields: 'ignore' })).toMatchObject({ ok: true, pdu: { result: { ack: true, mvp: '', sm: '447700900123:150124123005' } } });
    expect(((r) => !r.ok && r.error.status)(decodeUcp(f))).toBe('02');
    const n = frameOf('08', 'R', '31', ['N', '02', 'Syntax error', '']);
    expect(decodeUcp(n, { extraFields: 'ignore' })).toMatchObject({ ok: true, pdu: { result: { ack: false, ec: '02', sm: 'Syntax error' } } });
    const a31 = frameOf('09', 'R', '31', ['A', '0000', '']);
    expect(decodeUcp(a31, { extraFields: 'ignore' })).toMatchObject({ ok: true, pdu: { result: { ack: true, sm: '0000' } } });
  });

  it('a result neither A nor N, or a NACK without EC -> error with header', () => {
    expect(((r) => !r.ok && r.error.status)(decodeUcp(frameOf('07', 'R', '51', ['Q', '', ''])))).toBe('02');
    expect(((r) => !r.ok && r.error.status)(decodeUcp(frameOf('07', 'R', '51', ['N', 'x', ''])))).toBe('02');
  });

  it('reads a 5x ACK sent as A/SM (no MVP) with an empty MVP', () => {
    const r = decodeUcp(frameOf('02', 'R', '51', ['A', '447700900123:150124123005']));
    expect(r.ok && r.pdu).toEqual({ kind: 'R', ot: '51', trn: 2, result: { ack: true, mvp: '', sm: '447700900123:150124123005' } });
  });

  it('not an STX..ETX frame -> fatal', () => {
    const r = decodeUcp(bytes('07/00032/O/31/4477009000/0539/F9'));
    expect(!r.ok && r.header).toBeNull();
  });

  it('missing ETX (an STX inside a frame) -> FrameError from the framer', () => {
    const framer = new UcpFramer();
    const truncated = good.subarray(0, good.length - 1);
    expect(() => framer.push(Buffer.concat([truncated, good]))).toThrow(FrameError);
  });

  it('a frame over maxFrameBytes -> FrameError, with or without ETX', () => {
    expect(() => new UcpFramer({ maxFrameBytes: 20 }).push(good)).toThrow(FrameError);
    expect(() => new UcpFramer({ maxFrameBytes: 20 }).push(good.subarray(0, 25))).toThrow(FrameError);
  });

  it('skips bytes between frames', () => {
    const framer = new UcpFramer();
    const out = framer.push(Buffer.concat([bytes('\r\nxx'), good, bytes('\n'), good]));
    expect(out).toHaveLength(2);
    expect(framer.skippedBytes).toBe(5);
  });
});

describe('UCP encoder guards', () => {
  it('rejects a TRN out of range, a slash or a control char in a field', () => {
    const alert: UcpPdu = { kind: 'O', ot: '31', trn: 100, adc: '1', pid: '0539' };
    expect(() => encodeUcp(alert)).toThrow(EncodeError);
    expect(() => encodeUcp({ ...alert, trn: 1, adc: '1/2' })).toThrow(EncodeError);
    expect(() => encodeUcp({ ...alert, trn: 1, adc: '1\x03' })).toThrow(EncodeError);
    expect(() => encodeUcp({ ...alert, trn: 1, adc: '€' })).toThrow(EncodeError);
    expect(() => encodeUcp({ kind: 'R', ot: '51', trn: 1, result: { ack: false, ec: '2', sm: '' } })).toThrow(EncodeError);
  });

  it('does not mutate its input and numbers with trnOverride', () => {
    const alert = Object.freeze({ kind: 'O' as const, ot: '31' as const, adc: '4477009000', pid: '0539' });
    expect(encodeUcp(alert, 7).toString('latin1')).toBe('\x0207/00032/O/31/4477009000/0539/F9\x03');
  });
});

describe('UCP property tests', () => {
  const digits = (max: number) => fc.stringMatching(new RegExp(`^[0-9]{0,${max}}$`));
  const hexPairs = (max: number) => fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: max }).map((a) => Buffer.from(a).toString('hex').toUpperCase());

  it('valid 5x operations round-trip byte for byte', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.constantFrom('51' as const, '52' as const, '53' as const),
        digits(16),
        digits(16),
        fc.constantFrom('', '2', '3', '4'),
        hexPairs(140),
        hexPairs(20),
        digits(12),
        (trn, ot, adc, oadc, mt, hex, xser, scts) => {
          const msg = mt === '2' ? scts : mt === '' ? '' : hex;
          const pdu: UcpPdu = { kind: 'O', ot, trn, ...blank5x(), adc, oadc, mt, msg, xser, scts };
          const frame = encodeUcp(pdu);
          const r = decodeUcp(frame);
          expect(r.ok && r.pdu).toEqual(pdu);
          if (r.ok) expect(encodeUcp(r.pdu).equals(frame)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('results round-trip', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.constantFrom('01', '31', '51', '52', '53', '60', '61'),
        fc.boolean(),
        fc.stringMatching(/^[ -.0-~]{0,40}$/),
        digits(2).filter((s) => s.length === 2),
        (trn, ot, ack, sm, ec) => {
          const mvp = ['51', '52', '53'].includes(ot) ? { mvp: '' } : {};
          const pdu: UcpPdu = { kind: 'R', ot, trn, result: ack ? { ack: true, ...mvp, sm } : { ack: false, ec, sm } };
          const r = decodeUcp(encodeUcp(pdu));
          expect(r.ok && r.pdu).toEqual(pdu);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random bytes give frames or FrameError, and frames decode or give a typed error', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), fc.boolean(), (chunks, framed) => {
        const framer = new UcpFramer({ maxFrameBytes: 256 });
        for (const c of chunks) {
          const chunk = framed ? Buffer.concat([Buffer.from([2]), Buffer.from(c), Buffer.from([3])]) : Buffer.from(c);
          let frames: Buffer[];
          try {
            frames = framer.push(chunk);
          } catch (err) {
            expect(err).toBeInstanceOf(FrameError);
            return;
          }
          for (const f of frames) {
            const r = decodeUcp(f);
            if (!r.ok) expect(r.error).toBeInstanceOf(PduDecodeError);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('extraFields ignore: any frame plus trailing fields decodes as the frame alone; reject answers 02', () => {
    const frames = ucpFixtures.map((f) => bytes(f.frame)).filter((f) => decodeUcp(f).ok);
    fc.assert(
      fc.property(fc.nat(frames.length - 1), fc.array(fc.stringMatching(/^[0-9A-Z]{0,6}$/), { minLength: 1, maxLength: 4 }), (i, extra) => {
        const f = frames[i]!;
        const text = f.toString('latin1', 1, f.length - 3) + extra.map((x) => x + '/').join('');
        const body = text.slice(0, 3) + String(text.length + 2).padStart(5, '0') + text.slice(8);
        let sum = 0;
        for (let k = 0; k < body.length; k++) sum += body.charCodeAt(k);
        const longer = Buffer.from('\x02' + body + (sum & 0xff).toString(16).toUpperCase().padStart(2, '0') + '\x03', 'latin1');
        const base = decodeUcp(f);
        const lenient = decodeUcp(longer, { extraFields: 'ignore' });
        expect(lenient.ok && lenient.pdu).toEqual(base.ok && base.pdu);
        const generic = base.ok && base.pdu.kind === 'O' && 'fields' in base.pdu;
        if (!generic) expect(decodeUcp(longer)).toMatchObject({ ok: false, error: { status: '02' } });
      }),
      { numRuns: 200 },
    );
  });

  it('mutated valid frames never throw from the decoder', () => {
    const frames = ucpFixtures.map((f) => bytes(f.frame));
    fc.assert(
      fc.property(fc.nat(frames.length - 1), fc.nat(), fc.integer({ min: 0, max: 255 }), (i, pos, v) => {
        const f = Buffer.from(frames[i]!);
        f[pos % f.length] = v;
        const r = decodeUcp(f);
        if (!r.ok) expect(r.error).toBeInstanceOf(PduDecodeError);
      }),
      { numRuns: 300 },
    );
  });
});

describe('UCP 5x layout written out matches the schema table', () => {
  it.each(FIELDS_5X.map((f, i) => [f.name, i] as const))('%s sits at field %i both ways', (name, i) => {
    const value = FIELDS_5X[i]!.format === 'hex' ? '01' : name === 'mt' ? '2' : '1';
    const fields = Object.values(blank5x());
    fields[i] = value;
    if (name === 'msg') fields[18] = '2'; // a Msg needs its MT
    const frame = frameOf('05', 'O', '52', fields);
    const r = decodeUcp(frame);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect((r.pdu as unknown as Record<string, string>)[name]).toBe(value);
    expect(encodeUcp(r.pdu).equals(frame)).toBe(true);
  });
});
