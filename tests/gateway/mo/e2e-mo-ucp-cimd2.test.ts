import { MoConfigSchema } from '../../../config/mo-schema';
import { startMoRuntime, type MoRuntime } from '../../../gateway/mo/mo-runtime';
import { CountingMoObserver } from '../../../gateway/mo/observer';
import { startCimd2Simulator } from '../../../simulators/cimd2/simulator';
import { Cimd2Personas } from '../../../simulators/cimd2/personas';
import { startUcpSimulator } from '../../../simulators/ucp/simulator';
import { UcpPersonas } from '../../../simulators/ucp/personas';
import { startPartnerSimulator, type PartnerSimulator } from '../../../simulators/partner/server';
import { startHarness, until, type Harness } from '../helpers/gateway-harness';

const SECRET = 'acme-secret-0123456789';
const LONG = 'JOKE ' + 'a long joke that needs more than one SMS to arrive in full, '.repeat(4);

describe('MO end to end over UCP and CIMD2 operator links', () => {
  const closers: Array<() => Promise<void>> = [];
  let gw: Harness | undefined;
  let mo: MoRuntime | undefined;
  let partner: PartnerSimulator;

  afterEach(async () => {
    await mo?.close();
    mo = undefined;
    await gw?.close();
    gw = undefined;
    await partner.close();
    for (const c of closers.splice(0)) await c();
  });

  async function run(connector: Record<string, unknown>, inject: (text: string) => Promise<unknown>, submits: () => number): Promise<void> {
    partner = await startPartnerSimulator({ secret: SECRET, requireSignature: true, mode: { kind: 'sync', format: 'text' }, reply: () => 'thanks' });
    gw = await startHarness({
      connectors: [{ id: 'op', host: '127.0.0.1', reconnectMinMs: 50, reconnectMaxMs: 200, responseTimeoutMs: 2000, ...connector }],
      partners: [{ id: 'acme' }],
      routes: [{ id: 'all', prefix: '', targets: ['op'] }],
    });
    const obs = new CountingMoObserver();
    mo = await startMoRuntime({
      host: gw.daemon,
      config: MoConfigSchema.parse({
        services: [{ id: 'jokes', shortNumber: '4455', keyword: 'joke', partner: 'acme', handler: { kind: 'httpGet', url: partner.url, timeoutMs: 2000 } }],
        partnerHttp: [{ partner: 'acme', secret: SECRET }],
      }),
      database: gw.config.store.path,
      synchronous: 'NORMAL',
      credentials: [],
      observer: obs,
      sendApi: false,
    });
    let injected = false;
    for (let i = 0; i < 300 && !injected; i++) {
      try {
        await inject('joke 1');
        injected = true;
      } catch {
        await new Promise((r) => setTimeout(r, 20)); // the gateway has not logged in yet
      }
    }
    expect(injected).toBe(true);
    await until(() => submits() === 1, 5000, 'reply MT at the SMSC');
    await inject(LONG);
    await until(() => submits() === 2, 5000, 'second reply MT at the SMSC');
    expect(partner.received.map((r) => [r.method, r.fields['text'], r.fields['operator'], r.signatureOk])).toEqual([
      ['GET', 'joke 1', 'op', true],
      ['GET', LONG, 'op', true],
    ]);
    await until(() => obs.count('reply.ok') === 2, 2000, 'replies counted');
  }

  it('UCP 52 MOs (one long, in parts) reach the partner; replies go out as OT 51', async () => {
    const sim = await startUcpSimulator({ port: 0, user: '5555', password: 'secret', persona: UcpPersonas.happy });
    closers.push(() => sim.close());
    await run({ protocol: 'ucp', port: sim.port, systemId: '5555', password: 'secret' }, (t) => sim.injectMo('46700000001', '4455', t), () => sim.stats.submits);
  });

  it('CIMD2 20 MOs (one long, in parts) reach the partner; replies go out as 03', async () => {
    const sim = await startCimd2Simulator({ port: 0, user: 'gw', password: 'gwpass', persona: Cimd2Personas.happy });
    closers.push(() => sim.close());
    await run(
      { protocol: 'cimd2', port: sim.port, systemId: 'gw', password: 'gwpass', windowSize: 1 },
      async (t) => {
        if (sim.sessions.size === 0) throw new Error('not logged in yet');
        return sim.injectMo({ from: '46700000001', to: '4455', text: t });
      },
      () => sim.stats.submits,
    );
  });
});
