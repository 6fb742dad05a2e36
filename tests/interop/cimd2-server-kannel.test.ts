/**
 * Our CIMD2 MC side (Cimd2Server) against the byte streams a third-party SME sends: Kannel's cimd2 driver
 * (README vectors marked K: C1, C11, C13, C6) and jcimd-checked vectors / hand-built variants from cimd2.md.
 * Every answer is compared byte for byte with the frame the reference prescribes.
 */
import { readMessage, submitResponse } from '../../protocols/cimd2/message';
import type { Cimd2Packet } from '../../protocols/cimd2/packet';
import { statusReport } from '../../protocols/cimd2/receipt';
import { Cimd2Server } from '../../protocols/cimd2/server';
import type { Cimd2Session } from '../../protocols/cimd2/session';
import { RemoteError } from '../../protocols/wire/errors';
import { loopbackServer } from '../helpers/loopback-server';
import { cimdFrame, RawWire } from '../protocols/ucp/loopback';

const C1 = '<STX>01:001<TAB>010:acme<TAB>011:secret<TAB>FC<ETX>';
const C2 = '<STX>51:001<TAB>3C<ETX>';
const C3 = '<STX>03:003<TAB>021:447700900123<TAB>027:ACME<TAB>033:_OaHome _L-5 _--x<TAB>056:14<TAB>9A<ETX>';
const C4 = '<STX>53:003<TAB>021:447700900123<TAB>060:240115123005<TAB>AC<ETX>';
const C5 = '<STX>03:005<TAB>021:447700900123<TAB>023:447700900001<TAB>030:8<TAB>032:050003A50201<TAB>034:041F04400438043204350442002C0020<TAB>39<ETX>';
const C7 = '<STX>23:004<TAB>021:447700900123<TAB>060:240115123005<TAB>061:4<TAB>063:240115123010<TAB>E8<ETX>';
const C8 = '<STX>40:007<TAB>40<ETX>';
const C10 = '<STX>40:013<TAB><ETX>';
const C11 = '<STX>03:005<TAB>021:447700900123<TAB>027:ACME<TAB>056:14<TAB>055:0<TAB>044:0<TAB>033:Hello _Oa _L- _XXe _XX<_--_XX><TAB>BE<ETX>';
const C13 = '<STX>03:007<TAB>021:447700900123<TAB>023:447700900001<TAB>056:0<TAB>055:0<TAB>044:0<TAB>032:050003A50201<TAB>034:041F04400438043204350442<TAB>030:8<TAB>CA<ETX>';

const SCTS = '240115123005';

