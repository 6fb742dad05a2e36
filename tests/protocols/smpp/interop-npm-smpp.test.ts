import type { AddressInfo } from 'node:net';
import { npmSmpp } from '../../../bench/lib/npm-smpp';
import type { NpmPdu, NpmServer, NpmSession } from '../../../bench/lib/npm-smpp';
import { connectClient } from '../../../protocols/smpp/client-session';
import { CommandStatus, Tlv } from '../../../protocols/smpp/constants';
import { getTlv } from '../../../protocols/smpp/pdu';
import type { DeliverSm, SmppPdu, SubmitSm } from '../../../protocols/smpp/pdu';
import { receiptFromDeliverSm } from '../../../protocols/smpp/receipt-text';
import { SmppServer } from '../../../protocols/smpp/server';
import type { SmppSession } from '../../../protocols/smpp/session';
import { RemoteError } from '../../../protocols/wire/errors';
import { startSmppSimulator } from '../../../simulators/smpp/simulator';
import { auth, submitSm } from './session-harness';

const UDH = Buffer.from('050003a50201', 'hex');
const UCS2_TEXT = Buffer.from('041f04400438043204350442002c0020', 'hex'); // "Привет, "

function once<T>(fn: (resolve: (v: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve) => fn(resolve));
}

function npmCall(session: NpmSession, method: 'bind_transceiver' | 'submit_sm' | 'unbind', opts: Record<string, unknown>): Promise<NpmPdu> {
  return once((resolve) => session[method](opts, resolve));
}

