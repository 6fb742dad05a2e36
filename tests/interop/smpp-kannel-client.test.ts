import * as net from 'node:net';
import { connectClient } from '../../protocols/smpp/client-session';
import { CommandStatus } from '../../protocols/smpp/constants';
import type { SmppInboundRequest, SmppSession } from '../../protocols/smpp/session';
import { UnexpectedResponseError } from '../../protocols/smpp/unexpected-response-error';
import { ConnectionClosedError, RemoteError } from '../../protocols/wire/errors';
import { pdu as s3Submit } from '../fixtures/smpp/submit_sm.s3';
import { RawPeer, cHex, pduHex } from '../protocols/smpp/raw-peer';

/**
 * Our ESME side against an SMSC driven by hand over a real loopback socket: it checks the exact bytes we send
 * (S1, S3 and S6 are what Kannel sends and tshark/node-smpp decode) and feeds the SMSC answers of the README
 * vectors and variants built from smpp.md.
 */

const S1_BIND_TRX = '0000002a000000090000000000000001736d7070636c69656e74310070617373776f7264000034000000';
const S2_BIND_TRX_RESP = '0000001a800000090000000000000001534d5343000210000134';
const S3_SUBMIT =
  '0000004100000004000000000000000200050041434d45000101343437373030393030313233000000000000010000001048656c6c6f200020776f726c64201b65';
const S4_SUBMIT_RESP = '00000019800000040000000000000002356633613963303100';
const S5_RECEIPT =
  '000000b200000005000000000000000700010134343737303039303031323300050041434d45000400000000000000006f69643a3566336139633031207375623a30303120646c7672643a303031207375626d697420646174653a3234303131353132333020646f6e6520646174653a3234303131353132333120737461743a44454c49565244206572723a30303020746578743a48656c6c6f20776f726c64001e00093566336139633031000427000102';
const S6_DELIVER_RESP = '0000001180000005000000000000000700';

let smsc: net.Server;
let port: number;
let accepted: Promise<RawPeer>;
const peers: RawPeer[] = [];
const clients: SmppSession[] = [];

beforeEach(async () => {
  let onPeer!: (p: RawPeer) => void;
  accepted = new Promise((r) => (onPeer = r));
  smsc = net.createServer((s) => {
    const p = new RawPeer(s);
    peers.push(p);
    onPeer(p);
  });
  await new Promise<void>((r) => smsc.listen(0, '127.0.0.1', () => r()));
  port = (smsc.address() as net.AddressInfo).port;
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.transport.destroy();
  for (const p of peers.splice(0)) p.destroy();
  await new Promise<void>((r) => smsc.close(() => r()));
});

async function bound(): Promise<{ client: SmppSession; k: RawPeer }> {
  const binding = connectClient(
    { host: '127.0.0.1', port, systemId: 'smppclient1', password: 'password', bindType: 'transceiver' },
    { enquireLinkIntervalMs: 0, unbindTimeoutMs: 2000 },
  );
  const k = await accepted;
  expect(await k.readPdu()).toBe(S1_BIND_TRX);
  k.write(S2_BIND_TRX_RESP);
  const client = await binding;
  clients.push(client);
  return { client, k };
}