describe('CIMD2 server vs a Kannel-like SME over loopback', () => {
  let reqs: Cimd2Packet[];

  beforeEach(() => {
    reqs = [];
  });

  const lb = loopbackServer<Cimd2Session>(
    () =>
      new Cimd2Server({
        port: 0,
        auth: (r) => (r.user === 'acme' && r.password === 'secret' ? { ok: true } : { ok: false, errorCode: 100 }),
        sessionOptions: { loginTimeoutMs: 5000, aliveIntervalMs: 0, windowSize: 1 },
      }),
    (s) =>
      s.requests$.subscribe((r) => {
        reqs.push(r.pdu);
        const dest = readMessage(r.pdu).destinations[0] ?? '';
        r.respond({ params: submitResponse(r.pdu.packetNumber, dest, SCTS).params });
      }),
  );
  const login = (): Promise<RawWire> => lb.login(C1, C2);

  it('checks the hand-built checksum helper against the vectors', () => {
    expect(cimdFrame('01:001<TAB>010:acme<TAB>011:secret<TAB>')).toBe(C1);
    expect(cimdFrame('23:004<TAB>021:447700900123<TAB>060:240115123005<TAB>061:4<TAB>063:240115123010<TAB>')).toBe(C7);
    expect(cimdFrame('70:002<TAB>')).toBe('<STX>70:002<TAB>3E<ETX>');
  });

  it('K: Kannel login C1 gets exactly C2; a wrong password gets 51 with 900:100 and the link closes', async () => {
    await login();
    expect(lb.sessions[0]!.state).toBe('logged_in');
    const other = await RawWire.connect(lb.port);
    try {
      other.send('<STX>01:001<TAB>010:acme<TAB>011:wrong<TAB><ETX>');
      expect(await other.next()).toBe(cimdFrame('51:001<TAB>900:100<TAB>'));
      await other.closed;
    } finally {
      other.destroy();
    }
  });

  it('C3 submit gets exactly C4; text and alphanumeric sender decode', async () => {
    const w = await login();
    w.send(C3);
    expect(await w.next()).toBe(C4);
    expect(readMessage(reqs[0]!)).toMatchObject({ text: '@Home £5 _x', originator: 'ACME', originatorType: 'alphanumeric', statusReportRequest: 14 });
  });

  it('K: Kannel text submit C11 and binary submit C13 (030 last) are answered 53 with 021 + 060', async () => {
    const w = await login();
    w.send(C11);
    expect(await w.next()).toBe(cimdFrame(`53:005<TAB>021:447700900123<TAB>060:${SCTS}<TAB>`));
    w.send(C13);
    expect(await w.next()).toBe(cimdFrame(`53:007<TAB>021:447700900123<TAB>060:${SCTS}<TAB>`));
    expect(readMessage(reqs[0]!).text).toBe('Hello @ £ € [_]');
    const bin = readMessage(reqs[1]!);
    expect([bin.text, bin.dcs, bin.udh?.toString('hex')]).toEqual(['Привет', 8, '050003a50201']);
  });

  it('C5 with lower-case hex, parameters in another order and an unknown parameter is taken', async () => {
    const w = await login();
    w.send(C5);
    expect(await w.next()).toBe(cimdFrame(`53:005<TAB>021:447700900123<TAB>060:${SCTS}<TAB>`));
    w.send(cimdFrame('03:007<TAB>034:041f0440<TAB>999:vendor<TAB>030:8<TAB>021:447700900123<TAB>'));
    expect(await w.next()).toBe(cimdFrame(`53:007<TAB>021:447700900123<TAB>060:${SCTS}<TAB>`));
    expect(readMessage(reqs[1]!).text).toBe('Пр');
    expect(reqs[1]!.params.map((p) => p.code)).toEqual(['034', '999', '030', '021']);
  });

  it('C8 alive gets 90 with its number; C10 (no checksum) is accepted too', async () => {
    const w = await login();
    w.send(C8);
    expect(await w.next()).toBe(cimdFrame('90:007<TAB>'));
    w.send(C10);
    expect(await w.next()).toBe(cimdFrame('90:013<TAB>'));
  });

  it('before login: a submit gets 53 with 900:1 (unexpected operation)', async () => {
    lb.wire.send(C3);
    expect(await lb.wire.next()).toBe(cimdFrame('53:003<TAB>900:1<TAB>'));
    await login();
  });

  it('unknown op -> 98 900:1; bad checksum -> 99; bad value -> 53 with the §5 code; session lives', async () => {
    const w = await login();
    w.send(cimdFrame('45:009<TAB>'));
    expect(await w.next()).toBe(cimdFrame('98:009<TAB>900:1<TAB>'));
    w.send(C8.replace('40<ETX>', '41<ETX>'));
    expect(await w.next()).toBe(cimdFrame('99:007<TAB>'));
    w.send(cimdFrame('03:011<TAB>021:44770abc<TAB>033:x<TAB>'));
    expect(await w.next()).toBe(cimdFrame('53:011<TAB>900:300<TAB>'));
    w.send(cimdFrame('03:013<TAB>021:447700900123<TAB>027:ACMECORPORATION<TAB>033:x<TAB>'));
    expect(await w.next()).toBe(cimdFrame('53:013<TAB>900:322<TAB>'));
    expect(lb.sessions[0]!.state).toBe('logged_in');
    expect(reqs).toHaveLength(0);
  });

  it('submits the table cannot judge: no 021 -> 301, 033 + 034 -> 303, 023 + 027 -> 306; a repeat is answered again', async () => {
    const w = await login();
    w.send(cimdFrame('03:015<TAB>033:x<TAB>'));
    expect(await w.next()).toBe(cimdFrame('53:015<TAB>900:301<TAB>'));
    w.send(cimdFrame('03:017<TAB>021:447700900123<TAB>033:x<TAB>034:41<TAB>'));
    expect(await w.next()).toBe(cimdFrame('53:017<TAB>900:303<TAB>'));
    w.send(cimdFrame('03:019<TAB>021:447700900123<TAB>023:4477<TAB>027:ACME<TAB>033:x<TAB>'));
    w.send(cimdFrame('03:019<TAB>021:447700900123<TAB>023:4477<TAB>027:ACME<TAB>033:x<TAB>'));
    expect(await w.next()).toBe(cimdFrame('53:019<TAB>900:306<TAB>'));
    expect(await w.next()).toBe(cimdFrame('53:019<TAB>900:306<TAB>'));
    expect(reqs).toHaveLength(0);
  });

  it('02 logout gets 52 with its number and the MC closes the link', async () => {
    const w = await login();
    w.send(cimdFrame('02:009<TAB>'));
    expect(await w.next()).toBe(cimdFrame('52:009<TAB>'));
    await w.closed;
  });

  it('K: our 23 is C7 renumbered (even numbers from 000); Kannel-style 73 resolves it', async () => {
    const w = await login();
    const s = lb.sessions[0]!;
    const sent = s.send(statusReport({ destination: '447700900123', scts: SCTS, statusCode: 4, dischargeTime: '240115123010' }));
    expect(await w.next()).toBe(cimdFrame('23:000<TAB>021:447700900123<TAB>060:240115123005<TAB>061:4<TAB>063:240115123010<TAB>'));
    w.send(cimdFrame('73:000<TAB>'));
    await expect(sent).resolves.toMatchObject({ opCode: 73, packetNumber: 0 });
    const next = s.send(statusReport({ destination: '447700900123', scts: SCTS, statusCode: 3, statusErrorCode: 1 })).catch((e: unknown) => e);
    expect(await w.next()).toBe(cimdFrame('23:002<TAB>021:447700900123<TAB>060:240115123005<TAB>061:3<TAB>062:1<TAB>'));
    w.send(cimdFrame('73:002<TAB>900:6<TAB>'));
    const err = await next;
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ status: 6 });
  });

  it('server packet numbers are even and wrap 254 -> 000', async () => {
    const w = await login();
    const s = lb.sessions[0]!;
    const nums: string[] = [];
    for (let i = 0; i < 130; i++) {
      const sent = s.send({ opCode: 40, packetNumber: 0, params: [] });
      const f = await w.next();
      const num = f.slice(8, 11);
      nums.push(num);
      w.send(cimdFrame(`90:${num}<TAB>`));
      await sent;
    }
    expect(nums.slice(0, 3)).toEqual(['000', '002', '004']);
    expect(nums.slice(126, 130)).toEqual(['252', '254', '000', '002']);
  });
});
