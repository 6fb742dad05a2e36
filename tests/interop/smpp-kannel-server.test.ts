import { CommandStatus } from '../../protocols/smpp/constants';
import type { SmppPdu } from '../../protocols/smpp/pdu';
import { SmppServer } from '../../protocols/smpp/server';
import type { SmppInboundRequest, SmppSession } from '../../protocols/smpp/session';
import { pdu as s5Receipt } from '../fixtures/smpp/deliver_sm.s5';
import { RawPeer, cHex, pduHex } from '../protocols/smpp/raw-peer';

/**
 * Our SMSC side against the exact bytes Kannel 1.4.5 sends (README vectors marked K) and hand-built variants from
 * smpp.md, over real loopback sockets. Every expected answer is literal hex, not produced by our encoder.
 */

const S1_BIND_TRX = '0000002a000000090000000000000001736d7070636c69656e74310070617373776f7264000034000000';
const S2_BIND_TRX_RESP = '0000001a800000090000000000000001534d5343000210000134';
const S9_ENQUIRE_LINK = '00000010000000150000000000000005';
const S11_KANNEL_SUBMIT =
  '0000004300000004000000000000000300050041434d45000201343437373030393030313233000300000000010000001248656c6c6f20002001201b65201b3c111b3e';
const S12_KANNEL_UCS2 =
  '0000004b0000000400000000000000040002013434373730303930303030310002013434373730303930303132330043000000000000080012050003a50201041f04400438043204350442';
/** S5 with the sequence number our SMSC session gives its first request (1). */
const S5_SEQ1 =
  '000000b2000000050000000000000001000101343437373030393030313233000500' +
  '41434d45000400000000000000006f69643a3566336139633031207375623a30303120646c7672643a303031207375626d697420646174653a3234303131353132333020646f6e6520646174653a3234303131353132333120737461743a44454c49565244206572723a30303020746578743a48656c6c6f20776f726c64001e00093566336139633031000427000102';

let server: SmppServer;
let port: number;
let sessions: SmppSession[];
const peers: RawPeer[] = [];
const submits: SmppPdu[] = [];

beforeEach(async () => {
  sessions = [];
  submits.length = 0;
  server = new SmppServer({
    port: 0,
    auth: (req) =>
      req.systemId === 'smppclient1' && req.password === 'password'
        ? { ok: true, systemId: 'SMSC' }
        : { ok: false, status: CommandStatus.ESME_RINVPASWD },
    sessionOptions: { enquireLinkIntervalMs: 0, bindTimeoutMs: 5000 },
  });
  server.sessions$.subscribe((s) => {
    sessions.push(s);
    s.requests$.subscribe((r: SmppInboundRequest) => {
      submits.push(r.pdu);
      r.respond({ command: 'submit_sm_resp', commandStatus: 0, sequenceNumber: 0, messageId: '5f3a9c01' });
    });
  });
  ({ port } = await server.listen());
});

afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server.close();
});

async function connect(): Promise<RawPeer> {
  const p = await RawPeer.connect(port);
  peers.push(p);
  return p;
}

