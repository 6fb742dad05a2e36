import type { Registry } from 'prom-client';

/** One label set's buckets: an observation is a short scan and two adds, with no label hashing. */
export class HistogramCell {
  /** Count per bucket (not cumulative); the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    private readonly bounds: readonly number[],
    readonly labels: Readonly<Record<string, string>>,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(v: number): void {
    if (!Number.isFinite(v)) return;
    const b = this.bounds;
    let i = 0;
    while (i < b.length && v > b[i]!) i++;
    this.counts[i]!++;
    this.sum += v;
    this.count++;
  }
}

interface ValueOut {
  value: number;
  labels: Record<string, string | number>;
  metricName: string;
}

/**
 * A Prometheus histogram whose hot-path `observe` costs a bucket scan: prom-client's Histogram hashes the label
 * values on every observation, even through a labelled child. Registered on a prom-client Registry as a metric of
 * its own; the exposition (`_bucket{le}`, `_sum`, `_count`) is the same as prom-client's.
 */
export class FastHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly cells: HistogramCell[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    // The registry asks a metric only for name, help, type and get(): the Metric class type is not needed.
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The cell for these label values (in labelNames order); callers cache it. */
  cell(values: readonly string[]): HistogramCell {
    const labels: Record<string, string> = {};
    this.labelNames.forEach((n, i) => (labels[n] = values[i] ?? ''));
    const c = new HistogramCell(this.bounds, labels);
    this.cells.push(c);
    return c;
  }

  get(): Promise<{ name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: ValueOut[] }> {
    const values: ValueOut[] = [];
    for (const c of this.cells) {
      let acc = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        acc += c.counts[i]!;
        values.push({ value: acc, labels: { le: this.bounds[i]!, ...c.labels }, metricName: `${this.name}_bucket` });
      }
      values.push({ value: c.count, labels: { le: '+Inf', ...c.labels }, metricName: `${this.name}_bucket` });
      values.push({ value: c.sum, labels: { ...c.labels }, metricName: `${this.name}_sum` });
      values.push({ value: c.count, labels: { ...c.labels }, metricName: `${this.name}_count` });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values });
  }

  reset(): void {
    for (const c of this.cells) {
      c.counts.fill(0);
      c.sum = 0;
      c.count = 0;
    }
  }
}
