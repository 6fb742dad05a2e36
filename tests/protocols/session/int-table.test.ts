import fc from 'fast-check';
import { IntTable } from '../../../protocols/session/int-table';

interface E {
  key: number;
  v: number;
}

describe('IntTable', () => {
  it('behaves as a Map under any sequence of adds, deletes and clears, colliding keys included', () => {
    // Keys from a small set spread over multiples of the array size, so collisions and the overflow are exercised.
    const key = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3 })).map(([k, m]) => k + m * 64 + (m === 3 ? 0x7fff0000 : 0));
    const op = fc.oneof(
      fc.record({ t: fc.constant('add' as const), k: key, v: fc.integer() }),
      fc.record({ t: fc.constant('del' as const), k: key }),
      fc.record({ t: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const t = new IntTable<E>(20); // array of 64
        const m = new Map<number, E>();
        for (const o of ops) {
          if (o.t === 'add') {
            if (m.has(o.k)) continue; // add requires an absent key
            const e = { key: o.k, v: o.v };
            t.add(e);
            m.set(o.k, e);
          } else if (o.t === 'del') {
            expect(t.delete(o.k)).toBe(m.delete(o.k));
          } else {
            t.clear();
            m.clear();
          }
          expect(t.size).toBe(m.size);
        }
        for (let k = 0; k < 41; k++) for (let j = 0; j < 4; j++) {
          const kk = k + j * 64 + (j === 3 ? 0x7fff0000 : 0);
          expect(t.get(kk)).toBe(m.get(kk));
          expect(t.has(kk)).toBe(m.has(kk));
        }
        expect(new Set(t.values())).toEqual(new Set(m.values()));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps entries whose keys share an array slot, and frees the slot for the next', () => {
    const t = new IntTable<E>(8); // array of 16
    t.add({ key: 3, v: 1 });
    t.add({ key: 19, v: 2 }); // 19 & 15 === 3: overflow
    expect(t.get(3)?.v).toBe(1);
    expect(t.get(19)?.v).toBe(2);
    expect(t.delete(3)).toBe(true);
    expect(t.get(19)?.v).toBe(2);
    t.add({ key: 35, v: 3 }); // takes the freed slot
    expect(t.get(35)?.v).toBe(3);
    expect(t.get(19)?.v).toBe(2);
    expect(t.get(3)).toBeUndefined();
    expect(t.size).toBe(2);
    expect(t.values().map((e) => e.v).sort()).toEqual([2, 3]);
  });
});
