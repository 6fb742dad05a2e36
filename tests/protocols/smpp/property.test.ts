import fc from 'fast-check';
import { CommandId, commandNameOf } from '../../../protocols/smpp/constants';
import { decodeBySchema, decodePdu, encodeBySchema, encodePdu } from '../../../protocols/smpp/codec';
import { SmppFramer, isBadHeaderFrame } from '../../../protocols/smpp/framing';
import type { BindTransceiver, BroadcastSm, DataSm, DeliverSm, SmppPdu, SubmitMulti, SubmitSm, TlvField } from '../../../protocols/smpp/pdu';
import { Tlv } from '../../../protocols/smpp/constants';
import { FrameError } from '../../../protocols/wire/errors';
import { loadSmppFixtures } from '../../fixtures/smpp';

const RUNS = { numRuns: 200 };

/** C-Octet String content: 0..max-1 Latin-1 characters without NUL. */
const cstr = (maxWithNul: number) =>
  fc.array(fc.integer({ min: 1, max: 255 }), { maxLength: maxWithNul - 1 }).map((a) => String.fromCharCode(...a));
const octet = fc.integer({ min: 0, max: 255 });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const two = (n: number) => String(n).padStart(2, '0');
const smppTime = fc.oneof(
  fc.constant(''),
  fc
    .record({
      y: fc.integer({ min: 0, max: 99 }),
      mo: fc.integer({ min: 1, max: 12 }),
      d: fc.integer({ min: 1, max: 28 }),
      h: fc.integer({ min: 0, max: 23 }),
      mi: fc.integer({ min: 0, max: 59 }),
      s: fc.integer({ min: 0, max: 59 }),
      t: fc.integer({ min: 0, max: 9 }),
      nn: fc.integer({ min: 0, max: 48 }),
      p: fc.constantFrom('+', '-', 'R'),
    })
    .map((x) => `${two(x.y)}${two(x.mo)}${two(x.d)}${two(x.h)}${two(x.mi)}${two(x.s)}${x.t}${two(x.nn)}${x.p}`),
);
const esmClass = fc
  .record({ mode: fc.integer({ min: 0, max: 3 }), type: fc.constantFrom(0x00, 0x04, 0x08, 0x10, 0x18, 0x20), gsm: fc.constantFrom(0, 0x40, 0x80, 0xc0) })
  .map((x) => x.mode | x.type | x.gsm);
const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));
/** Unknown/vendor TLVs plus a few known ones with valid sizes; no lone SAR TLVs. */
const tlvs: fc.Arbitrary<TlvField[] | undefined> = fc.option(
  fc.array(
    fc.oneof(
      fc.record({ tag: fc.integer({ min: 0x1400, max: 0x3fff }), value: bytes(40) }),
      fc.record({ tag: fc.constant<number>(Tlv.message_payload), value: bytes(600) }),
      fc.record({ tag: fc.constant<number>(Tlv.user_message_reference), value: bytes(2).filter((b) => b.length === 2) }),
      fc.record({ tag: fc.constant<number>(Tlv.congestion_state), value: octet.map((v) => Buffer.from([v])) }),
    ),
    { minLength: 1, maxLength: 4 },
  ),
  { nil: undefined },
);
const header = { commandStatus: u32, sequenceNumber: u32 };
function withTlvs<T extends object>(arb: fc.Arbitrary<T>): fc.Arbitrary<T & { tlvs?: TlvField[] }> {
  return fc.tuple(arb, tlvs).map(([p, t]) => (t === undefined ? p : { ...p, tlvs: t }));
}

