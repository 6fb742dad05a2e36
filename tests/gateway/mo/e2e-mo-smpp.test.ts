import * as http from 'node:http';
import { MoConfigSchema, type MoConfig } from '../../../config/mo-schema';
import { startMoRuntime, type MoRuntime } from '../../../gateway/mo/mo-runtime';
import { CountingMoObserver } from '../../../gateway/mo/observer';
import type { DeliverSm } from '../../../protocols/smpp/pdu';
import { concatUdh } from '../../../protocols/wire/udh';
import { Personas } from '../../../simulators/smpp/personas';
import { startSmppSimulator, type SmppSimulator } from '../../../simulators/smpp/simulator';
import { startPartnerSimulator, type PartnerSimulator } from '../../../simulators/partner/server';
import { smppConnector, startHarness, until, type Harness } from '../helpers/gateway-harness';

const SECRET = 'acme-secret-0123456789';
const API_KEY = 'acme-api-key-0123456789';

function deliverSm(from: string, to: string, body: Buffer, esmClass = 0, dataCoding = 0): DeliverSm {
  return {
    command: 'deliver_sm', commandStatus: 0, sequenceNumber: 0, serviceType: '', sourceAddrTon: 1, sourceAddrNpi: 1, sourceAddr: from,
    destAddrTon: 0, destAddrNpi: 1, destinationAddr: to, esmClass, protocolId: 0, priorityFlag: 0, scheduleDeliveryTime: '',
    validityPeriod: '', registeredDelivery: 0, replaceIfPresentFlag: 0, dataCoding, smDefaultMsgId: 0, shortMessage: body,
  };
}

function post(port: number, path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = http.request({ method: 'POST', host: '127.0.0.1', port, path, agent: false, headers: { 'content-type': 'application/json', 'content-length': data.length, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || 'null') as unknown }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', () => resolve(0));
  });
}

