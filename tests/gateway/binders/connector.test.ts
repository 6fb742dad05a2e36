import { Connector } from '../../../gateway/binders/connector';
import type { ConnectorEvents } from '../../../gateway/binders/connector';
import type { DispatchJob, SubmitFailure } from '../../../gateway/binders/link';
import { CommandStatus } from '../../../protocols/smpp/constants';
import { FakeClock } from '../../../protocols/wire/clock';
import { ConnectionClosedError, EncodeError, RemoteError, TimeoutError } from '../../../protocols/wire/errors';
import { FakeFactory, flush, testMessage } from './fake-link';

function setup(opts: Partial<{ binds: number; maxSubmitPerSec: number; queueMax: number; window: number }> = {}) {
  const clock = new FakeClock();
  const factory = new FakeFactory(opts.window ?? 10);
  const submitted: Array<{ job: DispatchJob; id: string }> = [];
  const failed: Array<{ job: DispatchJob; failure: SubmitFailure }> = [];
  const bindDelays: number[] = [];
  let throttles = 0;
  const events: ConnectorEvents = {
    submitted: (job, id) => submitted.push({ job, id }),
    failed: (job, failure) => failed.push({ job, failure }),
    receipt: () => undefined,
    bindsChanged: () => undefined,
    throttled: () => throttles++,
    bindFailed: (_c, _e, delay) => bindDelays.push(delay),
  };
  const connector = new Connector(
    {
      id: 'c',
      binds: opts.binds ?? 2,
      maxSubmitPerSec: opts.maxSubmitPerSec ?? 0,
      responseTimeoutMs: 1000,
      reconnectMinMs: 100,
      reconnectMaxMs: 1600,
      queueMax: opts.queueMax ?? 1000,
      stableAfterMs: 10_000,
    },
    factory,
    clock,
    events,
  );
  const job = (i: number): DispatchJob => {
    const msg = testMessage(String(i), clock.now());
    return { msg, part: msg.parts[0]!, targets: ['c'], sentAt: 0 };
  };
  return { clock, factory, connector, submitted, failed, bindDelays, job, throttles: () => throttles };
}

