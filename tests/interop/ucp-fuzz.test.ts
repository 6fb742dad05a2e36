/**
 * Mutated and random frames against both UCP session sides over real loopback sockets (bounded, seeded). After
 * each mutated frame a 31 probe must be answered, or the session must have closed the link with a frame error:
 * never a hang, never a crash, and every other frame we write is a well-formed result.
 */
import type { CloseReason } from '../../protocols/session/types';
import { connectUcpClient } from '../../protocols/ucp/client';
import { UcpServer } from '../../protocols/ucp/server';
import type { UcpSession } from '../../protocols/ucp/session';
import { expectEndlessFrameCloses, expectTally, fuzzLink, type Probe } from '../helpers/fuzz-link';
import { fields5x, mutatedFrames, rawServer, RawWire, ucpFrame } from '../protocols/ucp/loopback';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const FRAMES = 150;

const LOGIN = '<STX>00/00057/O/60/4477009000/6/5/1/736563726574//0100//////DA<ETX>';
const RESULT = /^<STX>\d\d\/\d{5}\/R\/\d\d\/(A|N)\//;

const CLIENT_BASES = [
  '<STX>01/00057/O/60/4477009000/6/5/1/736563726574//0100//////DB<ETX>',
  '<STX>02/00114/O/51/447700900123/07C161B308//1//3/////////////3//48656C6C6F20002001201B65201B3C111B3E////////5039/////66<ETX>',
  '<STX>03/00125/O/51/447700900123/447700900001/////////////////4/0096/041F04400438043204350442////1//////0106050003A50201020108///F8<ETX>',
  '<STX>07/00032/O/31/4477009000/0539/F9<ETX>',
  '<STX>50/00020/R/53/A///9B<ETX>',
  ucpFrame('09', 'O/01/447700900123/4477009000//3/4869/'),
];
const SC_BASES = [
  '<STX>05/00104/O/52/4477009000/447700900123/////////////150124123500////3//5265706C792074657874/////////////FE<ETX>',
  '<STX>06/00168/O/53/4477009000/447700900123/////////////150124123005/0/000/150124123010/3//4D65737361676520666F72203434373730303930303132332064656C697665726564/////////////F3<ETX>',
  '<STX>02/00045/R/51/A//447700900123:150124123005/94<ETX>',
  '<STX>03/00034/R/51/N/02/Syntax error/DC<ETX>',
  ucpFrame('12', 'O/52/' + fields5x({ 1: '4477009000', 2: '07C161B308', 15: '150124123500', 19: '4', 20: '0096', 21: '041F04400438043204350442', 29: '5039', 31: '0106050003A50202020108' })),
];

/** A 31 on the TRN of the frame's index: its exact ACK is the answer. */
function probe(i: number): Probe {
  const trn = String(i % 100).padStart(2, '0');
  return { request: ucpFrame(trn, 'O/31/4477009000/0539/'), answer: ucpFrame(trn, 'R/31/A//') };
}

describe(`UCP fuzz over loopback (seed ${SEED}, ${FRAMES} frames per side)`, () => {
  it('server side: every mutated frame is answered or the link closes with a frame error', async () => {
    const reasons: CloseReason[] = [];
    const server = new UcpServer({
      port: 0,
      auth: (r) => (r.oadc === '4477009000' && r.password === 'secret' ? { ok: true } : { ok: false }),
      sessionOptions: { loginTimeoutMs: 5000, inboundTimeoutMs: 1000 },
    });
    server.sessions$.subscribe((s) => {
      void s.closed.then((r) => reasons.push(r));
      s.requests$.subscribe((req) => req.respond({ ack: true, sm: '' }));
    });
    const { port } = await server.listen();
    const open = async (): Promise<RawWire> => {
      const w = await RawWire.connect(port);
      w.send(LOGIN);
      expect(await w.next()).toBe('<STX>00/00019/R/60/A//6D<ETX>');
      return w;
    };
    const counts = await fuzzLink({
      frames: mutatedFrames(CLIENT_BASES, FRAMES, SEED),
      open,
      probe,
      cleanup: async (w) => {
        w.destroy();
        await server.close();
      },
    });
    expectTally(counts, FRAMES, RESULT);
    const peerCaused = reasons.filter((r) => r.kind !== 'local' && r.kind !== 'remote');
    expect(peerCaused.map((r) => r.kind).every((k) => k === 'frame_error')).toBe(true);
    expect(peerCaused).toHaveLength(counts.closed);
  });

  it('an endless frame (STX and 5000 bytes, no ETX) closes the server session with a frame error', async () => {
    await expectEndlessFrameCloses(new UcpServer({ port: 0, auth: () => ({ ok: true }), sessionOptions: { loginTimeoutMs: 5000 } }), (s) => s.closed);
  });

  it('client side: every mutated SC frame is answered or the link closes with a frame error', async () => {
    const smsc = await rawServer();
    const reasons: CloseReason[] = [];
    let client: UcpSession | undefined;
    const open = async (): Promise<RawWire> => {
      const pending = connectUcpClient({ host: '127.0.0.1', port: smsc.port, login: { oadc: '4477009000', password: 'secret' } }, { keepAliveIntervalMs: 0, inboundTimeoutMs: 1000, closeTimeoutMs: 200 });
      const w = await smsc.accept();
      expect(await w.next()).toBe(LOGIN);
      w.send('<STX>00/00019/R/60/A//6D<ETX>');
      client = await pending;
      void client.closed.then((r) => reasons.push(r));
      client.requests$.subscribe((req) => req.respond({ ack: true }));
      return w;
    };
    const counts = await fuzzLink({
      frames: mutatedFrames(SC_BASES, FRAMES, SEED + 1),
      open,
      probe,
      cleanup: async () => {
        await client?.close();
        await smsc.close();
      },
    });
    expectTally(counts, FRAMES, RESULT);
    const peerCaused = reasons.filter((r) => r.kind !== 'local');
    expect(peerCaused.every((r) => r.kind === 'frame_error')).toBe(true);
    expect(peerCaused).toHaveLength(counts.closed);
  });
});
