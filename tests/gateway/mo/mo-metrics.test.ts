import * as http from 'node:http';
import { MoConfigSchema } from '../../../config/mo-schema';
import { Metrics } from '../../../gateway/metrics';
import { moObserverFromMetrics } from '../../../gateway/mo/metrics-observer';
import { startMoRuntime, type MoRuntime } from '../../../gateway/mo/mo-runtime';
import type { DeliverSm } from '../../../protocols/smpp/pdu';
import { concatUdh } from '../../../protocols/wire/udh';
import { Personas } from '../../../simulators/smpp/personas';
import { startSmppSimulator, type SmppSimulator } from '../../../simulators/smpp/simulator';
import { startPartnerSimulator, type PartnerSimulator } from '../../../simulators/partner/server';
import { smppConnector, startHarness, until, type Harness } from '../helpers/gateway-harness';

const SECRET = 'acme-secret-0123456789';
const API_KEY = 'acme-api-key-0123456789';

/** label set -> value of one metric (histograms: their `_count` series). */
async function values(metrics: Metrics, name: string): Promise<Map<string, number>> {
  const m = metrics.registry.getSingleMetric(name);
  const out = new Map<string, number>();
  if (!m) return out;
  const got = await m.get();
  for (const v of got.values) {
    const metricName = (v as { metricName?: string }).metricName;
    if (metricName !== undefined && metricName !== `${name}_count`) continue;
    const labels = Object.entries(v.labels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, x]) => `${k}=${String(x)}`)
      .join(',');
    out.set(labels, v.value);
  }
  return out;
}