describe('Connector', () => {
  it('opens exactly `binds` connections and never more, even when binds fail and flap', async () => {
    const t = setup({ binds: 3 });
    t.connector.start();
    expect(t.factory.attempts).toHaveLength(3);
    // refuse all three (e.g. ESME_RALYBND: the SMSC still thinks we are bound)
    for (const a of [...t.factory.attempts]) a.reject(new RemoteError(CommandStatus.ESME_RALYBND, 'already bound'));
    await flush();
    expect(t.bindDelays).toHaveLength(3);
    for (let round = 0; round < 20; round++) {
      t.clock.advance(2000);
      await flush();
      // whatever is pending: accept some, drop the accepted links again at once (flapping)
      for (const a of [...t.factory.attempts]) a.resolve();
      await flush();
      for (const l of t.factory.links) if (!l.isClosed) l.drop();
      await flush();
      expect(t.factory.open).toBeLessThanOrEqual(3);
      expect(t.connector.bindsHeld).toBeLessThanOrEqual(3);
    }
    expect(t.factory.maxConcurrent).toBeLessThanOrEqual(3);
    await t.connector.stop();
  });

  it('backs off exponentially with jitter between reconnectMinMs and reconnectMaxMs', async () => {
    const t = setup({ binds: 1 });
    t.connector.start();
    for (let i = 0; i < 8; i++) {
      t.factory.attempts[0]!.reject(new ConnectionClosedError('refused'));
      await flush();
      t.clock.advance(1600);
      await flush();
    }
    // failure n waits in [base/2, base) with base = min(1600, 100 * 2^n)
    t.bindDelays.forEach((d, i) => {
      const base = Math.min(1600, 100 * 2 ** (i + 1));
      expect(d).toBeGreaterThanOrEqual(base / 2);
      expect(d).toBeLessThanOrEqual(base);
    });
    expect(t.bindDelays[t.bindDelays.length - 1]).toBeGreaterThanOrEqual(800);
    await t.connector.stop();
  });

  it('spreads queued jobs over binds with room and reports submit responses', async () => {
    const t = setup({ binds: 2, window: 2 });
    t.connector.start();
    for (const a of [...t.factory.attempts]) a.resolve();
    await flush();
    for (let i = 0; i < 6; i++) expect(t.connector.enqueue(t.job(i))).toBe(true);
    expect(t.factory.links.map((l) => l.inFlight)).toEqual([2, 2]);
    expect(t.connector.queued).toBe(2);
    t.factory.links[0]!.submits[0]!.resolve('abc');
    await flush();
    expect(t.submitted.map((s) => s.id)).toEqual(['abc']);
    expect(t.connector.queued).toBe(1);
    await t.connector.stop();
  });

  it('refuses jobs beyond queueMax', () => {
    const t = setup({ queueMax: 3 });
    expect([0, 1, 2, 3].map((i) => t.connector.enqueue(t.job(i)))).toEqual([true, true, true, false]);
  });

  it('limits submits per second with the token bucket', async () => {
    const t = setup({ binds: 1, window: 1000, maxSubmitPerSec: 50 });
    t.connector.start();
    t.factory.attempts[0]!.resolve();
    await flush();
    for (let i = 0; i < 200; i++) t.connector.enqueue(t.job(i));
    const sentAfter = (): number => t.factory.links[0]!.inFlight;
    expect(sentAfter()).toBe(5); // a tenth of a second's burst
    t.clock.advance(1000);
    expect(sentAfter()).toBeGreaterThanOrEqual(50);
    expect(sentAfter()).toBeLessThanOrEqual(56);
    await t.connector.stop();
  });

  it('a throttling answer puts the job back in front and pauses the connector, growing with repeats', async () => {
    const t = setup({ binds: 1, window: 1 });
    t.connector.start();
    t.factory.attempts[0]!.resolve();
    await flush();
    t.connector.enqueue(t.job(1));
    t.connector.enqueue(t.job(2));
    const link = t.factory.links[0]!;
    link.submits[0]!.reject(new RemoteError(CommandStatus.ESME_RTHROTTLED, 'throttled'));
    await flush();
    expect(t.throttles()).toBe(1);
    expect(link.inFlight).toBe(0); // paused
    t.clock.advance(25);
    expect(link.inFlight).toBe(1);
    expect(link.submits[0]!.job.msg.id).toBe('1'); // the same job first
    link.submits[0]!.reject(new RemoteError(CommandStatus.ESME_RTHROTTLED, 'throttled'));
    await flush();
    t.clock.advance(25);
    expect(link.inFlight).toBe(0); // the second pause is longer (40 ms)
    t.clock.advance(20);
    expect(link.inFlight).toBe(1);
    expect(t.failed).toHaveLength(0);
    await t.connector.stop();
  });

  it('hands other failures to the caller, classified', async () => {
    const t = setup({ binds: 1 });
    t.connector.start();
    t.factory.attempts[0]!.resolve();
    await flush();
    for (let i = 0; i < 3; i++) t.connector.enqueue(t.job(i));
    const link = t.factory.links[0]!;
    link.submits[0]!.reject(new RemoteError(CommandStatus.ESME_RINVDSTADR, 'bad'));
    link.submits[0]!.reject(new RemoteError(CommandStatus.ESME_RMSGQFUL, 'full'));
    link.submits[0]!.reject(new TimeoutError('late'));
    await flush();
    expect(t.failed.map((f) => f.failure.kind)).toEqual(['permanent', 'temporary', 'timeout']);
    // a link that throws synchronously (e.g. a part its protocol cannot encode) fails that job; the pump goes on
    link.submit = () => {
      throw new EncodeError('cannot encode');
    };
    t.connector.enqueue(t.job(7));
    t.connector.enqueue(t.job(8));
    await flush();
    expect(t.failed.slice(3).map((f) => [f.job.msg.id, f.failure.kind, f.failure.code])).toEqual([
      ['7', 'permanent', 'ENCODE'],
      ['8', 'permanent', 'ENCODE'],
    ]);
    expect(t.failed[0]!.failure.code).toBe('ESME_RINVDSTADR');
    await t.connector.stop();
  });

  it('a job that waited out its validity in the queue is failed, not sent', async () => {
    const t = setup({ binds: 1 });
    const j = t.job(1);
    j.msg.validUntil = t.clock.now() + 500;
    t.connector.enqueue(j);
    t.connector.start();
    t.clock.advance(1000);
    t.factory.attempts[0]!.resolve();
    await flush();
    expect(t.factory.links[0]!.inFlight).toBe(0);
    expect(t.failed.map((f) => f.failure.code)).toEqual(['VALIDITY_EXPIRED']);
    await t.connector.stop();
  });

  it('stop() closes the binds and does not reconnect', async () => {
    const t = setup({ binds: 2 });
    t.connector.start();
    for (const a of [...t.factory.attempts]) a.resolve();
    await flush();
    await t.connector.stop();
    expect(t.factory.links.every((l) => l.isClosed)).toBe(true);
    t.clock.advance(10_000);
    await flush();
    expect(t.factory.attempts).toHaveLength(0);
  });
});