describe('SMPP client vs hand-driven SMSC', () => {
  it('sends S1, is bound by S2 (3.4), sends S3 byte-exact and takes S4\'s message id', async () => {
    const { client, k } = await bound();
    expect(client.state).toBe('bound_trx');
    expect(client.peerInterfaceVersion).toBe(0x34);
    const resp = client.send(s3Submit);
    expect(await k.readPdu()).toBe(S3_SUBMIT);
    k.write(S4_SUBMIT_RESP);
    await expect(resp).resolves.toEqual({ command: 'submit_sm_resp', commandStatus: 0, sequenceNumber: 2, messageId: '5f3a9c01' });
  });

  it('takes the S5 receipt and answers S6 exactly; answers S9 enquire_link', async () => {
    const { client, k } = await bound();
    const reqs: SmppInboundRequest[] = [];
    client.requests$.subscribe((r) => {
      reqs.push(r);
      r.respond({ command: 'deliver_sm_resp', commandStatus: 0, sequenceNumber: 0, messageId: '' });
    });
    k.write(S5_RECEIPT + '00000010000000150000000000000005');
    expect(await k.readPdu()).toBe(S6_DELIVER_RESP);
    expect(await k.readPdu()).toBe('00000010800000150000000000000005');
    expect(reqs[0]!.pdu).toMatchObject({ command: 'deliver_sm', esmClass: 4, sequenceNumber: 7 });
  });

  it('a receipt without TLVs, with vendor esm_class bits and a non-empty validity is still taken', async () => {
    const { client, k } = await bound();
    client.requests$.subscribe((r) => r.respond({ command: 'deliver_sm_resp', commandStatus: 0, sequenceNumber: 0, messageId: '' }));
    const text = Buffer.from('id:123456 sub:001 dlvrd:001 submit date:2401151230 done date:2401151231 stat:UNDELIV err:001 text:', 'latin1');
    const body =
      cHex('') + '0101' + cHex('447700900123') + '0500' + cHex('ACME') + '24' + '0000' + cHex('') + cHex('240115123000000') + '00000000' +
      text.length.toString(16).padStart(2, '0') + text.toString('hex');
    k.write(pduHex(0x00000005, 0, 0x7fffffff, body));
    expect(await k.readPdu()).toBe('000000118000000500000000' + '7fffffff' + '00');
  });

  it('an error bind_resp of 16 octets (no body) fails the bind with RemoteError(status)', async () => {
    const binding = connectClient(
      { host: '127.0.0.1', port, systemId: 'smppclient1', password: 'password', bindType: 'transmitter' },
      { enquireLinkIntervalMs: 0 },
    ).catch((e: unknown) => e);
    const k = await accepted;
    expect(await k.readPdu()).toBe('0000002a000000020000000000000001736d7070636c69656e74310070617373776f7264000034000000');
    k.write('00000010800000020000000e00000001');
    const err = await binding;
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ status: CommandStatus.ESME_RINVPASWD });
    expect(await k.readPdu()).toBeNull();
  });

  it('a bind_resp from a 3.3 SMSC (no sc_interface_version) marks the peer 3.3', async () => {
    const binding = connectClient(
      { host: '127.0.0.1', port, systemId: 'smppclient1', password: 'password', bindType: 'transceiver' },
      { enquireLinkIntervalMs: 0 },
    );
    const k = await accepted;
    await k.readPdu();
    k.write('00000015800000090000000000000001' + cHex('SMSC'));
    const client = await binding;
    clients.push(client);
    expect(client.peerInterfaceVersion).toBe(0x33);
  });

  it('submit_sm_resp errors with and without a body reject with RemoteError(status)', async () => {
    const { client, k } = await bound();
    const a = client.send(s3Submit).catch((e: unknown) => e);
    const b = client.send(s3Submit).catch((e: unknown) => e);
    await k.readPdu();
    await k.readPdu();
    k.write('00000010800000040000005800000002' + '00000011800000040000001400000003' + '00');
    expect(await a).toMatchObject({ status: CommandStatus.ESME_RTHROTTLED });
    expect(await b).toMatchObject({ status: CommandStatus.ESME_RMSGQFUL });
  });

  it('a deliver_sm_resp answering our submit_sm sequence rejects the submit, it is not taken as accepted', async () => {
    const { client, k } = await bound();
    const r = client.send(s3Submit).catch((e: unknown) => e);
    await k.readPdu();
    k.write('0000001180000005000000000000000200');
    expect(await r).toBeInstanceOf(UnexpectedResponseError);
    expect(client.state).toBe('bound_trx');
  });

  it('generic_nack for our submit rejects it with RemoteError; generic_nack seq 0 is ignored', async () => {
    const { client, k } = await bound();
    const r = client.send(s3Submit).catch((e: unknown) => e);
    await k.readPdu();
    k.write('00000010800000000000000200000000' + '00000010800000000000000300000002');
    expect(await r).toMatchObject({ status: CommandStatus.ESME_RINVCMDID });
    expect(client.state).toBe('bound_trx');
  });

  it('the SMSC\'s unbind is answered with unbind_resp and the link closes', async () => {
    const { client, k } = await bound();
    k.write('00000010000000060000000000000009');
    expect(await k.readPdu()).toBe('00000010800000060000000000000009');
    expect((await client.closed).kind).toBe('remote');
  });

  it('our close() sends unbind and closes on unbind_resp', async () => {
    const { client, k } = await bound();
    const closing = client.close();
    expect(await k.readPdu()).toBe('00000010000000060000000000000002');
    k.write('00000010800000060000000000000002');
    await closing;
    expect(await k.readPdu()).toBeNull();
  });

  it('a nonsense command_length from the SMSC: generic_nack ESME_RINVCMDLEN with its sequence, then we close', async () => {
    const { client, k } = await bound();
    const r = client.send(s3Submit).catch((e: unknown) => e);
    await k.readPdu();
    k.write('00000004' + '80000004' + '00000000' + '00000002');
    expect(await k.readPdu()).toBe('00000010800000000000000200000002');
    expect(await r).toBeInstanceOf(ConnectionClosedError);
    expect((await client.closed).kind).toBe('frame_error');
    expect(await k.readPdu()).toBeNull();
  });
});

describe('SMPP client: SMSC traffic right behind the bind_resp', () => {
  it('a receipt in the same TCP segment as the bind_resp is delivered, not refused for the bind state', async () => {
    const binding = connectClient(
      { host: '127.0.0.1', port, systemId: 'smppclient1', password: 'password', bindType: 'transceiver' },
      { enquireLinkIntervalMs: 0 },
    );
    const k = await accepted;
    expect(await k.readPdu()).toBe(S1_BIND_TRX);
    k.write(S2_BIND_TRX_RESP + S5_RECEIPT);
    const client = await binding;
    clients.push(client);
    const reqs: SmppInboundRequest[] = [];
    client.requests$.subscribe((r) => {
      reqs.push(r);
      r.respond({ command: 'deliver_sm_resp', commandStatus: 0, sequenceNumber: 0, messageId: '' });
    });
    expect(await k.readPdu()).toBe(S6_DELIVER_RESP);
    expect(reqs).toHaveLength(1);
  });
});