describe('MO end to end: SMPP simulator -> gateway -> partner simulator -> reply MT at the simulator', () => {
  let smsc: SmppSimulator;
  let partner: PartnerSimulator;
  let gw: Harness;
  let mo: MoRuntime;
  let obs: CountingMoObserver;
  const submits: string[] = [];

  beforeEach(async () => {
    submits.length = 0;
    smsc = await startSmppSimulator({
      port: 0, host: '127.0.0.1', systemId: 'gw', password: 'gwpass', persona: Personas.happy,
      log: (line) => {
        const m = /^submit seq=\d+ from=(\S*) to=(\S*)/.exec(line);
        if (m) submits.push(`${m[1]}>${m[2]}`);
      },
    });
    partner = await startPartnerSimulator({ secret: SECRET, requireSignature: true });
    gw = await startHarness({
      connectors: [smppConnector('opA', smsc.port)],
      partners: [{ id: 'acme', smpp: { systemId: 'acme', password: 'secret1' } }],
      routes: [{ id: 'all', prefix: '', targets: ['opA'] }],
    });
    const cfg: MoConfig = MoConfigSchema.parse({
      services: [
        { id: 'jokes', shortNumber: '4455', keyword: 'JOKE', partner: 'acme', handler: { kind: 'httpPost', url: partner.url, timeoutMs: 2000, retries: 1, backoffMinMs: 5, backoffMaxMs: 10 } },
        { id: 'vote', shortNumber: '4455', keyword: 'VOTE', partner: 'acme', handler: { kind: 'httpPostAsync', url: partner.url, timeoutMs: 2000 } },
      ],
      noMatch: { reply: 'Unknown keyword' },
      partnerHttp: [{ partner: 'acme', secret: SECRET, apiKeys: [API_KEY] }],
      mo: { reassemblyTimeoutMs: 60_000, redriveIntervalMs: 100 },
      sendApi: { port: 0 },
    });
    obs = new CountingMoObserver();
    mo = await startMoRuntime({
      host: gw.daemon,
      config: cfg,
      database: gw.config.store.path,
      synchronous: 'NORMAL',
      credentials: [{ partnerId: 'acme', apiKeys: [API_KEY], smpp: { systemId: 'acme', password: 'secret1' } }],
      observer: obs,
    });
    // Ready = the gateway's side of the bind is up (the simulator's side may be bound a moment earlier).
    let ready = false;
    for (let i = 0; i < 500 && !ready; i++) {
      ready = (await get(gw.daemon.ports.admin, '/ready')) === 200;
      if (!ready) await new Promise((r) => setTimeout(r, 10));
    }
    expect(ready).toBe(true);
  });

  afterEach(async () => {
    await mo.close();
    await gw.close();
    await partner.close();
    await smsc.close();
  });

  it('sync reply: MO acknowledged after the store has it, partner gets a signed POST, reply MT reaches the SMSC', async () => {
    await smsc.injectMo('46700000001', '4455', 'joke please');
    await until(() => submits.length === 1, 5000, 'reply MT at the simulator');
    expect(submits).toEqual(['4455>46700000001']);
    expect(partner.received).toHaveLength(1);
    expect(partner.received[0]!.signatureOk).toBe(true);
    expect(partner.received[0]!.fields).toMatchObject({ from: '46700000001', to: '4455', text: 'joke please', keyword: 'JOKE', operator: 'opA' });
    const moId = String(partner.received[0]!.fields['id']);
    await until(() => obs.count('reply.ok') === 1, 2000, 'reply counted');
    const stored = await gw.daemon.store.get(moId);
    expect(stored).toMatchObject({ direction: 'mo', partnerId: 'acme', routeId: 'jokes', connectorId: 'opA', state: 'delivered' });
  });

  it('long MO in out-of-order UDH parts is reassembled before routing', async () => {
    const session = [...smsc.sessions].find((s) => s.state === 'bound_trx')!;
    const part = (seq: number, text: string) => deliverSm('46700000002', '4455', Buffer.concat([concatUdh({ ref: 77, total: 3, seq, refBits: 8 }), Buffer.from(text)]), 0x40);
    await session.send(part(3, 'three'));
    await session.send(part(1, 'JOKE one '));
    await session.send(part(2, 'two '));
    await until(() => submits.length === 1, 5000, 'reply MT');
    expect(partner.received.map((r) => r.fields['text'])).toEqual(['JOKE one two three']);
  });

  it('no match: the configured reply goes back as an MT', async () => {
    await smsc.injectMo('46700000003', '4455', 'hello');
    await until(() => submits.length === 1, 5000, 'no-match reply');
    expect(partner.received).toHaveLength(0);
    expect(obs.count('noMatch.reply')).toBe(1);
  });

  it('partner down then up: MOs are acknowledged, dead-lettered, redriven once the partner is up, each answered once', async () => {
    partner.setMode({ kind: 'fail' });
    for (let i = 0; i < 3; i++) await smsc.injectMo(`4670000001${i}`, '4455', `joke ${i}`);
    await until(() => obs.count('dead') >= 3, 5000, 'dead letters');
    expect(submits).toHaveLength(0);
    partner.setMode({ kind: 'sync', format: 'text' });
    await until(() => submits.length === 3, 5000, 'replies after recovery');
    await until(() => obs.count('reply.ok') === 3, 2000, 'replies counted');
    expect(submits.sort()).toEqual(['4455>46700000010', '4455>46700000011', '4455>46700000012']);
    expect(await mo.flow.listDeadLetters({ limit: 10 })).toEqual([]);
  });

  it('async partner: 202 now, later POST /v1/messages with the MO id as reference; the reply reaches the SMSC once', async () => {
    await partner.close();
    partner = await startPartnerSimulator({ secret: SECRET, port: partner.port, mode: { kind: 'async', delayMs: 10 }, sendApi: { url: `http://127.0.0.1:${mo.sendApiPort}`, apiKey: API_KEY } });
    await smsc.injectMo('46700000004', '4455', 'vote 5');
    await until(() => submits.length === 1, 5000, 'async reply MT');
    expect(submits).toEqual(['4455>46700000004']);
    // The same idempotency key again: same id, nothing sent twice.
    const moId = String(partner.received[0]!.fields['id']);
    const again = await post(mo.sendApiPort!, '/v1/messages', { from: '4455', to: '46700000004', text: 'Re: vote 5', reference: moId, idempotencyKey: `mo-${moId}` }, { 'x-api-key': API_KEY });
    expect(again.status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(submits).toHaveLength(1);
  });

  it('send API: a message with a callback URL is sent, its receipt POSTed (signed) to the partner, lifecycle readable', async () => {
    const r = await post(mo.sendApiPort!, '/v1/messages', { from: 'ACME', to: '46700000009', text: 'hello', callbackUrl: partner.url.replace('/mo', '/dlr') }, { 'x-api-key': API_KEY });
    expect(r.status).toBe(202);
    const id = (r.json as { id: string }).id;
    await until(() => partner.received.some((x) => x.path === '/dlr'), 5000, 'receipt callback');
    const cb = partner.received.find((x) => x.path === '/dlr')!;
    expect(cb.signatureOk).toBe(true);
    expect(cb.fields).toMatchObject({ id, status: 'delivered', final: true, to: '46700000009' });
    const life = await new Promise<{ status: number; json: unknown }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: mo.sendApiPort!, path: `/v1/messages/${id}`, headers: { 'x-api-key': API_KEY }, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) as unknown }));
        })
        .on('error', reject);
    });
    expect(life.status).toBe(200);
    expect(life.json).toMatchObject({ id, state: 'delivered', to: '46700000009' });
  });
});
