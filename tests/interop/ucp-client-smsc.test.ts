/**
 * Our UCP client (large-account side) against the byte streams a third-party SC sends (README vectors U2, U5,
 * U8, U9 and hand-built variants: trailing fields, OTOA in a 52, MT 4 with XSer, a 53 without text, 01 MOs,
 * lower-case hex). The raw SC checks our bytes exactly; our client must take everything a real SC sends.
 */
import { connectUcpClient } from '../../protocols/ucp/client';
import { originatorText } from '../../protocols/ucp/address';
import { contentOf } from '../../protocols/ucp/content';
import { submitsFromText } from '../../protocols/ucp/message';
import type { UcpOperation, UcpReply } from '../../protocols/ucp/pdu';
import { messageIdFromSubmitAck, receiptFromNotification } from '../../protocols/ucp/receipt';
import type { UcpSession, UcpSessionOptions } from '../../protocols/ucp/session';
import { RemoteError } from '../../protocols/wire/errors';
import { fields5x, rawServer, RawWire, ucpFrame } from '../protocols/ucp/loopback';

const LOGIN_TRN00 = '<STX>00/00057/O/60/4477009000/6/5/1/736563726574//0100//////DA<ETX>';
const LOGIN_ACK = '<STX>00/00019/R/60/A//6D<ETX>';
const U8 = '<STX>05/00104/O/52/4477009000/447700900123/////////////150124123500////3//5265706C792074657874/////////////FE<ETX>';
const U9 = '<STX>06/00168/O/53/4477009000/447700900123/////////////150124123005/0/000/150124123010/3//4D65737361676520666F72203434373730303930303132332064656C697665726564/////////////F3<ETX>';
const U4_REST = 'O/51/447700900123/07C161B308//1//3/////////////3//48656C6C6F20776F726C64201B65////////5039/////';