/** The fields after the destination, shared by submit_sm, deliver_sm and submit_multi. */
const smTail = {
  esmClass,
  protocolId: octet,
  priorityFlag: octet,
  scheduleDeliveryTime: smppTime,
  validityPeriod: smppTime,
  registeredDelivery: octet,
  replaceIfPresentFlag: octet,
  dataCoding: octet,
  smDefaultMsgId: octet,
  shortMessage: bytes(254),
};
/** The fields before the destination, shared by the same three. */
const smHead = {
  ...header,
  serviceType: cstr(6),
  sourceAddrTon: octet,
  sourceAddrNpi: octet,
  sourceAddr: cstr(21),
};
const smFields = {
  ...smHead,
  destAddrTon: octet,
  destAddrNpi: octet,
  destinationAddr: cstr(21),
  ...smTail,
};
const submitSm: fc.Arbitrary<SubmitSm> = withTlvs(fc.record({ command: fc.constant('submit_sm' as const), ...smFields }));
const deliverSm: fc.Arbitrary<DeliverSm> = withTlvs(fc.record({ command: fc.constant('deliver_sm' as const), ...smFields }));
const dataSm: fc.Arbitrary<DataSm> = withTlvs(
  fc.record({
    command: fc.constant('data_sm' as const),
    ...header,
    serviceType: cstr(6),
    sourceAddrTon: octet,
    sourceAddrNpi: octet,
    sourceAddr: cstr(65),
    destAddrTon: octet,
    destAddrNpi: octet,
    destinationAddr: cstr(65),
    esmClass,
    registeredDelivery: octet,
    dataCoding: octet,
  }),
);
const bind: fc.Arbitrary<BindTransceiver> = withTlvs(
  fc.record({
    command: fc.constant('bind_transceiver' as const),
    ...header,
    systemId: cstr(16),
    password: cstr(9),
    systemType: cstr(13),
    interfaceVersion: octet,
    addrTon: octet,
    addrNpi: octet,
    addressRange: cstr(41),
  }),
);
const submitMulti: fc.Arbitrary<SubmitMulti> = withTlvs(
  fc.record({
    command: fc.constant('submit_multi' as const),
    ...smHead,
    destAddresses: fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('sme' as const), ton: octet, npi: octet, addr: cstr(21) }),
        fc.record({ kind: fc.constant('dl' as const), name: cstr(21) }),
      ),
      { minLength: 1, maxLength: 20 },
    ),
    ...smTail,
  }),
);

const broadcastSm: fc.Arbitrary<BroadcastSm> = fc
  .tuple(
    fc.record({
      command: fc.constant('broadcast_sm' as const),
      ...header,
      serviceType: cstr(6),
      sourceAddrTon: octet,
      sourceAddrNpi: octet,
      sourceAddr: cstr(21),
      messageId: cstr(65),
      priorityFlag: octet,
      scheduleDeliveryTime: smppTime,
      validityPeriod: smppTime,
      replaceIfPresentFlag: octet,
      dataCoding: octet,
      smDefaultMsgId: octet,
    }),
    bytes(20),
    fc.uint8Array({ minLength: 3, maxLength: 3 }),
    fc.uint8Array({ minLength: 2, maxLength: 2 }),
    fc.uint8Array({ minLength: 3, maxLength: 3 }),
  )
  .map(([p, area, content, rep, freq]) => ({
    ...p,
    tlvs: [
      { tag: Tlv.broadcast_frequency_interval, value: Buffer.from(freq) },
      { tag: Tlv.broadcast_area_identifier, value: area },
      { tag: Tlv.broadcast_rep_num, value: Buffer.from(rep) },
      { tag: Tlv.broadcast_content_type, value: Buffer.from(content) },
    ],
  }));

function roundTrips(pdu: SmppPdu): void {
  const buf = encodePdu(pdu);
  const r = decodePdu(buf);
  if (!r.ok) throw new Error(`status ${r.error.status}`);
  expect(r.pdu).toEqual(pdu);
  expect(encodePdu(r.pdu).equals(buf)).toBe(true);
}