describe('interop: npm smpp client -> our SmppServer', () => {
  let server: SmppServer;
  let port: number;
  let npm: NpmSession | undefined;
  const received: SmppPdu[] = [];
  const sessions: SmppSession[] = [];

  beforeEach(async () => {
    received.length = 0;
    sessions.length = 0;
    server = new SmppServer({ port: 0, auth, sessionOptions: { enquireLinkIntervalMs: 0 } });
    server.sessions$.subscribe((s) => {
      sessions.push(s);
      let n = 0;
      s.requests$.subscribe((req) => {
        received.push(req.pdu);
        if (req.pdu.command !== 'submit_sm') return;
        const messageId = `m${++n}`;
        req.respond({ command: 'submit_sm_resp', commandStatus: 0, sequenceNumber: 0, messageId });
      });
    });
    ({ port } = await server.listen());
  });

  afterEach(async () => {
    npm?.destroy();
    npm = undefined;
    await server.close();
  });

  async function connectNpm(): Promise<NpmSession> {
    const s = npmSmpp.connect({ url: `smpp://127.0.0.1:${port}` });
    npm = s;
    s.on('error', () => undefined);
    await once<void>((r) => s.on('connect', () => r()));
    return s;
  }

  it('binds, and a wrong password gets ESME_RINVPASWD', async () => {
    const bad = await connectNpm();
    const refused = await npmCall(bad, 'bind_transceiver', { system_id: 'esme1', password: 'wrong' });
    expect(refused.command).toBe('bind_transceiver_resp');
    expect(refused.command_status).toBe(CommandStatus.ESME_RINVPASWD);
    await once<void>((r) => bad.on('close', () => r()));

    const s = await connectNpm();
    const ok = await npmCall(s, 'bind_transceiver', { system_id: 'esme1', password: 'secret', interface_version: 0x34 });
    expect(ok.command_status).toBe(0);
    expect(ok.system_id).toBe('SMSC');
    expect(ok.sc_interface_version).toBe(0x34);
  });

  it('accepts submit_sm with UDH + UCS2, SAR + message_payload TLVs, and answers with our message ids', async () => {
    const s = await connectNpm();
    await npmCall(s, 'bind_transceiver', { system_id: 'esme1', password: 'secret' });
    const r1 = await npmCall(s, 'submit_sm', {
      source_addr: '447700900001',
      destination_addr: '447700900123',
      esm_class: 0x40,
      data_coding: 8,
      short_message: Buffer.concat([UDH, UCS2_TEXT]),
    });
    const r2 = await npmCall(s, 'submit_sm', {
      source_addr: '447700900001',
      destination_addr: '447700900123',
      short_message: Buffer.alloc(0),
      sar_msg_ref_num: 0x1234,
      sar_total_segments: 2,
      sar_segment_seqnum: 1,
      message_payload: Buffer.from('Part one'),
    });
    // npm's own UDH path: {udh, message} with data_coding UCS2
    const r3 = await npmCall(s, 'submit_sm', {
      destination_addr: '447700900123',
      data_coding: 8,
      short_message: { udh: UDH, message: 'Привет, ' },
    });
    expect([r1, r2, r3].map((r) => [r.command, r.command_status, r.message_id])).toEqual([
      ['submit_sm_resp', 0, 'm1'],
      ['submit_sm_resp', 0, 'm2'],
      ['submit_sm_resp', 0, 'm3'],
    ]);
    const [a, b, c] = received as SubmitSm[];
    expect(a).toMatchObject({ esmClass: 0x40, dataCoding: 8, sourceAddr: '447700900001', destinationAddr: '447700900123' });
    expect(Buffer.from(a!.shortMessage)).toEqual(Buffer.concat([UDH, UCS2_TEXT]));
    expect(b!.shortMessage.length).toBe(0);
    expect(getTlv(b!, Tlv.sar_msg_ref_num)).toEqual(Buffer.from([0x12, 0x34]));
    expect(getTlv(b!, Tlv.sar_total_segments)).toEqual(Buffer.from([2]));
    expect(getTlv(b!, Tlv.sar_segment_seqnum)).toEqual(Buffer.from([1]));
    expect(getTlv(b!, Tlv.message_payload)?.toString()).toBe('Part one');
    expect(c!.esmClass & 0x40).toBe(0x40);
    expect(Buffer.from(c!.shortMessage)).toEqual(Buffer.concat([UDH, UCS2_TEXT]));
  });

  it('delivers our receipt deliver_sm, which npm decodes and acknowledges', async () => {
    const s = await connectNpm();
    await npmCall(s, 'bind_transceiver', { system_id: 'esme1', password: 'secret' });
    const got = once<NpmPdu>((r) =>
      s.on('deliver_sm', (pdu: NpmPdu) => {
        s.send(pdu.response());
        r(pdu);
      }),
    );
    const ours = sessions[0]!;
    const text = 'id:m1 sub:001 dlvrd:001 submit date:2401151230 done date:2401151231 stat:DELIVRD err:000 text:Hello';
    const receipt: DeliverSm = {
      ...submitSm(),
      command: 'deliver_sm',
      sourceAddr: '447700900123',
      destinationAddr: '447700900001',
      esmClass: 0x04,
      shortMessage: Buffer.from(text, 'latin1'),
      tlvs: [
        { tag: Tlv.receipted_message_id, value: Buffer.from('m1\0') },
        { tag: Tlv.message_state, value: Buffer.from([2]) },
      ],
    };
    const resp = await ours.send(receipt);
    expect(resp).toMatchObject({ command: 'deliver_sm_resp', commandStatus: 0 });
    const pdu = await got;
    expect(pdu.esm_class).toBe(0x04);
    expect(pdu.receipted_message_id).toBe('m1');
    expect(pdu.message_state).toBe(2);
    expect((pdu.short_message as { message: string }).message).toBe(text);
  });

  it('answers npm unbind with unbind_resp and closes the session as remote', async () => {
    const s = await connectNpm();
    await npmCall(s, 'bind_transceiver', { system_id: 'esme1', password: 'secret' });
    const resp = await npmCall(s, 'unbind', {});
    expect(resp.command).toBe('unbind_resp');
    await expect(sessions[0]!.closed).resolves.toEqual({ kind: 'remote' });
  });
});

describe('interop: npm smpp client -> our simulator (happy)', () => {
  it('submits with registered_delivery and gets a receipt whose id matches the submit_sm_resp', async () => {
    const sim = await startSmppSimulator({ port: 0, systemId: 'esme1', password: 'secret' });
    const s = npmSmpp.connect({ url: `smpp://127.0.0.1:${sim.port}` });
    s.on('error', () => undefined);
    try {
      await once<void>((r) => s.on('connect', () => r()));
      const bound = await npmCall(s, 'bind_transceiver', { system_id: 'esme1', password: 'secret' });
      expect(bound.command_status).toBe(0);
      const receipt = once<NpmPdu>((r) =>
        s.on('deliver_sm', (pdu: NpmPdu) => {
          s.send(pdu.response());
          r(pdu);
        }),
      );
      const resp = await npmCall(s, 'submit_sm', { destination_addr: '447700900123', short_message: 'Hello', registered_delivery: 1 });
      expect(resp.command_status).toBe(0);
      const dlr = await receipt;
      expect(dlr.esm_class).toBe(0x04);
      expect(dlr.receipted_message_id).toBe(resp.message_id);
      expect(dlr.message_state).toBe(2);
      expect((dlr.short_message as { message: string }).message).toMatch(new RegExp(`^id:${String(resp.message_id)} .*stat:DELIVRD`));
    } finally {
      s.destroy();
      await sim.close();
    }
  });
});

