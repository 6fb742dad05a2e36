import { connectClient } from '../../../protocols/smpp/client-session';
import type { SmppConnectParams } from '../../../protocols/smpp/client-session';
import { CommandStatus, Tlv } from '../../../protocols/smpp/constants';
import { getTlv } from '../../../protocols/smpp/pdu';
import type { DeliverSm } from '../../../protocols/smpp/pdu';
import { receiptFromDeliverSm } from '../../../protocols/smpp/receipt-text';
import type { SmppSession, SmppSessionOptions } from '../../../protocols/smpp/session';
import { FakeClock } from '../../../protocols/wire/clock';
import { ConnectionClosedError, RemoteError, TimeoutError } from '../../../protocols/wire/errors';
import { Personas } from '../../../simulators/smpp/personas';
import type { Persona } from '../../../simulators/smpp/personas';
import { startSmppSimulator } from '../../../simulators/smpp/simulator';
import type { SmppSimulator } from '../../../simulators/smpp/simulator';
import { submitSm as submit } from '../../helpers/smpp-pdus';
import { selfSignedCert } from '../../helpers/test-cert';

const quiet: SmppSessionOptions = { enquireLinkIntervalMs: 0 };

describe('SMPP simulator over loopback', () => {
  let sim: SmppSimulator | undefined;
  let client: SmppSession | undefined;
  const lines: string[] = [];

  afterEach(async () => {
    if (client && client.state !== 'closed') client.transport.destroy();
    client = undefined;
    await sim?.close();
    sim = undefined;
    lines.length = 0;
  });

  async function start(persona: Persona, extra: { clock?: FakeClock } = {}): Promise<SmppSimulator> {
    sim = await startSmppSimulator({ port: 0, systemId: 'esme1', password: 'secret', persona, log: (l) => lines.push(l), ...extra });
    return sim;
  }

  function params(port: number, over: Partial<SmppConnectParams> = {}): SmppConnectParams {
    return { host: '127.0.0.1', port, systemId: 'esme1', password: 'secret', bindType: 'transceiver', ...over };
  }

  /** Collects deliver_sm on the client, answering each; resolves when `n` have arrived. */
  function collectDelivers(s: SmppSession, n: number): Promise<DeliverSm[]> {
    const got: DeliverSm[] = [];
    return new Promise((resolve) => {
      s.requests$.subscribe((req) => {
        req.respond({ command: 'deliver_sm_resp', commandStatus: 0, sequenceNumber: 0, messageId: '' });
        if (req.pdu.command === 'deliver_sm') got.push(req.pdu);
        if (got.length === n) resolve(got);
      });
    });
  }

  it('happy: answers with a hex message id and sends a DELIVRD receipt with TLVs', async () => {
    const { port } = await start(Personas.happy);
    client = await connectClient(params(port), quiet);
    const receipts = collectDelivers(client, 1);
    const resp = await client.send(submit({ registeredDelivery: 1 }));
    expect(resp.command).toBe('submit_sm_resp');
    const messageId = resp.command === 'submit_sm_resp' ? resp.messageId : '';
    expect(messageId).toMatch(/^[0-9a-f]+$/);
    const [dlr] = await receipts;
    expect(dlr!.esmClass).toBe(0x04);
    expect(dlr!.destinationAddr).toBe('ACME');
    expect(getTlv(dlr!, Tlv.message_state)).toEqual(Buffer.from([2]));
    expect(receiptFromDeliverSm(dlr!)).toMatchObject({ smscMessageId: messageId, outcome: 'delivered', final: true });
    expect(dlr!.shortMessage.toString('latin1')).toMatch(new RegExp(`^id:${messageId} sub:001 dlvrd:001 .* stat:DELIVRD err:000 text:Hello world$`));
    expect(sim!.stats).toMatchObject({ submits: 1, receiptsSent: 1, binds: 1 });
    expect(lines.some((l) => l.startsWith('bind '))).toBe(true);
    expect(lines.some((l) => l.startsWith('receipt '))).toBe(true);
  });

  it('happy: no receipt when registered_delivery is 0', async () => {
    const { port } = await start(Personas.happy);
    client = await connectClient(params(port), quiet);
    await client.send(submit());
    await client.send(submit());
    expect(sim!.stats).toMatchObject({ submits: 2, receiptsSent: 0 });
  });

  it('dlrAfter: the receipt comes after the delay with the asked outcome', async () => {
    const clock = new FakeClock();
    const { port } = await start(Personas.dlrAfter(500, 'undeliverable'), { clock });
    client = await connectClient(params(port), quiet);
    const receipts = collectDelivers(client, 1);
    const resp = await client.send(submit({ registeredDelivery: 1 }));
    expect(sim!.stats.receiptsSent).toBe(0);
    clock.advance(500);
    const [dlr] = await receipts;
    expect(receiptFromDeliverSm(dlr!)).toMatchObject({
      smscMessageId: resp.command === 'submit_sm_resp' ? resp.messageId : '?',
      outcome: 'undeliverable',
      final: true,
    });
  });

  it('nackOnSubmit: every submit is refused with the status', async () => {
    const { port } = await start(Personas.nackOnSubmit('ESME_RMSGQFUL'));
    client = await connectClient(params(port), quiet);
    const err = await client.send(submit()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).status).toBe(CommandStatus.ESME_RMSGQFUL);
  });

  it('slow: above perSec submits are throttled (ESME_RTHROTTLED)', async () => {
    const clock = new FakeClock();
    const { port } = await start(Personas.slow(5), { clock });
    client = await connectClient(params(port), quiet);
    const s = client;
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => s.send(submit())));
    const statuses = results.map((r) => (r.status === 'fulfilled' ? 0 : (r.reason as RemoteError).status));
    expect(statuses).toEqual([0, 0, 0, 0, 0, 88, 88, 88]);
    clock.advance(1000);
    await expect(s.send(submit())).resolves.toMatchObject({ commandStatus: 0 });
    expect(sim!.stats.throttled).toBe(3);
  });

  it('noResponseOnSubmit: the client times out', async () => {
    const { port } = await start(Personas.noResponseOnSubmit);
    client = await connectClient(params(port), quiet);
    await expect(client.send(submit(), { timeoutMs: 50 })).rejects.toBeInstanceOf(TimeoutError);
    expect(client.inFlight).toBe(0);
  });

  it('dropAfterBind: the bind succeeds, then the client sees the connection close', async () => {
    const { port } = await start(Personas.dropAfterBind);
    client = await connectClient(params(port), quiet);
    await expect(client.closed).resolves.toEqual({ kind: 'remote' });
  });

  it('blackHole: the client keep-alive detects the dead peer', async () => {
    const { port } = await start(Personas.blackHole);
    client = await connectClient(params(port), { enquireLinkIntervalMs: 20, enquireLinkTimeoutMs: 30 });
    await expect(client.closed).resolves.toEqual({ kind: 'keepalive_timeout' });
  });

  it('unbindOnSubmit: the SMSC unbinds and the pending submit fails', async () => {
    const { port } = await start(Personas.unbindOnSubmit);
    client = await connectClient(params(port), { ...quiet, unbindTimeoutMs: 200 });
    const err = await client.send(submit()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    await expect(client.closed).resolves.toEqual({ kind: 'remote' });
  });

  it('corruptLength: a command_length of 8 is a frame error that closes the client', async () => {
    const { port } = await start(Personas.corruptLength);
    client = await connectClient(params(port), quiet);
    const err = await client.send(submit()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    const reason = await client.closed;
    expect(reason.kind).toBe('frame_error');
  });

  it('refuses wrong credentials with the matching status', async () => {
    const { port } = await start(Personas.happy);
    await expect(connectClient(params(port, { password: 'x' }), quiet)).rejects.toMatchObject({ status: CommandStatus.ESME_RINVPASWD });
    await expect(connectClient(params(port, { systemId: 'x' }), quiet)).rejects.toMatchObject({ status: CommandStatus.ESME_RINVSYSID });
  });

  it('injectMo: delivers an MO to a receiver bind (ASCII as IA5, other text as UCS2)', async () => {
    const { port } = await start(Personas.happy);
    client = await connectClient(params(port, { bindType: 'receiver' }), quiet);
    const mos = collectDelivers(client, 2);
    await sim!.injectMo('447700900123', '4477', 'STOP');
    await sim!.injectMo('447700900123', '4477', 'Привет');
    const [a, b] = await mos;
    expect(a).toMatchObject({ sourceAddr: '447700900123', destinationAddr: '4477', dataCoding: 1, esmClass: 0 });
    expect(a!.shortMessage.toString('latin1')).toBe('STOP');
    expect(b!.dataCoding).toBe(8);
    expect(Buffer.from(b!.shortMessage).swap16().toString('utf16le')).toBe('Привет');
  });

  it('sends receipts for a transmitter bind to the receiver bind of the same system_id', async () => {
    const { port } = await start(Personas.happy);
    const rx = await connectClient(params(port, { bindType: 'receiver' }), quiet);
    try {
      client = await connectClient(params(port, { bindType: 'transmitter' }), quiet);
      const receipts = collectDelivers(rx, 1);
      await client.send(submit({ registeredDelivery: 1 }));
      const [dlr] = await receipts;
      expect(dlr!.esmClass).toBe(0x04);
    } finally {
      await rx.close();
    }
  });

  it('close() unbinds connected clients first', async () => {
    const { port } = await start(Personas.happy);
    client = await connectClient(params(port), quiet);
    await sim!.close();
    sim = undefined;
    await expect(client.closed).resolves.toEqual({ kind: 'remote' });
  });
});

describe('SMPP simulator over TLS', () => {
  let sim: SmppSimulator | undefined;
  let client: SmppSession | undefined;

  afterAll(async () => {
    if (client && client.state !== 'closed') client.transport.destroy();
    await sim?.close();
  });

  it('binds and submits over TLS with a self-signed certificate generated for the test', async () => {
    const { key, cert: certPem } = selfSignedCert();
    sim = await startSmppSimulator({
      port: 0,
      systemId: 'esme1',
      password: 'secret',
      tls: { key, cert: certPem },
    });
    client = await connectClient(
      { host: '127.0.0.1', port: sim.port, systemId: 'esme1', password: 'secret', bindType: 'transceiver', tls: { ca: certPem, servername: 'localhost' } },
      quiet,
    );
    const resp = await client.send(submit());
    expect(resp).toMatchObject({ command: 'submit_sm_resp', commandStatus: 0 });
    await client.close();
    await expect(client.closed).resolves.toEqual({ kind: 'local' });
  });
});
