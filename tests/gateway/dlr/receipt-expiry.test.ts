import { nullObserver } from '../../../gateway/binders/observer';
import { ReceiptExpiry } from '../../../gateway/dlr/receipt-expiry';
import { SqliteMessageStore } from '../../../gateway/store/sqlite/sqlite-store';
import { FakeClock } from '../../../protocols/wire/clock';
import { testMessage } from '../binders/fake-link';

describe('ReceiptExpiry', () => {
  it('expires submitted parts past validity plus grace, and leaves the rest', async () => {
    const clock = new FakeClock(Date.now());
    const store = new SqliteMessageStore({ path: ':memory:', synchronous: 'NORMAL', groupCommitMaxDelayMs: 0, groupCommitMaxBatch: 100, clock });
    const failed: Array<{ id: string; seq: number; outcome: string; code: string }> = [];
    const expiry = new ReceiptExpiry(
      store,
      clock,
      { onSubmitted: () => undefined, failPart: (m, seq, outcome, code) => failed.push({ id: m.id, seq, outcome, code }) },
      nullObserver,
      1000,
      100,
    );
    const old = testMessage(store.nextId(), clock.now());
    old.validUntil = clock.now() - 5000;
    const fresh = testMessage(store.nextId(), clock.now());
    const unsent = testMessage(store.nextId(), clock.now());
    unsent.validUntil = clock.now() - 5000;
    for (const m of [old, fresh, unsent]) await store.insert(m);
    await store.updatePart(old.id, 1, { state: 'submitted', smscMessageId: 'a1', connectorId: 'c' });
    await store.updatePart(fresh.id, 1, { state: 'submitted', smscMessageId: 'a2', connectorId: 'c' });
    expect(await expiry.sweep()).toBe(1);
    expect(failed).toEqual([{ id: old.id, seq: 1, outcome: 'expired', code: 'NO_RECEIPT' }]);
    await store.close();
  });
});
