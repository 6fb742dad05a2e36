import { FakeClock, systemClock } from '../../../protocols/wire/clock';
import { compileMoServices } from '../../../routing/operators/route-mo';
import { MoFlow, type MoService } from '../../../gateway/mo/mo-flow';
import { PartnerHandlers, type ServiceHandlerSpec } from '../../../gateway/partners/registry';
import { SqliteMoPartStore } from '../../../gateway/store/sqlite/mo-part-store';
import { SqliteMoDeliveryStore } from '../../../gateway/store/sqlite/mo-delivery-store';
import { startPartnerSimulator, type PartnerSimulator } from '../../../simulators/partner/server';
import { KEY_ACME, startApi, type ApiRig } from '../http/send-api-rig';
import { ascii, mkMo } from './helpers';

const SECRET = 'acme-secret-0123456789';

describe('async partner reply through the send API', () => {
  let api: ApiRig;
  let sim: PartnerSimulator;
  let flow: MoFlow;
  let handlers: PartnerHandlers;
  afterEach(async () => {
    await flow.close();
    handlers.close();
    await sim.close();
    await api.close();
  });

  it('partner answers 202, calls POST /v1/messages later with the MO id as reference; the reply is linked to the MO', async () => {
    api = await startApi();
    sim = await startPartnerSimulator({ secret: SECRET, mode: { kind: 'async', delayMs: 5 }, sendApi: { url: api.url, apiKey: KEY_ACME } });
    const services: (MoService & ServiceHandlerSpec)[] = [
      { id: 'vote', shortNumber: '4455', partner: 'acme', handler: { kind: 'httpPostAsync', url: sim.url, timeoutMs: 2000, concurrency: 4, retries: 0, backoffMinMs: 1, backoffMaxMs: 1, maxQueued: 10 } },
    ];
    const table = compileMoServices(services);
    if (!table.ok) throw new Error('bad table');
    handlers = new PartnerHandlers(services, { secretFor: () => SECRET }, undefined, systemClock);
    flow = new MoFlow({
      store: api.store,
      parts: new SqliteMoPartStore(api.mo),
      deliveries: new SqliteMoDeliveryStore(api.mo),
      services: table.table,
      handlers,
      submitMt: async () => ({ ok: false, code: 'system_error', reason: 'sync replies are not expected here' }),
      noMatch: {},
      settings: { reassemblyTimeoutMs: 60_000, partialPolicy: 'deliver', maxOpenGroups: 10 },
      clock: new FakeClock(),
    });
    const mo = mkMo({ body: ascii('VOTE 2'), connectorId: 'opX' });
    await flow.accept(mo);
    await flow.idle();
    expect(api.store.rows.get(mo.id)).toMatchObject({ state: 'delivered', partnerId: 'acme' });
    for (let i = 0; i < 400 && sim.stats.asyncSent === 0 && sim.stats.asyncFailed === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(sim.stats.asyncSent).toBe(1);
    expect(api.submitted).toHaveLength(1);
    const reply = api.submitted[0]!;
    expect(reply.partnerRef).toBe(mo.id);
    expect(reply.destination.addr).toBe('46700000001');
    expect(reply.source.addr).toBe('4455');
    expect(reply.body.toString()).toBe('Re: VOTE 2');
    expect((await api.apiMessages.byMoRef(mo.id)).map((r) => r.messageId)).toEqual([reply.id]);
  });
});
