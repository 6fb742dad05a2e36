import { FakeClock } from '../../../protocols/wire/clock';
import { TimeoutError, WindowFullError } from '../../../protocols/wire/errors';
import { Window } from '../../../protocols/session/window';
import { InboundTracker } from '../../../protocols/session/inbound';

describe('Window', () => {
  it('resolves by key and frees the slot', async () => {
    const w = new Window<string>(2, new FakeClock());
    const p = w.add(1, 1000);
    expect(w.size).toBe(1);
    expect(w.resolve(1, 'ok')).toBe(true);
    await expect(p).resolves.toBe('ok');
    expect(w.size).toBe(0);
    expect(w.resolve(1, 'late')).toBe(false);
  });

  it('refuses past capacity and duplicate keys', () => {
    const w = new Window<string>(1, new FakeClock());
    void w.add(1, 1000).catch(() => undefined);
    expect(() => w.add(2, 1000)).toThrow(WindowFullError);
    w.rejectAll(new Error('x'));
    void w.add(2, 1000).catch(() => undefined);
    expect(() => w.add(2, 1000)).toThrow(WindowFullError);
    w.rejectAll(new Error('x'));
  });

  it('times out each request at its own deadline with one timer', async () => {
    const clock = new FakeClock();
    const timedOut: number[] = [];
    const w = new Window<string>(10, clock, (k) => timedOut.push(k));
    const a = w.add(1, 100);
    const b = w.add(2, 300);
    expect(clock.pending).toBe(1);
    clock.advance(150);
    await expect(a).rejects.toBeInstanceOf(TimeoutError);
    expect(w.size).toBe(1);
    clock.advance(200);
    await expect(b).rejects.toBeInstanceOf(TimeoutError);
    expect(timedOut).toEqual([1, 2]);
    expect(clock.pending).toBe(0);
  });

  it('drained() waits for the last response', async () => {
    const w = new Window<number>(10, new FakeClock());
    const p1 = w.add(1, 1000);
    const p2 = w.add(2, 1000);
    let done = false;
    const d = w.drained().then(() => (done = true));
    w.resolve(1, 1);
    await p1;
    await Promise.resolve();
    expect(done).toBe(false);
    w.resolve(2, 2);
    await p2;
    await d;
    expect(done).toBe(true);
  });
});

describe('InboundTracker', () => {
  it('pauses at the limit, resumes below, answers once, falls back on timeout', () => {
    const clock = new FakeClock();
    const events: string[] = [];
    const t = new InboundTracker(clock, { pauseAt: 2, resumeAt: 0, timeoutMs: 500 }, () => events.push('pause'), () => events.push('resume'));
    const sent: string[] = [];
    const r1 = t.track('a', (r: string) => sent.push(r), () => 'fallback-a');
    t.track('b', (r: string) => sent.push(r), () => 'fallback-b');
    expect(events).toEqual(['pause']);
    expect(r1.respond('ok-a')).toBe(true);
    expect(r1.respond('again')).toBe(false);
    clock.advance(600);
    expect(sent).toEqual(['ok-a', 'fallback-b']);
    expect(events).toEqual(['pause', 'resume']);
    expect(t.inFlight).toBe(0);
  });

  it('times out each request at its own deadline with one timer, whatever order the answers come in', () => {
    const clock = new FakeClock();
    const t = new InboundTracker(clock, { pauseAt: 100, resumeAt: 50, timeoutMs: 100 }, () => undefined, () => undefined);
    const sent: string[] = [];
    const reqs = ['a', 'b', 'c', 'd'].map((k, i) => {
      if (i > 0) clock.advance(30);
      return t.track(k, (r: string) => sent.push(r), () => `timeout-${k}`);
    });
    // a at 0, b at 30, c at 60, d at 90: answer the middle ones out of order, then let a and d time out.
    expect(reqs[2]!.respond('ok-c')).toBe(true);
    expect(reqs[1]!.respond('ok-b')).toBe(true);
    expect(clock.pending).toBe(1);
    clock.advance(15); // t=105: a is late
    expect(sent).toEqual(['ok-c', 'ok-b', 'timeout-a']);
    clock.advance(80); // t=185: d is not yet (deadline 190)
    expect(sent).toHaveLength(3);
    clock.advance(10);
    expect(sent).toEqual(['ok-c', 'ok-b', 'timeout-a', 'timeout-d']);
    expect(reqs[3]!.respond('too-late')).toBe(false);
    expect(t.inFlight).toBe(0);
    expect(clock.pending).toBe(0);
  });
});
