import { Deque } from '../../../gateway/binders/deque';
import { TokenBucket } from '../../../gateway/binders/token-bucket';

describe('TokenBucket', () => {
  it('unlimited when the rate is 0', () => {
    const b = new TokenBucket(0, 0);
    for (let i = 0; i < 1000; i++) expect(b.take(0)).toBe(true);
    expect(b.waitMs(0)).toBe(0);
  });

  it('a burst of a tenth of a second, then the rate', () => {
    const b = new TokenBucket(100, 0);
    let n = 0;
    while (b.take(0)) n++;
    expect(n).toBe(10);
    expect(b.waitMs(0)).toBe(10);
    let later = 0;
    for (let t = 1; t <= 1000; t++) while (b.take(t)) later++;
    expect(later).toBe(100);
  });

  it('a one-second burst for partner limits, and setRate takes effect', () => {
    const b = new TokenBucket(5, 0, 1);
    let n = 0;
    while (b.take(0)) n++;
    expect(n).toBe(5);
    b.setRate(0, 0);
    expect(b.take(0)).toBe(true);
  });
});

describe('Deque', () => {
  it('keeps FIFO order across growth, unshift puts in front', () => {
    const d = new Deque<number>(2);
    for (let i = 0; i < 100; i++) d.push(i);
    expect(d.shift()).toBe(0);
    d.unshift(-1);
    expect(d.length).toBe(100);
    const out = d.drain();
    expect(out[0]).toBe(-1);
    expect(out[1]).toBe(1);
    expect(out[out.length - 1]).toBe(99);
    expect(d.shift()).toBeUndefined();
  });
});
