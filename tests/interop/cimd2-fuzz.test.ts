/**
 * Mutated and random frames against both CIMD2 session sides over real loopback sockets (bounded, seeded). After
 * each mutated frame a 40 alive probe must be answered 90, or the session must have closed the link (a frame
 * error, or the logout a mutation happened to spell): never a hang, never a crash, and every other frame we
 * write is a well-formed response, 98 or 99.
 */
import { connectCimd2Client } from '../../protocols/cimd2/client';
import { Cimd2Server } from '../../protocols/cimd2/server';
import type { Cimd2Session } from '../../protocols/cimd2/session';
import type { CloseReason } from '../../protocols/session/types';
import { expectEndlessFrameCloses, expectTally, fuzzLink, type Probe } from '../helpers/fuzz-link';
import { cimdFrame, mutatedFrames, rawServer, RawWire } from '../protocols/ucp/loopback';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const FRAMES = 150;

const C1 = '<STX>01:001<TAB>010:acme<TAB>011:secret<TAB>FC<ETX>';
const C2 = '<STX>51:001<TAB>3C<ETX>';
const ANSWER = /^<STX>(5[1-9]|70|73|90|98|99):\d{3}<TAB>(\d{3}:[^<]*<TAB>)*([0-9A-F]{2})?<ETX>$/;

const SME_BASES = [
  C1,
  '<STX>03:003<TAB>021:447700900123<TAB>027:ACME<TAB>033:_OaHome _L-5 _--x<TAB>056:14<TAB>9A<ETX>',
  '<STX>03:005<TAB>021:447700900123<TAB>023:447700900001<TAB>030:8<TAB>032:050003A50201<TAB>034:041F04400438043204350442002C0020<TAB>39<ETX>',
  '<STX>03:005<TAB>021:447700900123<TAB>027:ACME<TAB>056:14<TAB>055:0<TAB>044:0<TAB>033:Hello _Oa _L- _XXe _XX<_--_XX><TAB>BE<ETX>',
  '<STX>40:007<TAB>40<ETX>',
  '<STX>40:013<TAB><ETX>',
  '<STX>98:009<TAB>900:1<TAB>901:Unexpected operation<TAB>3F<ETX>',
];
const MC_BASES = [
  '<STX>53:003<TAB>021:447700900123<TAB>060:240115123005<TAB>AC<ETX>',
  '<STX>23:004<TAB>021:447700900123<TAB>060:240115123005<TAB>061:4<TAB>063:240115123010<TAB>E8<ETX>',
  '<STX>20:002<TAB>021:4477009000<TAB>023:447700900123<TAB>060:240115123500<TAB>033:MO _Oa _L- _XXe _u" _-- x<TAB>33<ETX>',
  '<STX>70:002<TAB>3E<ETX>',
  '<STX>40:013<TAB><ETX>',
];

/** A 40 alive on the given packet number: its exact 90 is the answer. */
function probe(num: string): Probe {
  return { request: cimdFrame(`40:${num}<TAB>`), answer: cimdFrame(`90:${num}<TAB>`) };
}

describe(`CIMD2 fuzz over loopback (seed ${SEED}, ${FRAMES} frames per side)`, () => {
  it('server side: every mutated frame is answered or the link closes', async () => {
    const reasons: CloseReason[] = [];
    const server = new Cimd2Server({
      port: 0,
      auth: (r) => (r.user === 'acme' && r.password === 'secret' ? { ok: true } : { ok: false, errorCode: 100 }),
      sessionOptions: { loginTimeoutMs: 5000, inboundTimeoutMs: 1000, aliveIntervalMs: 0 },
    });
    server.sessions$.subscribe((s) => {
      void s.finished.then((r) => reasons.push(r));
      s.requests$.subscribe((req) => req.respond({}));
    });
    const { port } = await server.listen();
    const open = async (): Promise<RawWire> => {
      const w = await RawWire.connect(port);
      w.send(C1);
      expect(await w.next()).toBe(C2);
      return w;
    };
    const counts = await fuzzLink({
      frames: mutatedFrames(SME_BASES, FRAMES, SEED),
      open,
      probe: (i) => probe(String((2 * i + 101) % 1000).padStart(3, '0')),
      cleanup: async (w) => {
        w.destroy();
        await server.close();
      },
    });
    expectTally(counts, FRAMES, ANSWER);
    const peerCaused = reasons.filter((r) => r.kind !== 'local');
    expect(peerCaused.every((r) => r.kind === 'frame_error' || r.kind === 'remote')).toBe(true);
    expect(peerCaused).toHaveLength(counts.closed);
  });

  it('an endless frame (STX and 5000 bytes, no ETX) closes the server session with a frame error', async () => {
    await expectEndlessFrameCloses(new Cimd2Server({ port: 0, auth: () => ({ ok: true }), sessionOptions: { loginTimeoutMs: 5000 } }), (s) => s.finished);
  });

  it('client side: every mutated MC frame is answered or the link closes', async () => {
    const mc = await rawServer();
    const reasons: CloseReason[] = [];
    let client: Cimd2Session | undefined;
    const open = async (): Promise<RawWire> => {
      const pending = connectCimd2Client(
        { host: '127.0.0.1', port: mc.port, login: { user: 'acme', password: 'secret' } },
        { aliveIntervalMs: 0, inboundTimeoutMs: 1000, logoutTimeoutMs: 200 },
      );
      const w = await mc.accept();
      expect(await w.next()).toBe(C1);
      w.send(C2);
      client = await pending;
      void client.finished.then((r) => reasons.push(r));
      client.requests$.subscribe((req) => req.respond({}));
      return w;
    };
    const counts = await fuzzLink({
      frames: mutatedFrames(MC_BASES, FRAMES, SEED + 1),
      open,
      probe: (i) => probe(String((2 * i + 100) % 1000).padStart(3, '0')),
      cleanup: async () => {
        await client?.close();
        await mc.close();
      },
    });
    expectTally(counts, FRAMES, ANSWER);
    const peerCaused = reasons.filter((r) => r.kind !== 'local');
    expect(peerCaused.every((r) => r.kind === 'frame_error')).toBe(true);
    expect(peerCaused).toHaveLength(counts.closed);
  });
});
