import { MemoryCounters } from '../../../gateway/store/memory-counters';

describe('MemoryCounters', () => {
  const clock = { t: 1_000_000, now() { return this.t; } };
  beforeEach(() => {
    clock.t = 1_000_000;
  });

  it('sums within the window and forgets what slid out of it', async () => {
    const c = new MemoryCounters(clock);
    expect(await c.add('k', 2, 1000)).toBe(2);
    clock.t += 500;
    expect(await c.add('k', 3, 1000)).toBe(5);
    clock.t += 600; // the first add is now 1100 ms old
    expect(await c.get('k', 1000)).toBe(3);
    clock.t += 5000;
    expect(await c.get('k', 1000)).toBe(0);
    expect(await c.get('other', 1000)).toBe(0);
  });

  it('keeps keys apart', () => {
    const c = new MemoryCounters(clock);
    c.addSync('a', 1, 1000);
    c.addSync('b', 5, 1000);
    expect(c.getSync('a', 1000)).toBe(1);
    expect(c.getSync('b', 1000)).toBe(5);
  });

  it('stays bounded in keys', () => {
    const c = new MemoryCounters(clock, 100);
    for (let i = 0; i < 1000; i++) c.addSync(`k${i}`, 1, 60_000);
    expect(c.size).toBeLessThanOrEqual(100);
    expect(c.getSync('k999', 60_000)).toBe(1);
  });
});