describe('SMPP server vs Kannel byte streams', () => {
  it('S1 bind -> S2; S11/S12 submits -> submit_sm_resp; S9 -> enquire_link_resp; unbind -> unbind_resp + close', async () => {
    const k = await connect();
    k.write(S1_BIND_TRX);
    expect(await k.readPdu()).toBe(S2_BIND_TRX_RESP);
    k.write(S11_KANNEL_SUBMIT + S12_KANNEL_UCS2);
    expect(await k.readPdu()).toBe('00000019800000040000000000000003' + '356633613963303100');
    expect(await k.readPdu()).toBe('00000019800000040000000000000004' + '356633613963303100');
    expect(submits.map((p) => p.command === 'submit_sm' && [p.esmClass, p.dataCoding, p.destAddrTon])).toEqual([
      [0x03, 0, 2],
      [0x43, 8, 2],
    ]);
    k.write(S9_ENQUIRE_LINK);
    expect(await k.readPdu()).toBe('00000010800000150000000000000005');
    k.write('00000010000000060000000000000008');
    expect(await k.readPdu()).toBe('00000010800000060000000000000008');
    await k.closed;
  });

  it('our receipt (S5 layout) goes out byte-exact and Kannel\'s S6-form deliver_sm_resp resolves it', async () => {
    const k = await connect();
    k.write(S1_BIND_TRX);
    expect(await k.readPdu()).toBe(S2_BIND_TRX_RESP);
    const sent = sessions[0]!.send(s5Receipt);
    expect(await k.readPdu()).toBe(S5_SEQ1);
    k.write('0000001180000005000000000000000100');
    await expect(sent).resolves.toEqual({ command: 'deliver_sm_resp', commandStatus: 0, sequenceNumber: 1, messageId: '' });
  });

  it('a 16-octet deliver_sm_resp (no body) and one with a non-zero status are both understood', async () => {
    const k = await connect();
    k.write(S1_BIND_TRX);
    await k.readPdu();
    const first = sessions[0]!.send(s5Receipt);
    const second = sessions[0]!.send(s5Receipt).catch((e: unknown) => e);
    await k.readPdu();
    await k.readPdu();
    k.write(pduHex(0x80000005, 0, 1) + pduHex(0x80000005, CommandStatus.ESME_RX_T_APPN, 2));
    await expect(first).resolves.toMatchObject({ command: 'deliver_sm_resp', messageId: '' });
    expect(await second).toMatchObject({ status: CommandStatus.ESME_RX_T_APPN });
  });

  it('a submit pipelined behind the bind in one segment is served (synchronous authenticator)', async () => {
    const k = await connect();
    k.write(S1_BIND_TRX + S11_KANNEL_SUBMIT);
    expect(await k.readPdu()).toBe(S2_BIND_TRX_RESP);
    expect(await k.readPdu()).toBe('00000019800000040000000000000003' + '356633613963303100');
  });

  it('enquire_link before bind is answered; unbind before bind gets ESME_RINVBNDSTS', async () => {
    const k = await connect();
    k.write(S9_ENQUIRE_LINK + '00000010000000060000000000000006');
    expect(await k.readPdu()).toBe('00000010800000150000000000000005');
    expect(await k.readPdu()).toBe('00000010800000060000000400000006');
    k.write(S1_BIND_TRX);
    expect(await k.readPdu()).toBe(S2_BIND_TRX_RESP);
  });

  it('a bad password gets bind_transceiver_resp ESME_RINVPASWD (system_id NUL kept) and the connection closes', async () => {
    const k = await connect();
    k.write(pduHex(0x00000009, 0, 1, cHex('smppclient1') + cHex('wrong') + cHex('') + '340000' + cHex('')));
    expect(await k.readPdu()).toBe('00000011800000090000000e0000000100');
    await k.closed;
  });

  it('with omitEmptyErrorBody the refusal is a bare 16-octet header', async () => {
    const strict = new SmppServer({
      port: 0,
      auth: () => ({ ok: false, status: CommandStatus.ESME_RINVSYSID }),
      sessionOptions: { enquireLinkIntervalMs: 0, omitEmptyErrorBody: true },
    });
    const { port: p2 } = await strict.listen();
    try {
      const k = await RawPeer.connect(p2);
      peers.push(k);
      k.write(S1_BIND_TRX);
      expect(await k.readPdu()).toBe('00000010800000090000000f00000001');
      await k.closed;
    } finally {
      await strict.close();
    }
  });

  it('a 3.3 bind gets a bind_resp without sc_interface_version', async () => {
    const k = await connect();
    k.write(pduHex(0x00000002, 0, 1, cHex('smppclient1') + cHex('password') + cHex('') + '330000' + cHex('')));
    expect(await k.readPdu()).toBe('00000015800000020000000000000001' + cHex('SMSC'));
  });

  it('a second bind gets ESME_RALYBND; an unknown command id gets generic_nack 0x03 and the session lives', async () => {
    const k = await connect();
    k.write(S1_BIND_TRX);
    await k.readPdu();
    k.write(S1_BIND_TRX.slice(0, 24) + '00000002' + S1_BIND_TRX.slice(32));
    expect(await k.readPdu()).toBe('00000011800000090000000500000002' + '00');
    k.write(pduHex(0x00000999, 0, 9));
    expect(await k.readPdu()).toBe('00000010800000000000000300000009');
    k.write(S9_ENQUIRE_LINK);
    expect(await k.readPdu()).toBe('00000010800000150000000000000005');
  });

  it('submit_sm with relative validity, absolute schedule and a TLV we do not know is accepted', async () => {
    const k = await connect();
    k.write(S1_BIND_TRX);
    await k.readPdu();
    const body =
      cHex('') + '0500' + cHex('ACME') + '0101' + cHex('447700900123') + '030000' +
      cHex('240115123000004+') + cHex('000001000000000R') + '01000000' + '02' + '6869' + '14020002abcd';
    k.write(pduHex(0x00000004, 0, 21, body));
    expect(await k.readPdu()).toBe('00000019800000040000000000000015' + '356633613963303100');
  });

  it('submit_sm with a malformed validity_period gets ESME_RINVEXPIRY and the session lives', async () => {
    const k = await connect();
    k.write(S1_BIND_TRX);
    await k.readPdu();
    const body = cHex('') + '0500' + cHex('ACME') + '0101' + cHex('447700900123') + '000000' + cHex('') + cHex('2401') + '01000000' + '00';
    k.write(pduHex(0x00000004, 0, 22, body));
    expect(await k.readPdu()).toBe('00000011800000040000006200000016' + '00');
    k.write(S9_ENQUIRE_LINK);
    expect(await k.readPdu()).toBe('00000010800000150000000000000005');
  });

  it('a nonsense command_length is answered with generic_nack ESME_RINVCMDLEN echoing the sequence, then closed', async () => {
    const k = await connect();
    k.write(S1_BIND_TRX);
    await k.readPdu();
    k.write('ffffffff' + '00000004' + '00000000' + '0000002a' + 'deadbeef');
    expect(await k.readPdu()).toBe('000000108000000000000002' + '0000002a');
    expect(await k.readPdu()).toBeNull();
  });
});
