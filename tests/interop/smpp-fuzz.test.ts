import fc from 'fast-check';
import { decodePdu } from '../../protocols/smpp/codec';
import { CommandStatus } from '../../protocols/smpp/constants';
import { SmppServer } from '../../protocols/smpp/server';
import { loadSmppFixtures } from '../fixtures/smpp';
import { RawPeer } from '../protocols/smpp/raw-peer';

/**
 * Random and mutated PDUs thrown at our SMSC session over a real loopback socket (bounded runs). Whatever arrives,
 * the server must answer our marker enquire_link or close the connection (keep-alive and bind timers bound the
 * wait), put only well-formed PDUs on the wire, and keep accepting new connections.
 */

const S1_BIND_TRX = '0000002a000000090000000000000001736d7070636c69656e74310070617373776f7264000034000000';
const MARKER = '00000010000000150000000000007777';
const MARKER_RESP = '00000010800000150000000000007777';
const fixtures = loadSmppFixtures().map((f) => Buffer.from(f.hex, 'hex'));

let server: SmppServer;
let port: number;
const peers: RawPeer[] = [];

beforeAll(async () => {
  server = new SmppServer({
    port: 0,
    auth: (req) => (req.password === 'password' ? { ok: true, systemId: 'SMSC' } : { ok: false, status: CommandStatus.ESME_RINVPASWD }),
    // Short timers so a half-sent frame ends in a close quickly instead of a stall.
    sessionOptions: { bindTimeoutMs: 150, enquireLinkIntervalMs: 100, enquireLinkTimeoutMs: 50, inboundTimeoutMs: 50, unbindTimeoutMs: 50 },
  });
  server.sessions$.subscribe((s) => s.requests$.subscribe(() => undefined)); // never answered: the inbound timeout does
  ({ port } = await server.listen());
});

afterEach(() => {
  for (const p of peers.splice(0)) p.destroy();
});

afterAll(async () => {
  await server.close();
});

/** A fixture with a few octets overwritten (header included), or random bytes, possibly with a sane length. */
const mutated = fc.oneof(
  fc
    .tuple(fc.constantFrom(...fixtures), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }))
    .map(([f, edits]) => {
      const b = Buffer.from(f);
      for (const [at, v] of edits) b[at % b.length] = v;
      return b;
    }),
  fc.uint8Array({ minLength: 1, maxLength: 80 }).map((u) => Buffer.from(u)),
  fc.uint8Array({ minLength: 0, maxLength: 60 }).chain((u) =>
    fc.integer({ min: 0, max: 0x200 }).map((id) => {
      const b = Buffer.alloc(16 + u.length);
      b.writeUInt32BE(b.length, 0);
      b.writeUInt32BE(id % 2 === 0 ? id : (id | 0x80000000) >>> 0, 4);
      b.writeUInt32BE(0x42, 12);
      Buffer.from(u).copy(b, 16);
      return b;
    }),
  ),
);

/** Reads every PDU until the marker's answer or the close; each one must have a sane length. */
async function outcome(k: RawPeer): Promise<'answered' | 'closed'> {
  for (let i = 0; i < 1000; i++) {
    const p = await k.readPdu(); // throws on a command_length < 16 from our side
    if (p === null) return 'closed';
    // Whatever it answers, our server only writes PDUs that decode.
    expect(decodePdu(Buffer.from(p, 'hex')).ok).toBe(true);
    if (p === MARKER_RESP) return 'answered';
  }
  throw new Error('more than 1000 PDUs from the server');
}

describe('SMPP server fuzzing over loopback', () => {
  it('answers or closes on mutated PDUs, before and after bind, and keeps serving', async () => {
    const seen = { answered: 0, closed: 0 };
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(mutated, { minLength: 1, maxLength: 4 }), async (bindFirst, pdus) => {
        const k = await RawPeer.connect(port);
        peers.push(k);
        if (bindFirst) {
          k.write(S1_BIND_TRX);
          expect(await k.readPdu()).toBe('0000001a800000090000000000000001534d5343000210000134');
        }
        for (const p of pdus) k.write(p);
        k.write(MARKER);
        const r = await outcome(k);
        seen[r]++;
        k.destroy();
      }),
      { numRuns: 40, seed: 20261122 },
    );
    // Both outcomes are exercised, so neither branch is dead.
    expect(seen.answered).toBeGreaterThan(0);
    expect(seen.closed).toBeGreaterThan(0);
    const k = await RawPeer.connect(port);
    peers.push(k);
    k.write(S1_BIND_TRX);
    expect(await k.readPdu()).toBe('0000001a800000090000000000000001534d5343000210000134');
  });
});