describe('SMPP codec properties', () => {
  it.each([
    ['submit_sm', submitSm],
    ['deliver_sm', deliverSm],
    ['data_sm', dataSm],
    ['bind_transceiver', bind],
    ['submit_multi', submitMulti],
    ['broadcast_sm', broadcastSm],
  ] as Array<[string, fc.Arbitrary<SmppPdu>]>)('%s round-trips', (_name, arb) => {
    fc.assert(fc.property(arb, roundTrips), RUNS);
  });

  it('the hand-written submit_sm/deliver_sm paths equal the schema interpreter', () => {
    fc.assert(
      fc.property(fc.oneof(submitSm, deliverSm), (pdu) => {
        const fast = encodePdu(pdu);
        expect(fast.equals(encodeBySchema(pdu))).toBe(true);
        const slow = decodeBySchema(fast, pdu.command, CommandId[pdu.command], pdu.commandStatus, pdu.sequenceNumber);
        expect(decodePdu(fast)).toEqual(slow);
      }),
      RUNS,
    );
  });

  it('the fast paths give the same status as the interpreter on corrupted bodies', () => {
    const base = loadSmppFixtures()
      .filter((f) => f.pdu.command === 'submit_sm' || f.pdu.command === 'deliver_sm')
      .map((f) => Buffer.from(f.hex, 'hex'));
    fc.assert(
      fc.property(fc.constantFrom(...base), fc.nat(), fc.nat(), octet, fc.boolean(), (orig, at, cut, v, truncate) => {
        let buf = Buffer.from(orig);
        buf[16 + (at % (buf.length - 16))] = v;
        if (truncate) buf = buf.subarray(0, 16 + (cut % (buf.length - 16)));
        buf.writeUInt32BE(buf.length, 0);
        const id = buf.readUInt32BE(4);
        const slow = decodeBySchema(buf, commandNameOf(id)!, id, 0, buf.readUInt32BE(12));
        const fast = decodePdu(buf);
        expect(fast.ok).toBe(slow.ok);
        if (!fast.ok && !slow.ok) expect(fast.error.status).toBe(slow.error.status);
        if (fast.ok && slow.ok) expect(fast.pdu).toEqual(slow.pdu);
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes into decodePdu give a PDU or {ok:false}, never a throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...Object.values(CommandId)), fc.boolean(), (raw, id, fixHeader) => {
        const buf = Buffer.from(raw);
        if (fixHeader && buf.length >= 16) {
          buf.writeUInt32BE(buf.length, 0);
          buf.writeUInt32BE(id, 4);
        }
        const r = decodePdu(buf);
        expect(typeof r.ok).toBe('boolean');
        if (r.ok) expect(() => encodePdu(r.pdu)).not.toThrow(TypeError);
      }),
      RUNS,
    );
  });

  it('mutated fixtures into decodePdu never throw', () => {
    const base = loadSmppFixtures().map((f) => Buffer.from(f.hex, 'hex'));
    fc.assert(
      fc.property(fc.constantFrom(...base), fc.array(fc.tuple(fc.nat(), octet), { maxLength: 4 }), fc.nat(), (orig, flips, cut) => {
        let buf = Buffer.from(orig);
        for (const [at, v] of flips) if (buf.length > 16) buf[16 + (at % (buf.length - 16))] = v;
        buf = buf.subarray(0, Math.max(16, buf.length - (cut % 8)));
        buf.writeUInt32BE(buf.length, 0);
        const r = decodePdu(buf);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('random chunks into the framer give frames or FrameError only', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 10 }), fc.integer({ min: 16, max: 200 }), (chunks, max) => {
        const framer = new SmppFramer({ maxPduBytes: max });
        try {
          for (const c of chunks) {
            for (const f of framer.push(Buffer.from(c))) {
              // A frame is whole, or the 16-octet report of a bad header (then nothing follows).
              if (isBadHeaderFrame(f)) expect(framer.push(Buffer.from(c))).toEqual([]);
              else expect(f.readUInt32BE(0)).toBe(f.length);
              const r = decodePdu(f);
              if (isBadHeaderFrame(f)) expect(r.ok).toBe(false);
            }
          }
        } catch (e) {
          expect(e).toBeInstanceOf(FrameError);
        }
      }),
      RUNS,
    );
  });
});
