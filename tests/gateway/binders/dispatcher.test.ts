import { Connector } from '../../../gateway/binders/connector';
import { MtDispatcher } from '../../../gateway/binders/dispatcher';
import type { FailureSink } from '../../../gateway/binders/dispatcher';
import { nullObserver } from '../../../gateway/binders/observer';
import { SqliteMessageStore } from '../../../gateway/store/sqlite/sqlite-store';
import { CommandStatus } from '../../../protocols/smpp/constants';
import { FakeClock } from '../../../protocols/wire/clock';
import { ConnectionClosedError, RemoteError, TimeoutError } from '../../../protocols/wire/errors';
import type { Message } from '../../../routing/message';
import { FakeFactory, flush, testMessage } from './fake-link';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

function setup(retry = { maxAttempts: 4, backoffMinMs: 100, backoffMaxMs: 1000 }) {
  const clock = new FakeClock(Date.now());
  const store = new SqliteMessageStore({ path: ':memory:', synchronous: 'NORMAL', groupCommitMaxDelayMs: 0, groupCommitMaxBatch: 100, clock });
  const factories = new Map<string, FakeFactory>();
  const connectors = new Map<string, Connector>();
  const submittedIds: string[] = [];
  const failures: Array<{ id: string; outcome: string; code: string }> = [];
  const sink: FailureSink = {
    onSubmitted: (_c, smscId) => submittedIds.push(smscId),
    failPart: (msg, _seq, outcome, code) => failures.push({ id: msg.id, outcome, code }),
  };
  let dispatcher!: MtDispatcher;
  for (const id of ['a', 'b']) {
    const f = new FakeFactory(10);
    factories.set(id, f);
    connectors.set(
      id,
      new Connector(
        { id, binds: 1, maxSubmitPerSec: 0, responseTimeoutMs: 1000, reconnectMinMs: 50, reconnectMaxMs: 100, queueMax: 100 },
        f,
        clock,
        {
          submitted: (job, smscId) => dispatcher.onSubmitted(job, smscId, id),
          failed: (job, failure) => dispatcher.onFailed(job, failure, id),
          receipt: () => undefined,
          bindsChanged: () => undefined,
          throttled: () => undefined,
          bindFailed: () => undefined,
        },
      ),
    );
  }
  dispatcher = new MtDispatcher(store, clock, connectors, retry, sink, nullObserver);
  const up = async (id: string): Promise<void> => {
    connectors.get(id)!.start();
    factories.get(id)!.attempts[0]!.resolve();
    await flush();
  };
  const link = (id: string) => factories.get(id)!.links[0]!;
  const message = async (): Promise<Message> => {
    const m = testMessage(store.nextId(), clock.now());
    await store.insert(m);
    return m;
  };
  return { clock, store, connectors, dispatcher, up, link, message, submittedIds, failures };
}

describe('MtDispatcher', () => {
  it('chooses the first target that is up (failover) and records the SMSC id', async () => {
    const t = setup();
    await t.up('b');
    t.connectors.get('a')!.start(); // never binds
    const m = await t.message();
    t.dispatcher.dispatch(m, ['a', 'b']);
    expect(t.link('b').inFlight).toBe(1);
    t.link('b').submits[0]!.resolve('ff');
    await flush();
    await turn();
    expect(t.submittedIds).toEqual(['ff']);
    expect(m.parts[0]!.smscMessageId).toBe('ff');
    expect(m.state).toBe('submitted');
    const stored = await t.store.get(m.id);
    expect(stored?.parts[0]?.smscMessageId).toBe('ff');
    for (const c of t.connectors.values()) await c.stop();
    await t.store.close();
  });

  it('retries a temporary error after a backoff, counting attempts in the store', async () => {
    const t = setup();
    await t.up('a');
    const m = await t.message();
    t.dispatcher.dispatch(m, ['a']);
    t.link('a').submits[0]!.reject(new RemoteError(CommandStatus.ESME_RMSGQFUL, 'full'));
    await flush();
    expect(t.link('a').inFlight).toBe(0);
    expect(t.dispatcher.pendingRetries).toBe(1);
    t.clock.advance(100); // backoff for attempt 1 is within [50, 100]
    expect(t.link('a').inFlight).toBe(1);
    await turn();
    const stored = await t.store.get(m.id);
    expect(stored?.attempts).toBe(1);
    expect(stored?.lastError).toBe('ESME_RMSGQFUL');
    expect(stored?.possibleDuplicate).toBe(false);
    for (const c of t.connectors.values()) await c.stop();
    await t.store.close();
  });

  it('flags a retry after a timeout or a dropped link as a possible duplicate', async () => {
    const t = setup();
    await t.up('a');
    const m1 = await t.message();
    const m2 = await t.message();
    t.dispatcher.dispatch(m1, ['a']);
    t.dispatcher.dispatch(m2, ['a']);
    t.link('a').submits[0]!.reject(new TimeoutError('no answer'));
    t.link('a').submits[0]!.reject(new ConnectionClosedError('gone'));
    await flush();
    expect(m1.possibleDuplicate).toBe(true);
    expect(m2.possibleDuplicate).toBe(true);
    for (const c of t.connectors.values()) await c.stop();
    await t.store.close();
  });

  it('fails the part as rejected on a permanent error, undeliverable after maxAttempts, expired past validity', async () => {
    const t = setup({ maxAttempts: 2, backoffMinMs: 100, backoffMaxMs: 100 });
    await t.up('a');
    const perm = await t.message();
    t.dispatcher.dispatch(perm, ['a']);
    t.link('a').submits[0]!.reject(new RemoteError(CommandStatus.ESME_RINVDSTADR, 'bad'));
    await flush();
    expect(t.failures).toEqual([{ id: perm.id, outcome: 'rejected', code: 'ESME_RINVDSTADR' }]);

    const tries = await t.message();
    t.dispatcher.dispatch(tries, ['a']);
    t.link('a').submits[0]!.reject(new RemoteError(CommandStatus.ESME_RMSGQFUL, 'full'));
    await flush();
    t.clock.advance(100);
    t.link('a').submits[0]!.reject(new RemoteError(CommandStatus.ESME_RMSGQFUL, 'full'));
    await flush();
    expect(t.failures[1]).toEqual({ id: tries.id, outcome: 'undeliverable', code: 'ESME_RMSGQFUL' });

    const old = await t.message();
    old.validUntil = t.clock.now() + 10;
    t.dispatcher.dispatch(old, ['a']);
    t.link('a').submits[0]!.reject(new TimeoutError('late'));
    await flush();
    expect(t.failures[2]).toEqual({ id: old.id, outcome: 'expired', code: 'TIMEOUT' });
    for (const c of t.connectors.values()) await c.stop();
    await t.store.close();
  });

  it('a retry fails over when its connector went down meanwhile', async () => {
    const t = setup();
    await t.up('a');
    await t.up('b');
    const m = await t.message();
    t.dispatcher.dispatch(m, ['a', 'b']);
    t.link('a').submits[0]!.reject(new ConnectionClosedError('gone'));
    t.link('a').drop();
    await flush();
    t.clock.advance(100);
    expect(t.link('b').inFlight).toBe(1);
    expect(m.connectorId).toBe('b');
    t.dispatcher.stop();
    for (const c of t.connectors.values()) await c.stop();
    await t.store.close();
  });
});
