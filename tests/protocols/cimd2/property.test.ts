import fc from 'fast-check';
import { decodePacket, encodePacket } from '../../../protocols/cimd2/codec';
import { Cimd2Framer } from '../../../protocols/cimd2/framing';
import { readMessage, submit } from '../../../protocols/cimd2/message';
import type { Cimd2Packet } from '../../../protocols/cimd2/packet';
import { FrameError } from '../../../protocols/wire/errors';
import { GSM7_DEFAULT_CHARS, GSM7_EXTENSION_CHARS } from '../../../protocols/wire/gsm7';

const SEED = 20240115;
const gsmText = fc.array(fc.constantFrom(...GSM7_DEFAULT_CHARS, ...GSM7_EXTENSION_CHARS), { maxLength: 160 }).map((a) => a.join(''));
const digits = fc.stringMatching(/^\+?[0-9]{1,20}$/);

// Values free of the frame delimiters, Latin-1 only, for unknown parameter codes.
const freeValue = fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\xff]/g, 'x'));
const unknownParam = fc.record({ code: fc.constantFrom('700', '777', '888', '123'), value: freeValue });

describe('CIMD2 property tests', () => {
  it('any packet of unknown parameters round-trips (with and without checksum)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 999 }),
        fc.array(unknownParam, { maxLength: 8 }),
        fc.boolean(),
        (opCode, packetNumber, params, checksum) => {
          const pkt: Cimd2Packet = { opCode, packetNumber, params };
          const bytes = encodePacket(pkt, { checksum });
          const r = decodePacket(bytes);
          if (!r.ok) return false;
          expect(r.pdu).toEqual(pkt);
          expect(r.hasChecksum).toBe(checksum);
          return encodePacket(r.pdu, { checksum }).equals(bytes);
        },
      ),
      { numRuns: 300, seed: SEED },
    );
  });

  it('submit with text of every GSM character round-trips through the wire', () => {
    fc.assert(
      fc.property(digits, gsmText, fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9 }), (dest, text, tariff, service) => {
        const pkt = submit({ destinations: [dest], originator: 'ACME', text, tariffClass: tariff, serviceDescription: service }, 3);
        const r = decodePacket(encodePacket(pkt));
        if (!r.ok) return false;
        const v = readMessage(r.pdu);
        return v.text === text && v.destinations[0] === dest && v.tariffClass === tariff && v.serviceDescription === service && v.originatorType === 'alphanumeric';
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('submit with binary data and UDH round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 140 }), fc.uint8Array({ minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 255 }), (data, udh, dcs) => {
        const pkt = submit({ destinations: ['447700900123'], binary: Buffer.from(data), udh: Buffer.from(udh), dcs }, 5);
        const r = decodePacket(encodePacket(pkt));
        if (!r.ok) return false;
        const v = readMessage(r.pdu);
        return v.binary!.equals(Buffer.from(data)) && v.udh!.equals(Buffer.from(udh)) && v.dcs === dcs;
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('random bytes through the framer and decoder yield frames or typed errors only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 50 }), (bytes, chunk) => {
        const framer = new Cimd2Framer({ maxFrameBytes: 128 });
        const buf = Buffer.from(bytes);
        for (let i = 0; i < buf.length; i += chunk) {
          let frames: Buffer[];
          try {
            frames = framer.push(buf.subarray(i, i + chunk));
          } catch (e) {
            expect(e).toBeInstanceOf(FrameError);
            return true;
          }
          for (const f of frames) {
            const r = decodePacket(f);
            if (!r.ok) expect(['header', 'checksum', 'no_etx', 'syntax', 'value']).toContain(r.reason);
          }
        }
        return true;
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('random bytes biased to CIMD2 syntax never throw from decodePacket', () => {
    const tok = fc.constantFrom('\x02', '\x03', '\t', ':', '0', '3', '021', '033', '_XX', 'A', '9', '40:', '\x00', 'F');
    fc.assert(
      fc.property(fc.array(tok, { maxLength: 40 }), (parts) => {
        const r = decodePacket(Buffer.from('\x02' + parts.join(''), 'latin1'));
        return typeof r.ok === 'boolean';
      }),
      { numRuns: 300, seed: SEED },
    );
  });
});
