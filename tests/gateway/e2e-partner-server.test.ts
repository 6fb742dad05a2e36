import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { connectClient } from '../../protocols/smpp/client-session';
import type { SubmitSm } from '../../protocols/smpp/pdu';
import type { SmppSession } from '../../protocols/smpp/session';
import { RemoteError } from '../../protocols/wire/errors';
import { SqliteMessageStore } from '../../gateway/store/sqlite/sqlite-store';
import { Personas } from '../../simulators/smpp/personas';
import { startSmppSimulator } from '../../simulators/smpp/simulator';
import type { SmppSimulator } from '../../simulators/smpp/simulator';
import { smppConnector, startHarness, until } from './helpers/gateway-harness';
import type { Harness } from './helpers/gateway-harness';
import { submitSm } from '../helpers/smpp-pdus';

function submit(text: string): SubmitSm {
  return submitSm({ registeredDelivery: 1, shortMessage: Buffer.from(text) });
}

describe('partner SMPP server: TLS listener, submit_multi and data_sm, graceful shutdown', () => {
  let sim: SmppSimulator | undefined;
  let gw: Harness | undefined;
  let client: SmppSession | undefined;

  afterEach(async () => {
    await client?.close().catch(() => undefined);
    client = undefined;
    await gw?.close();
    gw = undefined;
    await sim?.close();
    sim = undefined;
  });

  it('a partner binds and submits over TLS on the second listener', async () => {
    sim = await startSmppSimulator({ port: 0, host: '127.0.0.1', systemId: 'gw', password: 'gwpass', persona: Personas.happy });
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const certDir = mkdtempSync(join(tmpdir(), 'tollgate-tls-'));
    const keyFile = join(certDir, 'test-only-key.pem');
    const certFile = join(certDir, 'test-only-cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    gw = await startHarness({
      connectors: [smppConnector('sim', sim.port)],
      partners: [{ id: 'acme', smpp: { systemId: 'acme', password: 'secret1' } }],
      routes: [{ id: 'all', prefix: '', targets: ['sim'] }],
      smppServer: { host: '127.0.0.1', port: 0, tls: { port: 0, certFile, keyFile } },
    });
    const tlsPort = gw.daemon.ports.smppTls;
    expect(tlsPort).toBeGreaterThan(0);
    client = await connectClient(
      { host: '127.0.0.1', port: tlsPort!, tls: { rejectUnauthorized: false }, systemId: 'acme', password: 'secret1', bindType: 'transceiver' },
      { enquireLinkIntervalMs: 0 },
    );
    const resp = await client.send(submit('over tls'));
    expect(resp.commandStatus).toBe(0);
    const { rmSync } = await import('node:fs');
    rmSync(certDir, { recursive: true, force: true });
  });

  it('submit_multi: one message per SME destination, unroutable ones in the unsuccess list; data_sm accepted', async () => {
    sim = await startSmppSimulator({ port: 0, host: '127.0.0.1', systemId: 'gw', password: 'gwpass', persona: Personas.happy });
    gw = await startHarness({
      connectors: [smppConnector('sim', sim.port)],
      partners: [{ id: 'acme', smpp: { systemId: 'acme', password: 'secret1' } }],
      routes: [{ id: 'uk', prefix: '44', targets: ['sim'] }],
    });
    client = await connectClient(
      { host: '127.0.0.1', port: gw.daemon.ports.smpp, systemId: 'acme', password: 'secret1', bindType: 'transmitter' },
      { enquireLinkIntervalMs: 0 },
    );
    const base = submit('to many');
    const resp = await client.send({
      command: 'submit_multi',
      commandStatus: 0,
      sequenceNumber: 0,
      serviceType: '',
      sourceAddrTon: 5,
      sourceAddrNpi: 0,
      sourceAddr: 'ACME',
      destAddresses: [
        { kind: 'sme', ton: 1, npi: 1, addr: '447700900001' },
        { kind: 'sme', ton: 1, npi: 1, addr: '33612345678' },
        { kind: 'sme', ton: 1, npi: 1, addr: '447700900002' },
      ],
      esmClass: 0,
      protocolId: 0,
      priorityFlag: 0,
      scheduleDeliveryTime: '',
      validityPeriod: '',
      registeredDelivery: 1,
      replaceIfPresentFlag: 0,
      dataCoding: 0,
      smDefaultMsgId: 0,
      shortMessage: base.shortMessage,
    });
    expect(resp.command).toBe('submit_multi_resp');
    if (resp.command !== 'submit_multi_resp') return;
    expect(resp.commandStatus).toBe(0);
    expect(resp.messageId).not.toBe('');
    expect(resp.unsuccess).toEqual([{ ton: 1, npi: 1, addr: '33612345678', errorStatusCode: 0x0b }]);
    const s = sim;
    await until(() => s.stats.submits === 2, 5000, 'two submits at the SMSC');

    const data = await client.send({
      command: 'data_sm',
      commandStatus: 0,
      sequenceNumber: 0,
      serviceType: '',
      sourceAddrTon: 5,
      sourceAddrNpi: 0,
      sourceAddr: 'ACME',
      destAddrTon: 1,
      destAddrNpi: 1,
      destinationAddr: '447700900003',
      esmClass: 0,
      registeredDelivery: 1,
      dataCoding: 0,
      tlvs: [{ tag: 0x0424, value: Buffer.from('data_sm payload') }],
    });
    expect(data.command).toBe('data_sm_resp');
    expect(data.commandStatus).toBe(0);
    await until(() => s.stats.submits === 3, 5000, 'the data_sm at the SMSC');
  });

  it('stop() answers every submit it took once stored and refuses the rest', async () => {
    sim = await startSmppSimulator({ port: 0, host: '127.0.0.1', systemId: 'gw', password: 'gwpass', persona: Personas.dlrAfter(5, 'delivered') });
    gw = await startHarness({
      connectors: [smppConnector('sim', sim.port)],
      partners: [{ id: 'acme', smpp: { systemId: 'acme', password: 'secret1' } }],
      routes: [{ id: 'all', prefix: '', targets: ['sim'] }],
    });
    client = await connectClient(
      { host: '127.0.0.1', port: gw.daemon.ports.smpp, systemId: 'acme', password: 'secret1', bindType: 'transceiver' },
      { enquireLinkIntervalMs: 0, windowSize: 200 },
    );
    const c = client;
    const results = Array.from({ length: 150 }, (_, i) =>
      c.send(submit(`s${i}`)).then(
        (r) => ({ status: r.commandStatus, id: r.command === 'submit_sm_resp' ? r.messageId : '' }),
        (e: unknown) => ({ status: e instanceof RemoteError ? Number(e.status) : -1, id: '' }),
      ),
    );
    const s = sim;
    await until(() => s.stats.submits >= 10, 5000, 'traffic flowing');
    const stopping = gw.daemon.stop();
    const answered = await Promise.all(results);
    await stopping;
    const acked = answered.filter((a) => a.status === 0);
    // taken and stored (0), refused while draining (ESME_RTHROTTLED), or refused by the unbinding session
    // (ESME_RINVBNDSTS) / cut by the close: never left hanging
    const known = new Set([0, 0x58, 0x04, -1]);
    expect(answered.every((a) => known.has(a.status))).toBe(true);
    expect(acked.length).toBeGreaterThan(0);
    const store = new SqliteMessageStore({ path: gw.config.store.path, synchronous: 'NORMAL', groupCommitMaxDelayMs: 0, groupCommitMaxBatch: 100 });
    for (const a of acked) expect(await store.get(a.id)).toBeDefined();
    await store.close();
  });
});
