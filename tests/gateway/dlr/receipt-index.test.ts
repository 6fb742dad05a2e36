import fc from 'fast-check';
import { ReceiptIndex, type IndexedPart } from '../../../gateway/dlr/receipt-index';
import type { Message } from '../../../routing/message';

const part = (n: number): IndexedPart => ({ msg: { id: String(n) } as Message, seq: 1 });

/** The behaviour the index must keep: a Map in insertion order, a re-set id counting as the newest, oldest evicted. */
class Model {
  readonly m = new Map<string, IndexedPart>();
  evicted = 0;
  constructor(private readonly max: number) {}
  set(c: string, k: string, v: IndexedPart): void {
    const key = `${c}\0${k}`;
    this.m.delete(key);
    this.m.set(key, v);
    if (this.m.size > this.max) {
      this.m.delete(this.m.keys().next().value as string);
      this.evicted++;
    }
  }
  get(c: string, k: string): IndexedPart | undefined {
    return this.m.get(`${c}\0${k}`);
  }
  delete(c: string, k: string): void {
    this.m.delete(`${c}\0${k}`);
  }
}

describe('ReceiptIndex', () => {
  it('finds, replaces and forgets ids per connector', () => {
    const ix = new ReceiptIndex(100);
    const a = part(1);
    const b = part(2);
    ix.set('c1', '123', a);
    ix.set('c2', '123', b);
    expect(ix.get('c1', '123')).toBe(a);
    expect(ix.get('c2', '123')).toBe(b);
    expect(ix.get('c3', '123')).toBeUndefined();
    expect(ix.get('c1', '1234')).toBeUndefined();
    ix.set('c1', '123', b);
    expect(ix.get('c1', '123')).toBe(b);
    expect(ix.size).toBe(2);
    ix.delete('c1', '123');
    ix.delete('c1', '123');
    ix.delete('nope', '123');
    expect(ix.get('c1', '123')).toBeUndefined();
    expect(ix.size).toBe(1);
  });

  it('drops the oldest entries past maxEntries, whatever their connector', () => {
    const ix = new ReceiptIndex(3);
    for (let i = 1; i <= 5; i++) ix.set(i % 2 === 0 ? 'even' : 'odd', String(i), part(i));
    expect(ix.size).toBe(3);
    expect(ix.evictions).toBe(2);
    expect(ix.get('odd', '1')).toBeUndefined();
    expect(ix.get('even', '2')).toBeUndefined();
    expect(ix.get('odd', '3')?.msg.id).toBe('3');
    expect(ix.get('odd', '5')?.msg.id).toBe('5');
  });

  it('behaves like an insertion-ordered Map, with colliding buckets and reused entries', () => {
    const conn = fc.constantFrom('a', 'b', 'c');
    const key = fc.integer({ min: 0, max: 15 }).map(String);
    // Sets outweigh deletes so that the index fills past maxEntries and evicts.
    const op = fc.oneof(
      { arbitrary: fc.record({ t: fc.constant('set' as const), c: conn, k: key, v: fc.integer({ min: 1, max: 1000 }) }), weight: 3 },
      { arbitrary: fc.record({ t: fc.constant('del' as const), c: conn, k: key }), weight: 1 },
      { arbitrary: fc.record({ t: fc.constant('get' as const), c: conn, k: key }), weight: 2 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.constantFrom(1, 2, 4, 64), fc.array(op, { minLength: 20, maxLength: 300, size: 'max' }), (max, buckets, ops) => {
        const ix = new ReceiptIndex(max, buckets);
        const model = new Model(max);
        for (const o of ops) {
          if (o.t === 'set') {
            const v = part(o.v);
            ix.set(o.c, o.k, v);
            model.set(o.c, o.k, v);
          } else if (o.t === 'del') {
            ix.delete(o.c, o.k);
            model.delete(o.c, o.k);
          } else expect(ix.get(o.c, o.k)).toBe(model.get(o.c, o.k));
          expect(ix.size).toBe(model.m.size);
        }
        expect(ix.evictions).toBe(model.evicted);
        for (const c of ['a', 'b', 'c']) for (let k = 0; k <= 15; k++) expect(ix.get(c, String(k))).toBe(model.get(c, String(k)));
      }),
      { numRuns: 300 },
    );
  });
});
