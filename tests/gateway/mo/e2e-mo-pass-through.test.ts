import * as http from 'node:http';
import { MoConfigSchema } from '../../../config/mo-schema';
import { startMoRuntime, type MoRuntime } from '../../../gateway/mo/mo-runtime';
import { CountingMoObserver } from '../../../gateway/mo/observer';
import { Personas } from '../../../simulators/smpp/personas';
import { startSmppSimulator, type SmppSimulator } from '../../../simulators/smpp/simulator';
import { startPartnerSimulator, type PartnerSimulator } from '../../../simulators/partner/server';
import { NpmPartner } from '../helpers/npm-partner';
import { smppConnector, startHarness, until, type Harness } from '../helpers/gateway-harness';

const SECRET = 'acme-secret-0123456789';

function ready(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/ready', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      })
      .on('error', () => resolve(false));
  });
}

/** The simulator may see the bind before the gateway has its bind_resp: retry until the gateway takes the MO. */
async function inject(s: SmppSimulator, from: string, to: string, text: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await s.injectMo(from, to, text);
      return;
    } catch (e) {
      if (i >= 100) throw e;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

describe('MO replies on the MO operator link, and SMPP pass-through', () => {
  const sims: SmppSimulator[] = [];
  const subs = new Map<SmppSimulator, string[]>();
  let partner: PartnerSimulator;
  let gw: Harness;
  let mo: MoRuntime;
  let esme: NpmPartner | undefined;
  let obs: CountingMoObserver;

  async function sim(): Promise<SmppSimulator> {
    const seen: string[] = [];
    const s = await startSmppSimulator({
      port: 0, host: '127.0.0.1', systemId: 'gw', password: 'gwpass', persona: Personas.happy,
      log: (line) => {
        const m = /^submit seq=\d+ from=(\S*) to=(\S*)/.exec(line);
        if (m) seen.push(`${m[1]}>${m[2]}`);
      },
    });
    subs.set(s, seen);
    sims.push(s);
    return s;
  }

  beforeEach(async () => {
    const a = await sim();
    const b = await sim();
    partner = await startPartnerSimulator({ secret: SECRET, reply: () => 'thanks' });
    gw = await startHarness({
      connectors: [smppConnector('opA', a.port), smppConnector('opB', b.port)],
      partners: [{ id: 'acme' }, { id: 'esme', smpp: { systemId: 'esme', password: 'pw1' } }],
      // Every MT routes to opB: an MO reply must still go back on opA when the MO came from opA.
      routes: [{ id: 'all', prefix: '', targets: ['opB'] }],
    });
    obs = new CountingMoObserver();
    mo = await startMoRuntime({
      host: gw.daemon,
      config: MoConfigSchema.parse({
        services: [
          { id: 'jokes', shortNumber: '4455', partner: 'acme', handler: { kind: 'httpPost', url: partner.url } },
          { id: 'chat', shortNumber: '7777', partner: 'esme', handler: { kind: 'smpp', maxAgeMs: 3_600_000 } },
        ],
        partnerHttp: [{ partner: 'acme', secret: SECRET }],
      }),
      database: gw.config.store.path,
      synchronous: 'NORMAL',
      credentials: [],
      observer: obs,
      sendApi: false,
    });
    let ok = false;
    for (let i = 0; i < 500 && !ok; i++) {
      ok = (await ready(gw.daemon.ports.admin)) && sims.every((s) => [...s.sessions].some((x) => x.state === 'bound_trx'));
      if (!ok) await new Promise((r) => setTimeout(r, 10));
    }
    expect(ok).toBe(true);
  });

  afterEach(async () => {
    await esme?.close();
    esme = undefined;
    await mo.close();
    await gw.close();
    await partner.close();
    for (const s of sims.splice(0)) await s.close();
  });

  it('the reply MT goes out on the connector the MO came in on, not the MT route', async () => {
    const [a, b] = sims as [SmppSimulator, SmppSimulator];
    await inject(a, '46700000001', '4455', 'hello');
    await until(() => subs.get(a)!.length === 1, 5000, 'reply on opA');
    expect(subs.get(a)).toEqual(['4455>46700000001']);
    expect(subs.get(b)).toEqual([]);
  });

  it('SMPP pass-through: queued while the partner is unbound, delivered as deliver_sm when it binds', async () => {
    const [a] = sims as [SmppSimulator];
    await inject(a, '46700000002', '7777', 'hi there');
    await until(() => obs.count('handled.queued') === 1, 5000, 'queued for the unbound partner');
    const bound = await NpmPartner.bind(gw.daemon.ports.smpp, 'esme', 'pw1', 'receiver');
    esme = bound.partner;
    expect(bound.status).toBe(0);
    await esme.waitReceipts(1);
    const pdu = esme.receipts[0]!;
    expect(pdu['source_addr']).toBe('46700000002');
    expect(pdu['destination_addr']).toBe('7777');
    expect(Buffer.from((pdu['short_message'] as { message: string }).message ?? '').toString()).toContain('hi there');
    // Bound now: the next MO goes straight through.
    await inject(a, '46700000003', '7777', 'again');
    await esme.waitReceipts(2);
    expect(esme.receipts[1]!['source_addr']).toBe('46700000003');
  });
});
