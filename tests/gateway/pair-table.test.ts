import { PairTable } from '../../gateway/pair-table';

describe('PairTable', () => {
  it('keys on both halves, reuses removed entries, and drops the oldest on request', () => {
    const t = new PairTable<string>(1); // one bucket: every key collides
    expect(t.deleteOldest()).toBe(false);
    t.set(0, '12', 'a');
    t.set(1, '12', 'b');
    t.set(0, '1', 'c');
    expect([t.get(0, '12'), t.get(1, '12'), t.get(0, '1'), t.get(1, '1')]).toEqual(['a', 'b', 'c', undefined]);
    expect(t.has(1, '12')).toBe(true);
    expect(t.delete(1, '12')).toBe(true);
    expect(t.delete(1, '12')).toBe(false);
    t.set(2, 'x', 'd'); // takes the entry just removed
    t.set(0, '12', 'e'); // set again: now the newest
    expect(t.size).toBe(3);
    expect(t.deleteOldest()).toBe(true); // (0, '1')
    expect(t.get(0, '1')).toBeUndefined();
    expect(t.deleteOldest()).toBe(true); // (2, 'x')
    expect([t.get(0, '12'), t.get(2, 'x'), t.size]).toEqual(['e', undefined, 1]);
  });
});