describe('interop: our client -> npm smpp server', () => {
  let npmServer: NpmServer;
  let port: number;
  const got: NpmPdu[] = [];
  let ours: SmppSession | undefined;

  beforeEach(async () => {
    got.length = 0;
    npmServer = npmSmpp.createServer((session) => {
      session.on('error', () => undefined);
      session.on('bind_transceiver', (pdu: NpmPdu) => {
        if (pdu.password !== 'secret') {
          session.send(pdu.response({ command_status: CommandStatus.ESME_RINVPASWD }));
          session.close();
          return;
        }
        session.send(pdu.response({ system_id: 'NPMSMSC' }));
      });
      session.on('submit_sm', (pdu: NpmPdu) => {
        got.push(pdu);
        session.send(pdu.response({ message_id: `npm${got.length}` }));
        if (pdu.registered_delivery) {
          session.deliver_sm({
            source_addr: pdu.destination_addr,
            destination_addr: pdu.source_addr,
            esm_class: 0x04,
            short_message: `id:npm${got.length} sub:001 dlvrd:001 submit date:2401151230 done date:2401151231 stat:DELIVRD err:000 text:x`,
            receipted_message_id: `npm${got.length}`,
            message_state: 2,
          });
        }
      });
      session.on('enquire_link', (pdu: NpmPdu) => session.send(pdu.response()));
      session.on('unbind', (pdu: NpmPdu) => {
        session.send(pdu.response());
        session.close();
      });
    });
    await once<void>((r) => npmServer.listen(0, '127.0.0.1', () => r()));
    port = (npmServer.address() as AddressInfo).port;
  });

  afterEach(async () => {
    if (ours && ours.state !== 'closed') ours.transport.destroy();
    ours = undefined;
    for (const s of [...npmServer.sessions]) s.destroy();
    await once<void>((r) => npmServer.close(() => r()));
  });

  it('binds, submits UDH/UCS2 and TLVs, gets npm message ids and a receipt, and unbinds', async () => {
    ours = await connectClient({ host: '127.0.0.1', port, systemId: 'esme1', password: 'secret', bindType: 'transceiver' });
    expect(ours.state).toBe('bound_trx');
    expect(ours.peerSystemId).toBe('NPMSMSC');
    const receipts: DeliverSm[] = [];
    ours.requests$.subscribe((req) => {
      if (req.pdu.command === 'deliver_sm') receipts.push(req.pdu);
      req.respond({ command: 'deliver_sm_resp', commandStatus: 0, sequenceNumber: 0, messageId: '' });
    });
    const r1 = await ours.send(
      submitSm({ esmClass: 0x40, dataCoding: 8, shortMessage: Buffer.concat([UDH, UCS2_TEXT]), registeredDelivery: 1 }),
    );
    const r2 = await ours.send(
      submitSm({ shortMessage: Buffer.alloc(0), tlvs: [{ tag: Tlv.message_payload, value: Buffer.from('Part one') }] }),
    );
    expect(r1).toMatchObject({ command: 'submit_sm_resp', messageId: 'npm1' });
    expect(r2).toMatchObject({ command: 'submit_sm_resp', messageId: 'npm2' });
    expect(got[0]!.esm_class).toBe(0x40);
    expect(got[0]!.data_coding).toBe(8);
    const sm = got[0]!.short_message as { udh: Buffer[]; message: string };
    // npm lists the information elements without the UDHL octet
    expect(sm.udh).toEqual([UDH.subarray(1)]);
    expect(sm.message).toBe('Привет, ');
    expect((got[1]!.message_payload as { message: string }).message).toBe('Part one');
    for (let i = 0; i < 50 && receipts.length === 0; i++) await new Promise<void>((r) => setImmediate(r));
    expect(receipts).toHaveLength(1);
    const receipt = receiptFromDeliverSm(receipts[0]!);
    expect(receipt).toMatchObject({ smscMessageId: 'npm1', outcome: 'delivered', final: true });
    await ours.close();
    await expect(ours.closed).resolves.toEqual({ kind: 'local' });
  });

  it('rejects a refused bind with RemoteError(ESME_RINVPASWD)', async () => {
    const err = await connectClient({ host: '127.0.0.1', port, systemId: 'esme1', password: 'bad', bindType: 'transceiver' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).status).toBe(CommandStatus.ESME_RINVPASWD);
  });
});
