import { Histogram, Registry } from 'prom-client';
import { FastHistogram } from '../../gateway/metrics-histogram';

describe('FastHistogram', () => {
  it('exports the same text as a prom-client Histogram fed the same observations', async () => {
    const bounds = [0.001, 0.01, 0.1, 1];
    const fast = new Registry();
    const ref = new Registry();
    const h = new FastHistogram('t_seconds', 'help text', ['connector', 'result'], bounds, fast);
    const r = new Histogram({ name: 't_seconds', help: 'help text', labelNames: ['connector', 'result'], buckets: bounds, registers: [ref] });
    const a = h.cell(['sim', 'ok']);
    const b = h.cell(['sim', 'failed']);
    const values = [0, 0.001, 0.0011, 0.05, 0.1, 0.5, 1, 7, 1e9];
    for (const v of values) {
      a.observe(v);
      r.labels('sim', 'ok').observe(v);
    }
    b.observe(0.02);
    r.labels('sim', 'failed').observe(0.02);
    expect(await fast.metrics()).toBe(await ref.metrics());
  });

  it('ignores values that are not finite instead of poisoning the sum', async () => {
    const reg = new Registry();
    const h = new FastHistogram('x_seconds', 'h', ['c'], [1], reg);
    const c = h.cell(['a']);
    c.observe(Number.NaN);
    c.observe(Number.POSITIVE_INFINITY);
    c.observe(0.5);
    expect(c.count).toBe(1);
    expect(c.sum).toBe(0.5);
    h.reset();
    expect(await reg.metrics()).toContain('x_seconds_count{c="a"} 0');
  });
});
