/**
 * Our CIMD2 client (SME side) against the byte streams a third-party MC sends (README vectors C2, C4, C6, C7,
 * C10, C12 and hand-built variants: a 23 before the 53 it reports on, lower-case hex, unknown parameters,
 * parameters in any order, empty values, no checksum, 99 NACK). The raw MC checks our bytes exactly.
 */
import { connectCimd2Client } from '../../protocols/cimd2/client';
import { readMessage, submit } from '../../protocols/cimd2/message';
import type { Cimd2Packet } from '../../protocols/cimd2/packet';
import { receiptFromStatusReport } from '../../protocols/cimd2/receipt';
import type { Cimd2Session } from '../../protocols/cimd2/session';
import type { Cimd2SessionOptions } from '../../protocols/cimd2/session-types';
import { RemoteError } from '../../protocols/wire/errors';
import { cimdFrame, rawServer, RawWire } from '../protocols/ucp/loopback';

const C1 = '<STX>01:001<TAB>010:acme<TAB>011:secret<TAB>FC<ETX>';
const C2 = '<STX>51:001<TAB>3C<ETX>';
const C3 = '<STX>03:003<TAB>021:447700900123<TAB>027:ACME<TAB>033:_OaHome _L-5 _--x<TAB>056:14<TAB>9A<ETX>';
const C4 = '<STX>53:003<TAB>021:447700900123<TAB>060:240115123005<TAB>AC<ETX>';
const C6 = '<STX>70:002<TAB>3E<ETX>';
const C12 = '<STX>20:002<TAB>021:4477009000<TAB>023:447700900123<TAB>060:240115123500<TAB>033:MO _Oa _L- _XXe _u" _-- x<TAB>33<ETX>';

