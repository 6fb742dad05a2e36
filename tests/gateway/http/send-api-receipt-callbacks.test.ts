import { systemClock } from '../../../protocols/wire/clock';
import { openMoDb, type MoDb } from '../../../gateway/store/sqlite/mo-db';
import { SqliteApiMessageStore } from '../../../gateway/store/sqlite/mo-api-stores';
import { ReceiptCallbacks } from '../../../gateway/http/receipt-callbacks';
import { startPartnerSimulator, type PartnerSimulator } from '../../../simulators/partner/server';
import type { OwedReceipt } from '../../../routing/ports';

const SECRET = 'acme-secret-0123456789';

describe('receipt callbacks', () => {
  let sim: PartnerSimulator;
  let mo: MoDb;
  let cb: ReceiptCallbacks;
  afterEach(async () => {
    cb.close();
    mo.close();
    await sim.close();
  });

  const owed = (id: string): OwedReceipt => ({
    messageId: id,
    partnerId: 'acme',
    partnerRef: 'ref-1',
    source: { addr: '4455', ton: 0, npi: 1 },
    destination: { addr: '46700000001', ton: 1, npi: 1 },
    outcome: 'delivered',
    submittedAt: 1_700_000_000_000,
    doneAt: 1_700_000_005_000,
  });

  async function setup(defaultUrl?: (s: PartnerSimulator) => string): Promise<SqliteApiMessageStore> {
    sim = await startPartnerSimulator({ secret: SECRET });
    mo = openMoDb({ database: ':memory:' });
    const apiMessages = new SqliteApiMessageStore(mo);
    cb = new ReceiptCallbacks({
      apiMessages,
      partner: (p) => (p === 'acme' ? { secret: SECRET, callbackUrl: defaultUrl?.(sim), callbackRetries: 3, callbackTimeoutMs: 1000 } : undefined),
      clock: systemClock,
      backoffMinMs: 1,
      backoffMaxMs: 2,
    });
    return apiMessages;
  }

  it('POSTs the status, signed, to the message callback URL', async () => {
    const apiMessages = await setup();
    await apiMessages.put({ messageId: '42', partnerId: 'acme', callbackUrl: `${sim.url.replace('/mo', '/cb')}?x=1`, createdAt: 1 });
    expect(await cb.deliver(owed('42'))).toBe(true);
    expect(sim.received).toHaveLength(1);
    const r = sim.received[0]!;
    expect(r.path).toBe('/cb');
    expect(r.signatureOk).toBe(true);
    expect(r.fields).toMatchObject({ id: '42', reference: 'ref-1', status: 'delivered', final: true, from: '4455', to: '46700000001', doneAt: '2023-11-14T22:13:25.000Z' });
  });

  it('falls back to the partner default URL; retries 500s and succeeds', async () => {
    await setup((s) => s.url.replace('/mo', '/default-cb'));
    sim.setMode({ kind: 'failFirst', count: 2, format: 'json' });
    expect(await cb.deliver(owed('43'))).toBe(true);
    expect(sim.received.map((r) => r.path)).toEqual(['/default-cb', '/default-cb', '/default-cb']);
  });

  it('gives up after the retries (the receipt stays owed) and is a no-op without any URL', async () => {
    await setup((s) => s.url);
    sim.setMode({ kind: 'fail' });
    expect(await cb.deliver(owed('44'))).toBe(false);
    expect(sim.stats.requests).toBe(4);
    expect(await cb.deliver({ ...owed('45'), partnerId: 'unknown' })).toBe(true);
  });
});
