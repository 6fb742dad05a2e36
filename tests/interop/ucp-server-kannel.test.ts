/**
 * Our UCP SC side (UcpServer) against the byte streams a third-party large-account client sends: Kannel's emi2
 * driver (README vectors marked K: U1 with TRN 00, U10, U11, U12, U13) and hand-built variants from ucp.md.
 * Every answer is compared byte for byte with the frame the spec (or the vector) prescribes.
 */
import { contentOf } from '../../protocols/ucp/content';
import { originatorText } from '../../protocols/ucp/address';
import { notificationFor, deliversFromText } from '../../protocols/ucp/message';
import type { UcpOperation } from '../../protocols/ucp/pdu';
import { UcpServer, type UcpAuthenticator } from '../../protocols/ucp/server';
import type { UcpSession } from '../../protocols/ucp/session';
import { RemoteError } from '../../protocols/wire/errors';
import { loopbackServer } from '../helpers/loopback-server';
import { fields5x, type RawWire, ucpFrame } from '../protocols/ucp/loopback';

const KANNEL_LOGIN = '<STX>00/00057/O/60/4477009000/6/5/1/736563726574//0100//////DA<ETX>';
const LOGIN_ACK = '<STX>00/00019/R/60/A//6D<ETX>';
const U1 = '<STX>01/00057/O/60/4477009000/6/5/1/736563726574//0100//////DB<ETX>';
const U3 = '<STX>01/00044/R/60/N/07/Authentication failure/D7<ETX>';
const U4 = '<STX>02/00106/O/51/447700900123/07C161B308//1//3/////////////3//48656C6C6F20776F726C64201B65////////5039/////E2<ETX>';
const U5 = '<STX>02/00045/R/51/A//447700900123:150124123005/94<ETX>';
const U7 = '<STX>04/00136/O/51/447700900123/447700900001/////////////////4/0128/041F04400438043204350442002C0020////////1139//0106050003A50201020108///2B<ETX>';
const U10 = '<STX>07/00032/O/31/4477009000/0539/F9<ETX>';
const U11 = '<STX>02/00114/O/51/447700900123/07C161B308//1//3/////////////3//48656C6C6F20002001201B65201B3C111B3E////////5039/////66<ETX>';
const U12 = '<STX>03/00125/O/51/447700900123/447700900001/////////////////4/0096/041F04400438043204350442////1//////0106050003A50201020108///F8<ETX>';

const SCTS = '150124123005';

