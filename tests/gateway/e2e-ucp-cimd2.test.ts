import { startCimd2Simulator } from '../../simulators/cimd2/simulator';
import { Cimd2Personas } from '../../simulators/cimd2/personas';
import { startUcpSimulator } from '../../simulators/ucp/simulator';
import { UcpPersonas } from '../../simulators/ucp/personas';
import { NpmPartner } from './helpers/npm-partner';
import { startHarness, until } from './helpers/gateway-harness';
import type { Harness } from './helpers/gateway-harness';

const PARTNER = { id: 'acme', smpp: { systemId: 'acme', password: 'secret1' } };

describe('UCP and CIMD2 operator links behind the same binder interface', () => {
  const closers: Array<() => Promise<void>> = [];
  let gw: Harness | undefined;
  let partner: NpmPartner | undefined;

  afterEach(async () => {
    await partner?.close();
    partner = undefined;
    await gw?.close();
    gw = undefined;
    for (const c of closers.splice(0)) await c();
  });

  async function run(connector: Record<string, unknown>, submits: () => number): Promise<void> {
    gw = await startHarness({
      connectors: [{ id: 'op', host: '127.0.0.1', reconnectMinMs: 50, reconnectMaxMs: 200, responseTimeoutMs: 2000, ...connector }],
      partners: [PARTNER],
      routes: [{ id: 'all', prefix: '', targets: ['op'] }],
    });
    const bound = await NpmPartner.bind(gw.daemon.ports.smpp, 'acme', 'secret1');
    partner = bound.partner;
    const ids: string[] = [];
    for (const o of [
      { short_message: 'plain gsm text' },
      { data_coding: 8, short_message: Buffer.from('041f04400438043204350442', 'hex') },
      { message_payload: Buffer.from('L'.repeat(200)) },
    ]) {
      const r = await partner.submit({ source_addr: '12345', destination_addr: '358401234567', ...o });
      expect(r.command_status).toBe(0);
      ids.push(String(r['message_id']));
    }
    await until(() => submits() === 4, 5000, '4 submits at the SMSC');
    await partner.waitReceipts(4);
    expect(new Set(partner.receiptIds())).toEqual(new Set(ids));
    await until(() => gw!.daemon.store.stats().unfinished === 0, 5000, 'all final');
    expect((await gw.daemon.store.get(ids[0]!))?.state).toBe('delivered');
  }

  it('UCP: OT 51 submits, OT 53 notifications become partner receipts', async () => {
    const sim = await startUcpSimulator({ port: 0, user: '5555', password: 'secret', persona: UcpPersonas.dlrAfter(10, 'delivered') });
    closers.push(() => sim.close());
    await run({ protocol: 'ucp', port: sim.port, systemId: '5555', password: 'secret' }, () => sim.stats.submits);
  });

  it('CIMD2: 03 submits, 23 status reports become partner receipts', async () => {
    const sim = await startCimd2Simulator({ port: 0, user: 'gw', password: 'gwpass', persona: Cimd2Personas.dlrAfter(10, 'delivered') });
    closers.push(() => sim.close());
    await run({ protocol: 'cimd2', port: sim.port, systemId: 'gw', password: 'gwpass', windowSize: 1 }, () => sim.stats.submits);
  });
});
