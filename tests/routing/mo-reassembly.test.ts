import fc from 'fast-check';
import { MoReassembler, groupKeyOf, type MoPartInput, type RefKind } from '../../routing/mo-reassembly';

function part(seq: number, total: number, text: string, over: Partial<MoPartInput> = {}): MoPartInput {
  return {
    partId: `p${seq}`,
    connectorId: 'op1',
    source: '4670000001',
    destination: '4455',
    sourceTon: 1,
    sourceNpi: 1,
    destTon: 0,
    destNpi: 1,
    refKind: 'udh8',
    ref: 7,
    total,
    seq,
    payload: Buffer.from(text, 'latin1'),
    dataCoding: 0,
    receivedAt: 1000 + seq,
    ...over,
  };
}

const opts = { timeoutMs: 60_000, partialPolicy: 'deliver' as const, maxGroups: 100 };

describe('MoReassembler', () => {
  it('reassembles parts in order', () => {
    const r = new MoReassembler(opts);
    expect(r.add(part(1, 2, 'Hello ')).result.kind).toBe('incomplete');
    const done = r.add(part(2, 2, 'world')).result;
    expect(done.kind).toBe('complete');
    if (done.kind !== 'complete') return;
    expect(done.message.payload.toString('latin1')).toBe('Hello world');
    expect(done.message.partial).toBe(false);
    expect(done.message.parts.map((p) => p.seq)).toEqual([1, 2]);
    expect(r.openGroups).toBe(0);
  });

  it('reassembles out-of-order parts and ignores duplicates', () => {
    const r = new MoReassembler(opts);
    expect(r.add(part(3, 3, 'c')).result).toMatchObject({ kind: 'incomplete', have: 1, total: 3 });
    expect(r.add(part(1, 3, 'a')).result).toMatchObject({ kind: 'incomplete', have: 2 });
    expect(r.add(part(1, 3, 'X')).result.kind).toBe('duplicate');
    const done = r.add(part(2, 3, 'b')).result;
    expect(done.kind === 'complete' && done.message.payload.toString()).toBe('abc');
  });

  it('keeps 8-bit, 16-bit and SAR references with the same number apart', () => {
    const r = new MoReassembler(opts);
    const kinds: RefKind[] = ['udh8', 'udh16', 'sar'];
    for (const k of kinds) r.add(part(1, 2, `${k}-1 `, { refKind: k }));
    expect(r.openGroups).toBe(3);
    for (const k of kinds) {
      const res = r.add(part(2, 2, `${k}-2`, { refKind: k })).result;
      expect(res.kind === 'complete' && res.message.payload.toString()).toBe(`${k}-1 ${k}-2`);
    }
  });

  it('keeps different senders, connectors and totals apart', () => {
    const r = new MoReassembler(opts);
    r.add(part(1, 2, 'a'));
    r.add(part(1, 2, 'b', { source: 'other' }));
    r.add(part(1, 2, 'c', { connectorId: 'op2' }));
    r.add(part(1, 3, 'd'));
    expect(r.openGroups).toBe(4);
  });

  it('treats a part repeated after completion as a duplicate until the timeout has passed', () => {
    const r = new MoReassembler(opts);
    r.add(part(1, 2, 'a', { receivedAt: 0 }));
    expect(r.add(part(2, 2, 'b', { receivedAt: 10 })).result.kind).toBe('complete');
    expect(r.add(part(2, 2, 'b', { receivedAt: 20 })).result.kind).toBe('duplicate');
    expect(r.openGroups).toBe(0);
    r.expire(60_010);
    expect(r.add(part(1, 2, 'a', { receivedAt: 60_020 })).result.kind).toBe('incomplete');
  });

  it('rejects seq 0, seq above total and total 0', () => {
    const r = new MoReassembler(opts);
    expect(r.add(part(0, 2, 'x')).result).toEqual({ kind: 'invalid', reason: 'seq_out_of_range' });
    expect(r.add(part(3, 2, 'x')).result).toEqual({ kind: 'invalid', reason: 'seq_out_of_range' });
    expect(r.add(part(1, 0, 'x')).result).toEqual({ kind: 'invalid', reason: 'bad_total' });
    expect(r.openGroups).toBe(0);
  });

  it('delivers a partial message marked partial after the timeout (policy deliver)', () => {
    const r = new MoReassembler(opts);
    r.add(part(1, 3, 'a', { receivedAt: 1000 }));
    r.add(part(3, 3, 'c', { receivedAt: 1500 }));
    expect(r.nextDeadline()).toBe(61_000);
    expect(r.expire(60_999)).toEqual([]);
    const out = r.expire(61_000);
    expect(out).toHaveLength(1);
    const e = out[0]!;
    expect(e.kind).toBe('deliver');
    if (e.kind !== 'deliver') return;
    expect(e.message.partial).toBe(true);
    expect(e.message.missing).toEqual([2]);
    expect(e.message.payload.toString()).toBe('ac');
    expect(r.openGroups).toBe(0);
    expect(r.nextDeadline()).toBeUndefined();
  });

  it('drops a partial message after the timeout (policy drop)', () => {
    const r = new MoReassembler({ ...opts, partialPolicy: 'drop' });
    r.add(part(2, 2, 'b', { receivedAt: 0 }));
    const out = r.expire(60_000);
    expect(out).toEqual([{ kind: 'drop', groupKey: groupKeyOf(part(2, 2, 'b')), parts: [expect.objectContaining({ seq: 2 })], missing: [1] }]);
  });

  it('evicts the oldest group when maxGroups is reached', () => {
    const r = new MoReassembler({ ...opts, maxGroups: 2 });
    r.add(part(1, 2, 'a', { ref: 1 }));
    r.add(part(1, 2, 'b', { ref: 2 }));
    const { evicted } = r.add(part(1, 2, 'c', { ref: 3 }));
    expect(evicted).toHaveLength(1);
    expect(evicted[0]!.kind === 'deliver' && evicted[0]!.message.groupKey).toBe(groupKeyOf(part(1, 2, 'a', { ref: 1 })));
    expect(r.openGroups).toBe(2);
  });

  it('property: any order with duplicates yields the payload in seq order exactly once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 20 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (payloads, dupIdx, shuffleSeed) => {
          const total = payloads.length;
          const parts = payloads.map((p, i) => part(i + 1, total, '', { payload: Buffer.from(p) }));
          const extra = dupIdx.map((d) => parts[d % total]!);
          const all = [...parts, ...extra];
          // Deterministic shuffle from the seed (fast-check shrinks the seed).
          let s = shuffleSeed;
          for (let i = all.length - 1; i > 0; i--) {
            s = (s * 1103515245 + 12345) % 2147483648;
            const j = s % (i + 1);
            [all[i], all[j]] = [all[j]!, all[i]!];
          }
          const r = new MoReassembler(opts);
          let completes = 0;
          let payload: Buffer = Buffer.alloc(0);
          for (const p of all) {
            const res = r.add(p).result;
            if (res.kind === 'complete') {
              completes++;
              payload = res.message.payload;
            }
          }
          expect(completes).toBe(1);
          expect(r.openGroups).toBe(0);
          expect(payload.equals(Buffer.concat(payloads.map((p) => Buffer.from(p))))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