describe('UCP client vs a raw SC over loopback', () => {
  let smsc: Awaited<ReturnType<typeof rawServer>>;
  let client: UcpSession | undefined;
  let sc: RawWire;
  let ops: UcpOperation[];
  let answer: (op: UcpOperation) => UcpReply;

  async function connect(opts: UcpSessionOptions = {}): Promise<void> {
    const pending = connectUcpClient({ host: '127.0.0.1', port: smsc.port, login: { oadc: '4477009000', password: 'secret' } }, { keepAliveIntervalMs: 0, ...opts });
    sc = await smsc.accept();
    expect(await sc.next()).toBe(LOGIN_TRN00);
    sc.send(LOGIN_ACK);
    client = await pending;
    client.requests$.subscribe((r) => {
      ops.push(r.pdu);
      r.respond(answer(r.pdu));
    });
  }

  beforeEach(async () => {
    ops = [];
    answer = () => ({ ack: true });
    client = undefined;
    smsc = await rawServer();
  });

  afterEach(async () => {
    await client?.close();
    await smsc.close();
  });

  it('K: logs in with exactly U1 (TRN 00, CK DA) and takes `R/60/A//` (CK 6D)', async () => {
    await connect();
    expect(client!.state).toBe('logged_in');
  });

  it('a refused login (U3 form, TRN 00) rejects with RemoteError 07 and closes', async () => {
    const pending = connectUcpClient({ host: '127.0.0.1', port: smsc.port, login: { oadc: '4477009000', password: 'secret' } }).catch((e: unknown) => e);
    const w = await smsc.accept();
    await w.next();
    w.send(ucpFrame('00', 'R/60/N/07/Authentication failure/'));
    const err = await pending;
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ status: '07' });
    await w.closed;
  });

  it('U8 MO gets `R/52/A///` with its TRN; the text decodes', async () => {
    await connect();
    sc.send(U8);
    expect(await sc.next()).toBe(ucpFrame('05', 'R/52/A///'));
    const op = ops[0]!;
    if (op.ot !== '52') throw new Error('not a 52');
    expect(contentOf(op).text).toBe('Reply text');
    expect(op.oadc).toBe('447700900123');
  });

  it('K: U9 notification gets `R/53/A///` (U13 form) and maps to a delivered receipt keyed AdC:SCTS', async () => {
    await connect();
    sc.send(U9);
    expect(await sc.next()).toBe(ucpFrame('06', 'R/53/A///'));
    const op = ops[0]!;
    if (op.ot !== '53') throw new Error('not a 53');
    expect(receiptFromNotification(op)).toMatchObject({ smscMessageId: '447700900123:150124123005', outcome: 'delivered', final: true });
  });

  it('an SC 31 alert is answered `R/31/A//` without reaching the application', async () => {
    await connect();
    sc.send(ucpFrame('44', 'O/31/4477009000/0539/'));
    expect(await sc.next()).toBe(ucpFrame('44', 'R/31/A//'));
    expect(ops).toHaveLength(0);
  });

  it('lenient client: a 52 and a 53 with extra trailing fields are taken and acknowledged', async () => {
    await connect();
    sc.send(ucpFrame('10', 'O/52/' + fields5x({ 1: '4477009000', 2: '447700900123', 15: '150124123500', 19: '3', 21: '4869' }) + 'X/0/'));
    expect(await sc.next()).toBe(ucpFrame('10', 'R/52/A///'));
    sc.send(ucpFrame('11', 'O/53/' + fields5x({ 1: '4477009000', 2: '447700900123', 15: '150124123005', 16: '2', 17: '107', 18: '150124123010', 19: '3', 21: '4869' }) + '/'));
    expect(await sc.next()).toBe(ucpFrame('11', 'R/53/A///'));
    const [mo, dlr] = ops;
    if (mo?.ot !== '52' || dlr?.ot !== '53') throw new Error('unexpected ops');
    expect(contentOf(mo).text).toBe('Hi');
    expect(receiptFromNotification(dlr)).toMatchObject({ outcome: 'undeliverable', final: true, errorCode: '107' });
  });

  it('a strict client (extraFields reject) NACKs the same 52 with 02', async () => {
    await connect({ extraFields: 'reject' });
    sc.send(ucpFrame('10', 'O/52/' + fields5x({ 1: '4477009000', 2: '447700900123', 15: '150124123500', 19: '3', 21: '4869' }) + 'X/'));
    expect(await sc.next()).toBe(ucpFrame('10', 'R/52/N/02/Syntax error/'));
  });

  it('a 52 with MT 4, XSer (lower-case hex) and OTOA 5039 alphanumeric OAdC is taken', async () => {
    await connect();
    // OAdC `ACME` packed as in U4, OTOA present although not in the 52 matrix (README: accept if present).
    sc.send(ucpFrame('12', 'O/52/' + fields5x({ 1: '4477009000', 2: '07c161b308', 15: '150124123500', 19: '4', 20: '0096', 21: '041f04400438043204350442', 29: '5039', 31: '0106050003a50202020108' })));
    expect(await sc.next()).toBe(ucpFrame('12', 'R/52/A///'));
    const op = ops[0]!;
    if (op.ot !== '52') throw new Error('not a 52');
    expect(originatorText(op.oadc, op.otoa)).toBe('ACME');
    const c = contentOf(op);
    expect([c.encoding, c.text]).toEqual(['ucs2', 'Привет']);
    expect(c.concat).toMatchObject({ ref: 0xa5, total: 2, seq: 2 });
  });

  it('a 53 with no MT and no text, and one with MT 3 and empty AMsg, are taken', async () => {
    await connect();
    sc.send(ucpFrame('13', 'O/53/' + fields5x({ 1: '4477009000', 2: '447700900123', 15: '150124123005', 16: '1', 17: '000', 18: '150124123010' })));
    expect(await sc.next()).toBe(ucpFrame('13', 'R/53/A///'));
    sc.send(ucpFrame('14', 'O/53/' + fields5x({ 1: '4477009000', 2: '447700900123', 15: '150124123005', 16: '0', 17: '000', 18: '150124123010', 19: '3' })));
    expect(await sc.next()).toBe(ucpFrame('14', 'R/53/A///'));
    const [a, b] = ops;
    if (a?.ot !== '53' || b?.ot !== '53') throw new Error('unexpected ops');
    expect(receiptFromNotification(a)).toMatchObject({ outcome: 'buffered', final: false });
    expect(receiptFromNotification(b)).toMatchObject({ outcome: 'delivered', final: true });
  });

  it('an SC-originated 01 MO (no SCTS) is answered `R/01/A//`', async () => {
    await connect();
    sc.send(ucpFrame('15', 'O/01/4477009000/447700900123//3/4869/'));
    expect(await sc.next()).toBe(ucpFrame('15', 'R/01/A//'));
    expect(ops[0]).toMatchObject({ ot: '01', mt: '3', msg: '4869' });
  });

  it('an operation the client does not take (51 from the SC) is answered NACK 03', async () => {
    await connect();
    sc.send(ucpFrame('16', 'O/51/' + fields5x({ 1: '4477009000', 19: '3', 21: '4869' })));
    expect(await sc.next()).toBe(ucpFrame('16', 'R/51/N/03/Operation not supported by system/'));
  });

  it('submits exactly U4 (renumbered) and takes U5 as the message id; a NACK rejects with its EC', async () => {
    await connect();
    const [op] = submitsFromText({ to: '447700900123', from: 'ACME', text: 'Hello world €', fields: { nrq: '1', nt: '3' } });
    const p = client!.send(op!);
    expect(await sc.next()).toBe(ucpFrame('01', U4_REST));
    sc.send(ucpFrame('01', 'R/51/A//447700900123:150124123005/'));
    const res = await p;
    if (!res.result.ack) throw new Error('nack');
    expect(messageIdFromSubmitAck(res.result, '447700900123')).toBe('447700900123:150124123005');

    const p2 = client!.send(op!).catch((e: unknown) => e);
    expect(await sc.next()).toBe(ucpFrame('02', U4_REST));
    sc.send(ucpFrame('02', 'R/51/N/24/Message too long/'));
    expect(await p2).toMatchObject({ status: '24' });
  });

  it('takes result variants real SCs send: `A/SM/` for a 51, extra trailing fields, lower-case CK', async () => {
    await connect();
    const [op] = submitsFromText({ to: '447700900123', from: '4477009000', text: 'x' });
    const a = client!.send(op!);
    await sc.next();
    sc.send(ucpFrame('01', 'R/51/A/447700900123:150124123005/'));
    await expect(a).resolves.toMatchObject({ result: { ack: true, mvp: '', sm: '447700900123:150124123005' } });
    const b = client!.send(op!);
    await sc.next();
    sc.send(ucpFrame('02', 'R/51/A//447700900123:150124123006//'));
    await expect(b).resolves.toMatchObject({ result: { ack: true, sm: '447700900123:150124123006' } });
    const c = client!.send(op!);
    await sc.next();
    const lower = ucpFrame('03', 'R/51/A//447700900123:150124123007/');
    sc.send(lower.slice(0, -7) + lower.slice(-7, -5).toLowerCase() + '<ETX>');
    await expect(c).resolves.toMatchObject({ result: { ack: true, sm: '447700900123:150124123007' } });
  });

  it('K: the keep-alive is `O/31/<account>/0539/` and its `A//` result keeps the session', async () => {
    await connect({ keepAliveIntervalMs: 30, closeTimeoutMs: 500 });
    const f = await sc.next();
    const trn = f.slice(5, 7);
    expect(f).toBe(ucpFrame(trn, 'O/31/4477009000/0539/'));
    sc.send(ucpFrame(trn, 'R/31/A//'));
    const g = await sc.next();
    expect(g).toBe(ucpFrame(g.slice(5, 7), 'O/31/4477009000/0539/'));
    expect(client!.state).toBe('logged_in');
    // Answer it too, so close() finds nothing in flight to drain.
    sc.send(ucpFrame(g.slice(5, 7), 'R/31/A//'));
    await client!.close();
  });
});