describe('UCP server vs a Kannel-like client over loopback', () => {
  let ops: UcpOperation[];
  let authOk: boolean;

  beforeEach(() => {
    ops = [];
    authOk = true;
  });

  const auth: UcpAuthenticator = (r) => (authOk && r.oadc === '4477009000' && r.password === 'secret' ? { ok: true } : { ok: false });
  const lb = loopbackServer<UcpSession>(
    () => new UcpServer({ port: 0, auth, sessionOptions: { loginTimeoutMs: 5000 } }),
    (s) =>
      s.requests$.subscribe((req) => {
        ops.push(req.pdu);
        const p = req.pdu;
        if (p.ot === '51') req.respond({ ack: true, sm: `${p.adc}:${SCTS}` });
        else req.respond({ ack: true });
      }),
  );
  const login = (): Promise<RawWire> => lb.login(KANNEL_LOGIN, LOGIN_ACK);

  it('K: Kannel login (U1 with TRN 00) gets exactly `R/60/A//` with CK 6D', async () => {
    await login();
    expect(lb.sessions[0]!.state).toBe('logged_in');
  });

  it('U1 with a refused password gets exactly U3 (NACK 07) and the connection closes', async () => {
    authOk = false;
    lb.wire.send(U1);
    expect(await lb.wire.next()).toBe(U3);
    await lb.wire.closed;
  });

  it('K: Kannel 51 (U11) is answered with exactly U5 and decodes to the text and ACME sender', async () => {
    const w = await login();
    w.send(U11);
    expect(await w.next()).toBe(U5);
    const op = ops[0]!;
    expect(op.ot).toBe('51');
    if (op.ot !== '51') return;
    expect(originatorText(op.oadc, op.otoa)).toBe('ACME');
    expect(contentOf(op).text).toBe('Hello @ £ € [_]');
    expect([op.nrq, op.nt]).toEqual(['1', '3']);
  });

  it('K: Kannel MT 4 51 (U12) with XSer UDH + DCS 08 is acknowledged with AdC:SCTS', async () => {
    const w = await login();
    w.send(U12);
    expect(await w.next()).toBe(ucpFrame('03', `R/51/A//447700900123:${SCTS}/`));
    const op = ops[0]!;
    if (op.ot !== '51') throw new Error('not a 51');
    const c = contentOf(op);
    expect(c.encoding).toBe('ucs2');
    expect(c.text).toBe('Привет');
    expect(c.concat).toMatchObject({ ref: 0xa5, total: 2, seq: 1 });
    expect(op.mcls).toBe('1');
  });

  it('U4 and U7 (OTOA 1139, NB 0128) are accepted', async () => {
    const w = await login();
    w.send(U4);
    w.send(U7);
    expect(await w.next()).toBe(U5);
    expect(await w.next()).toBe(ucpFrame('04', `R/51/A//447700900123:${SCTS}/`));
    expect(ops.map((o) => o.ot)).toEqual(['51', '51']);
  });

  it('K: Kannel keep-alive (U10) gets `R/31/A//` with the same TRN, before and after login', async () => {
    lb.wire.send(U10);
    expect(await lb.wire.next()).toBe(ucpFrame('07', 'R/31/A//'));
    await login();
    lb.wire.send(U10);
    expect(await lb.wire.next()).toBe(ucpFrame('07', 'R/31/A//'));
  });

  it('accepts a lower-case checksum and lower-case hex in AMsg and XSer', async () => {
    const w = await login();
    w.send(U10.replace('F9<ETX>', 'f9<ETX>'));
    expect(await w.next()).toBe(ucpFrame('07', 'R/31/A//'));
    const lower = ucpFrame('11', 'O/51/' + fields5x({ 1: '447700900123', 2: '4477009000', 19: '4', 20: '0032', 21: '041f0440', 31: '0106050003a50201020108' }));
    w.send(lower);
    expect(await w.next()).toBe(ucpFrame('11', `R/51/A//447700900123:${SCTS}/`));
    const op = ops[0]!;
    if (op.ot !== '51') throw new Error('not a 51');
    expect(contentOf(op).text).toBe('Пр');
  });

  it('before login: 51 is answered NACK 04, the session stays open for the login', async () => {
    lb.wire.send(U4);
    expect(await lb.wire.next()).toBe(ucpFrame('02', 'R/51/N/04/Operation not allowed/'));
    await login();
  });

  it('bad checksum -> NACK 01, wrong LEN -> NACK 02, unknown OT -> NACK 03, each echoing TRN and OT', async () => {
    const w = await login();
    w.send(U10.replace('F9<ETX>', '00<ETX>'));
    expect(await w.next()).toBe(ucpFrame('07', 'R/31/N/01/Checksum error/'));
    const badLen = ucpFrame('08', 'O/31/4477009000/0539/', 33);
    w.send(badLen);
    expect(await w.next()).toBe(ucpFrame('08', 'R/31/N/02/Syntax error/'));
    w.send(ucpFrame('09', 'O/99/1/2/'));
    expect(await w.next()).toBe(ucpFrame('09', 'R/99/N/03/Operation not supported by system/'));
    expect(lb.sessions[0]!.state).toBe('logged_in');
  });

  it('server side stays strict: a 51 with an extra trailing field gets NACK 02', async () => {
    const w = await login();
    w.send(ucpFrame('12', 'O/51/' + fields5x({ 1: '447700900123', 2: '4477009000', 19: '3', 21: '4869' }) + 'x/'));
    expect(await w.next()).toBe(ucpFrame('12', 'R/51/N/02/Syntax error/'));
    expect(ops).toHaveLength(0);
  });

  it('a 51 without AdC gets NACK 06, without MT NACK 02; an 01 with MT 4 NACK 23 (nothing reaches the app)', async () => {
    const w = await login();
    w.send(ucpFrame('15', 'O/51/' + fields5x({ 2: '4477009000', 19: '3', 21: '4869' })));
    expect(await w.next()).toBe(ucpFrame('15', 'R/51/N/06/AdC invalid/'));
    w.send(ucpFrame('16', 'O/51/' + fields5x({ 1: '447700900123', 2: '4477009000' })));
    expect(await w.next()).toBe(ucpFrame('16', 'R/51/N/02/Syntax error/'));
    w.send(ucpFrame('17', 'O/01/447700900123/4477009000//4/4869/'));
    expect(await w.next()).toBe(ucpFrame('17', 'R/01/N/23/Message type not supported by system/'));
    w.send(ucpFrame('18', 'O/01/447700900123/4477009000//3/4869/'));
    expect(await w.next()).toBe(ucpFrame('18', 'R/01/A//'));
    expect(ops.map((o) => o.ot)).toEqual(['01']);
  });

  it('a 51 with MT 3 odd-length AMsg gets NACK 02; with MT 5 gets NACK 23', async () => {
    const w = await login();
    w.send(ucpFrame('13', 'O/51/' + fields5x({ 1: '447700900123', 19: '3', 21: '486' })));
    expect(await w.next()).toBe(ucpFrame('13', 'R/51/N/02/Syntax error/'));
    w.send(ucpFrame('14', 'O/51/' + fields5x({ 1: '447700900123', 19: '5', 21: '48' })));
    expect(await w.next()).toBe(ucpFrame('14', 'R/51/N/23/Message type not supported by system/'));
  });

  it('K: our 53 to the client is U9 renumbered; Kannel answers `A///` (U13 form) and the send resolves', async () => {
    const w = await login();
    const s = lb.sessions[0]!;
    const sent = s.send(
      notificationFor({ submitAdc: '447700900123', submitOadc: '4477009000', scts: SCTS, dst: '0', rsn: '000', dscts: '150124123010', text: 'Message for 447700900123 delivered' }),
    );
    const u9rest = 'O/53/4477009000/447700900123/////////////150124123005/0/000/150124123010/3//4D65737361676520666F72203434373730303930303132332064656C697665726564/////////////';
    const got = await w.next();
    expect(got).toBe(ucpFrame('00', u9rest));
    // U9 itself (TRN 06) checks our hand-built framing helper against the vector.
    expect(ucpFrame('06', u9rest)).toBe('<STX>06/00168/' + u9rest + 'F3<ETX>');
    w.send(ucpFrame('00', 'R/53/A///'));
    await expect(sent).resolves.toMatchObject({ kind: 'R', ot: '53', trn: 0, result: { ack: true, mvp: '', sm: '' } });
  });

  it('our 52 MO is U8 renumbered; a NACK from the client rejects with RemoteError(EC)', async () => {
    const w = await login();
    const s = lb.sessions[0]!;
    const [mo] = deliversFromText({ to: '4477009000', from: '447700900123', text: 'Reply text', scts: '150124123500' });
    const sent = s.send(mo!).catch((e: unknown) => e);
    const u8rest = 'O/52/4477009000/447700900123/////////////150124123500////3//5265706C792074657874/////////////';
    expect(ucpFrame('05', u8rest)).toBe('<STX>05/00104/' + u8rest + 'FE<ETX>');
    expect(await w.next()).toBe(ucpFrame('00', u8rest));
    w.send(ucpFrame('00', 'R/52/N/06/AdC invalid/'));
    const err = await sent;
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ status: '06' });
  });

  it('TRNs of our operations run 00..99 and wrap to 00', async () => {
    const w = await login();
    const s = lb.sessions[0]!;
    const trns: string[] = [];
    for (let i = 0; i < 102; i++) {
      const sent = s.send({ kind: 'O', ot: '31', adc: '4477009000', pid: '0539' });
      const f = await w.next();
      const trn = f.slice(5, 7);
      trns.push(trn);
      w.send(ucpFrame(trn, 'R/31/A//'));
      await sent;
    }
    expect(trns.slice(0, 3)).toEqual(['00', '01', '02']);
    expect(trns.slice(98, 102)).toEqual(['98', '99', '00', '01']);
  });
});