function post(port: number, body: unknown, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = http.request(
      { method: 'POST', host: '127.0.0.1', port, path: '/v1/messages', agent: false, headers: { 'content-type': 'application/json', 'content-length': data.length, ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function getStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', () => resolve(0));
  });
}

describe('moObserverFromMetrics: each observer event lands on its tollgate_mo_* series', () => {
  it('counts, histogram and the in-flight gauge', async () => {
    const metrics = new Metrics();
    const obs = moObserverFromMetrics(metrics);
    obs.received('opA');
    obs.received('opA');
    obs.part('opA', 'stored');
    obs.partial('dropped');
    obs.partial('delivered');
    obs.noMatch('drop');
    obs.handled('jokes', 'reply', 3, 5, 'acme', 'opA');
    obs.handled('jokes', 'dead', 3, 5, 'acme', 'opA');
    obs.replySubmitted('jokes', true);
    obs.deadLettered('acme');
    obs.expired('acme');
    obs.partnerCall!('acme', true, 12);
    obs.partnerCall!('acme', false, 40);
    obs.sendApiResponse!(202);
    obs.sendApiResponse!(401);
    obs.sendApiResponse!(401);
    const inFlight = new Map([['acme', 7]]);
    obs.watchPartnerInFlight!(() => inFlight);

    expect(await values(metrics, 'tollgate_mo_received_total')).toEqual(new Map([['connector=opA', 2]]));
    expect(await values(metrics, 'tollgate_mo_parts_total')).toEqual(new Map([['connector=opA,result=stored', 1]]));
    expect(await values(metrics, 'tollgate_mo_reassembly_timeouts_total')).toEqual(new Map([['action=dropped', 1], ['action=delivered', 1]]));
    expect(await values(metrics, 'tollgate_mo_no_match_total')).toEqual(new Map([['action=drop', 1]]));
    expect(await values(metrics, 'tollgate_mo_handled_total')).toEqual(
      new Map([
        ['connector=opA,outcome=reply,partner=acme,service=jokes', 1],
        ['connector=opA,outcome=dead,partner=acme,service=jokes', 1],
      ]),
    );
    expect(await values(metrics, 'tollgate_mo_replies_total')).toEqual(new Map([['result=ok,service=jokes', 1]]));
    expect(await values(metrics, 'tollgate_mo_dead_letters_total')).toEqual(new Map([['partner=acme', 1]]));
    expect(await values(metrics, 'tollgate_mo_expired_total')).toEqual(new Map([['partner=acme', 1]]));
    expect(await values(metrics, 'tollgate_mo_partner_request_seconds')).toEqual(new Map([['partner=acme,result=ok', 1], ['partner=acme,result=failed', 1]]));
    expect(await values(metrics, 'tollgate_mo_send_api_requests_total')).toEqual(new Map([['status=202', 1], ['status=401', 2]]));
    expect(await values(metrics, 'tollgate_mo_partner_in_flight')).toEqual(new Map([['partner=acme', 7]]));
    const text = await metrics.text();
    expect(text).toContain('tollgate_mo_partner_request_seconds_bucket{le="0.025",partner="acme",result="ok"} 1');
  });
});

describe('MO metrics over a real flow (SMPP simulator -> gateway -> partner simulator)', () => {
  let smsc: SmppSimulator;
  let partner: PartnerSimulator;
  let gw: Harness;
  let mo: MoRuntime;
  let submits = 0;

  beforeEach(async () => {
    submits = 0;
    smsc = await startSmppSimulator({
      port: 0, host: '127.0.0.1', systemId: 'gw', password: 'gwpass', persona: Personas.happy,
      log: (line) => {
        if (line.startsWith('submit ')) submits++;
      },
    });
    partner = await startPartnerSimulator({ secret: SECRET, requireSignature: true });
    gw = await startHarness({
      connectors: [smppConnector('opA', smsc.port)],
      partners: [{ id: 'acme', smpp: { systemId: 'acme', password: 'secret1' } }],
      routes: [{ id: 'all', prefix: '', targets: ['opA'] }],
    });
    mo = await startMoRuntime({
      host: gw.daemon,
      config: MoConfigSchema.parse({
        services: [
          { id: 'jokes', shortNumber: '4455', keyword: 'JOKE', partner: 'acme', handler: { kind: 'httpPost', url: partner.url, timeoutMs: 2000, retries: 0 } },
        ],
        noMatch: { reply: 'Unknown keyword' },
        partnerHttp: [{ partner: 'acme', secret: SECRET, apiKeys: [API_KEY] }],
        mo: { reassemblyTimeoutMs: 60_000 },
        sendApi: { port: 0 },
      }),
      database: gw.config.store.path,
      synchronous: 'NORMAL',
      credentials: [{ partnerId: 'acme', apiKeys: [API_KEY] }],
      observer: moObserverFromMetrics(gw.daemon.metrics),
    });
    let ready = false;
    for (let i = 0; i < 500 && !ready; i++) {
      ready = (await getStatus(gw.daemon.ports.admin, '/ready')) === 200;
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

  it('sync reply, long MO, no match, dead letter and send API requests are counted', async () => {
    const metrics = gw.daemon.metrics;
    await smsc.injectMo('46700000001', '4455', 'joke please');
    await smsc.injectMo('46700000002', '4455', 'hello');
    const session = [...smsc.sessions].find((s) => s.state === 'bound_trx')!;
    const part = (seq: number, text: string): DeliverSm => ({
      command: 'deliver_sm', commandStatus: 0, sequenceNumber: 0, serviceType: '', sourceAddrTon: 1, sourceAddrNpi: 1, sourceAddr: '46700000003',
      destAddrTon: 0, destAddrNpi: 1, destinationAddr: '4455', esmClass: 0x40, protocolId: 0, priorityFlag: 0, scheduleDeliveryTime: '',
      validityPeriod: '', registeredDelivery: 0, replaceIfPresentFlag: 0, dataCoding: 0, smDefaultMsgId: 0,
      shortMessage: Buffer.concat([concatUdh({ ref: 9, total: 2, seq, refBits: 8 }), Buffer.from(text)]),
    });
    await session.send(part(2, 'two'));
    await session.send(part(1, 'JOKE one '));
    await until(() => submits === 3, 5000, 'two partner replies and the no-match reply');
    await mo.flow.idle();

    partner.setMode({ kind: 'fail' });
    await smsc.injectMo('46700000004', '4455', 'joke again');
    await until(() => partner.stats.requests === 3, 5000, 'failing partner called');
    await mo.flow.idle();

    expect(await post(mo.sendApiPort!, { from: '4455', to: '46700000005', text: 'hi' }, { 'x-api-key': API_KEY })).toBe(202);
    expect(await post(mo.sendApiPort!, { from: '4455', to: '46700000005', text: 'hi' }, { 'x-api-key': 'wrong' })).toBe(401);
    expect(await post(mo.sendApiPort!, { from: '4455', text: 'no destination' }, { 'x-api-key': API_KEY })).toBe(400);

    // 2 whole MOs + 2 parts + 1 more whole MO arrive on the link.
    expect((await values(metrics, 'tollgate_mo_received_total')).get('connector=opA')).toBe(5);
    expect((await values(metrics, 'tollgate_mo_parts_total')).get('connector=opA,result=stored')).toBe(2);
    const handled = await values(metrics, 'tollgate_mo_handled_total');
    expect(handled.get('connector=opA,outcome=reply,partner=acme,service=jokes')).toBe(2);
    expect(handled.get('connector=opA,outcome=dead,partner=acme,service=jokes')).toBe(1);
    expect((await values(metrics, 'tollgate_mo_no_match_total')).get('action=reply')).toBe(1);
    expect((await values(metrics, 'tollgate_mo_replies_total')).get('result=ok,service=jokes')).toBe(2);
    expect((await values(metrics, 'tollgate_mo_dead_letters_total')).get('partner=acme')).toBe(1);
    const calls = await values(metrics, 'tollgate_mo_partner_request_seconds');
    expect(calls.get('partner=acme,result=ok')).toBe(2);
    expect(calls.get('partner=acme,result=failed')).toBe(1);
    expect((await values(metrics, 'tollgate_mo_partner_in_flight')).get('partner=acme')).toBe(0);
    const api = await values(metrics, 'tollgate_mo_send_api_requests_total');
    expect([api.get('status=202'), api.get('status=401'), api.get('status=400')]).toEqual([1, 1, 1]);
  });
});