describe('CIMD2 client vs a raw MC over loopback', () => {
  let mc: Awaited<ReturnType<typeof rawServer>>;
  let client: Cimd2Session | undefined;
  let w: RawWire;
  let reqs: Cimd2Packet[];

  async function connect(opts: Cimd2SessionOptions = {}): Promise<void> {
    const pending = connectCimd2Client({ host: '127.0.0.1', port: mc.port, login: { user: 'acme', password: 'secret' } }, { aliveIntervalMs: 0, logoutTimeoutMs: 500, ...opts });
    w = await mc.accept();
    expect(await w.next()).toBe(C1);
    w.send(C2);
    client = await pending;
    client.requests$.subscribe((r) => {
      reqs.push(r.pdu);
      r.respond({});
    });
  }

  beforeEach(async () => {
    reqs = [];
    client = undefined;
    mc = await rawServer();
  });

  afterEach(async () => {
    if (client?.state === 'logged_in') {
      const closing = client.close();
      // Play the MC's part of the logout so close() does not wait out its bound.
      const f = await w.nextOrClose(1000).catch(() => undefined);
      if (f?.kind === 'frame' && f.frame.startsWith('<STX>02:')) w.send(cimdFrame(`52:${f.frame.slice(8, 11)}<TAB>`));
      await closing;
    }
    await client?.close();
    await mc.close();
  });

  it('K: logs in with exactly C1 and takes C2', async () => {
    await connect();
    expect(client!.state).toBe('logged_in');
  });

  it('a refused login (51 with 900:100) rejects with RemoteError 100', async () => {
    const pending = connectCimd2Client({ host: '127.0.0.1', port: mc.port, login: { user: 'acme', password: 'secret' } }).catch((e: unknown) => e);
    const raw = await mc.accept();
    await raw.next();
    raw.send(cimdFrame('51:001<TAB>900:100<TAB>901:Invalid login<TAB>'));
    const err = await pending;
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ status: 100 });
  });

  it('submits exactly C3; a 23 arriving before the 53 is answered 73 and matches the 53 (021 + 060, lower-case CK)', async () => {
    await connect();
    const p = client!.send(submit({ destinations: ['447700900123'], originator: 'ACME', text: '@Home £5 _x', statusReportRequest: 14 }));
    expect(await w.next()).toBe(C3);
    // The MC reports delivery before its submit response reaches us (C7 renumbered to the MC's first number).
    w.send(cimdFrame('23:000<TAB>021:447700900123<TAB>060:240115123005<TAB>061:4<TAB>063:240115123010<TAB>'));
    expect(await w.next()).toBe(cimdFrame('73:000<TAB>'));
    w.send(C4.replace('AC<ETX>', 'ac<ETX>'));
    const resp = await p;
    const dlr = receiptFromStatusReport(reqs[0]!);
    const id = `${readMessage(resp).destinations[0]}:${resp.params.find((x) => x.code === '060')?.value}`;
    expect(dlr).toMatchObject({ smscMessageId: id, outcome: 'delivered', final: true });
  });

  it('K: the C12 MO is answered exactly C6 and decodes to `MO @ £ € ü _ x`', async () => {
    await connect();
    w.send(C12);
    expect(await w.next()).toBe(C6);
    expect(readMessage(reqs[0]!)).toMatchObject({ text: 'MO @ £ € ü _ x', originator: '447700900123', scts: '240115123500' });
  });

  it('takes a 20 with Wireshark `_n"`, lower-case 034 hex, unknown params, any order, no checksum', async () => {
    await connect();
    w.send('<STX>20:004<TAB>033:_n"<TAB>021:4477009000<TAB>777:x<TAB>023:447700900123<TAB><ETX>');
    expect(await w.next()).toBe(cimdFrame('70:004<TAB>'));
    w.send(cimdFrame('20:006<TAB>034:041f0440<TAB>030:8<TAB>023:447700900123<TAB>021:4477009000<TAB>'));
    expect(await w.next()).toBe(cimdFrame('70:006<TAB>'));
    expect(readMessage(reqs[0]!).text).toBe('ü');
    expect(readMessage(reqs[1]!).text).toBe('Пр');
  });

  it('lenient client: a 20 with empty and odd values (empty 026, 14-digit 060) is taken, not refused', async () => {
    await connect();
    w.send(cimdFrame('20:008<TAB>021:4477009000<TAB>023:447700900123<TAB>026:<TAB>060:20240115123500<TAB>033:hi<TAB>'));
    expect(await w.next()).toBe(cimdFrame('70:008<TAB>'));
    expect(readMessage(reqs[0]!).text).toBe('hi');
  });

  it('a repeated 20 (same number) is answered again but surfaced once', async () => {
    await connect();
    w.send(C12);
    w.send(C12);
    expect(await w.next()).toBe(C6);
    expect(await w.next()).toBe(C6);
    expect(reqs).toHaveLength(1);
  });

  it('MC alive 40 gets 90 with its number; a status report with 061 = 3 maps to undeliverable', async () => {
    await connect();
    w.send(cimdFrame('40:010<TAB>'));
    expect(await w.next()).toBe(cimdFrame('90:010<TAB>'));
    w.send(cimdFrame('23:012<TAB>021:447700900123<TAB>060:240115123005<TAB>061:3<TAB>062:1<TAB>'));
    expect(await w.next()).toBe(cimdFrame('73:012<TAB>'));
    expect(receiptFromStatusReport(reqs[0]!)).toMatchObject({ outcome: 'undeliverable', final: true, errorCode: '1' });
  });

  it('a 53 with 900 rejects with that code; a 99 NACK rejects with status 99', async () => {
    await connect();
    const msg = submit({ destinations: ['447700900123'], originator: '4477009000', text: 'x' });
    const a = client!.send(msg).catch((e: unknown) => e);
    await w.next();
    w.send(cimdFrame('53:003<TAB>900:300<TAB>901:Incorrect destination address<TAB>'));
    expect(await a).toMatchObject({ status: 300 });
    const b = client!.send(msg).catch((e: unknown) => e);
    expect((await w.next()).slice(5, 11)).toBe('03:005');
    w.send(cimdFrame('99:005<TAB>'));
    const err = await b;
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ status: 99 });
  });

  it('client packet numbers are odd, start at 001 for the login and wrap 255 -> 001', async () => {
    await connect();
    const nums: string[] = [];
    for (let i = 0; i < 130; i++) {
      const sent = client!.send({ opCode: 40, packetNumber: 0, params: [] });
      const f = await w.next();
      const num = f.slice(8, 11);
      nums.push(num);
      w.send(cimdFrame(`90:${num}<TAB>`));
      await sent;
    }
    expect(nums.slice(0, 2)).toEqual(['003', '005']);
    expect(nums.slice(125, 130)).toEqual(['253', '255', '001', '003', '005']);
  });

  it('close() logs out with 02 and awaits 52', async () => {
    await connect();
    const closing = client!.close();
    const f = await w.next();
    expect(f).toBe(cimdFrame('02:003<TAB>'));
    w.send(cimdFrame('52:003<TAB>'));
    await closing;
    expect(client!.state).toBe('closed');
  });
});
