import { Metrics } from '../../gateway/metrics';

function sample(text: string, name: string, labels = ''): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const sp = line.lastIndexOf(' ');
    if (line.slice(0, sp) === `${name}${labels}`) return Number(line.slice(sp + 1));
  }
  return undefined;
}

describe('Metrics', () => {
  it('exports every metric with its labels', async () => {
    const m = new Metrics();
    m.messageState('mt', 'accepted', 'p1', '');
    m.messageState('mt', 'accepted', 'p1', '', 2);
    m.messageState('mt', 'submitted', 'p1', 'sim');
    m.submitResponseSeconds('sim', 0.004);
    m.submitToReceiptSeconds('sim', 0.3);
    m.acceptSeconds('p1', 0.003);
    m.bindsUpSet('connector', 'sim', 2);
    m.bindsUpSet('partner', 'p1', 1);
    m.windowInUseSet('sim', 17);
    m.retry('sim');
    m.throttle('partner', 'p1');
    m.receiptUnmatched('sim');
    m.receiptForwarded('p1');
    const t = await m.text();
    expect(sample(t, 'tollgate_messages_total', '{direction="mt",state="accepted",partner="p1",connector=""}')).toBe(3);
    expect(sample(t, 'tollgate_messages_total', '{direction="mt",state="submitted",partner="p1",connector="sim"}')).toBe(1);
    expect(sample(t, 'tollgate_submit_response_seconds_count', '{connector="sim"}')).toBe(1);
    expect(sample(t, 'tollgate_submit_response_seconds_bucket', '{le="0.005",connector="sim"}')).toBe(1);
    expect(sample(t, 'tollgate_submit_response_seconds_bucket', '{le="0.0025",connector="sim"}')).toBe(0);
    expect(sample(t, 'tollgate_submit_to_receipt_seconds_count', '{connector="sim"}')).toBe(1);
    expect(sample(t, 'tollgate_accept_seconds_count', '{partner="p1"}')).toBe(1);
    expect(sample(t, 'tollgate_accept_seconds_bucket', '{le="0.005",partner="p1"}')).toBe(1);
    expect(sample(t, 'tollgate_accept_seconds_bucket', '{le="0.002",partner="p1"}')).toBe(0);
    expect(sample(t, 'tollgate_binds_up', '{kind="connector",id="sim"}')).toBe(2);
    expect(sample(t, 'tollgate_binds_up', '{kind="partner",id="p1"}')).toBe(1);
    expect(sample(t, 'tollgate_window_in_use', '{connector="sim"}')).toBe(17);
    expect(sample(t, 'tollgate_retries_total', '{connector="sim"}')).toBe(1);
    expect(sample(t, 'tollgate_throttled_total', '{side="partner",id="p1"}')).toBe(1);
    expect(sample(t, 'tollgate_receipts_unmatched_total', '{connector="sim"}')).toBe(1);
    expect(sample(t, 'tollgate_receipts_forwarded_total', '{partner="p1"}')).toBe(1);
    expect(m.contentType).toMatch(/^text\/plain/);
  });

  it('reads the store gauges from the stats provider at scrape time', async () => {
    let now = 1_000_000;
    const m = new Metrics({ now: () => now });
    let stats = { queueDepth: 7, unfinished: 3, oldestUnfinishedAt: now - 4500 };
    m.observeStore(() => stats);
    let t = await m.text();
    expect(sample(t, 'tollgate_store_queue_depth')).toBe(7);
    expect(sample(t, 'tollgate_store_unfinished')).toBe(3);
    expect(sample(t, 'tollgate_store_oldest_unfinished_seconds')).toBe(4.5);
    now += 1000;
    stats = { queueDepth: 0, unfinished: 0, oldestUnfinishedAt: undefined as unknown as number };
    t = await m.text();
    expect(sample(t, 'tollgate_store_queue_depth')).toBe(0);
    expect(sample(t, 'tollgate_store_oldest_unfinished_seconds')).toBe(0);
  });

  it('keeps registries apart between instances', async () => {
    const a = new Metrics();
    const b = new Metrics();
    a.retry('x');
    expect(sample(await b.text(), 'tollgate_retries_total', '{connector="x"}')).toBeUndefined();
  });

  it('drops a removed bind series', async () => {
    const m = new Metrics();
    m.bindsUpSet('connector', 'gone', 1);
    m.bindsUpRemove('connector', 'gone');
    expect(sample(await m.text(), 'tollgate_binds_up', '{kind="connector",id="gone"}')).toBeUndefined();
    m.bindsUpSet('connector', 'gone', 1);
    expect(sample(await m.text(), 'tollgate_binds_up', '{kind="connector",id="gone"}')).toBe(1);
  });

  it('can add process metrics', async () => {
    const m = new Metrics({ processMetrics: true });
    expect(await m.text()).toContain('tollgate_process_cpu_seconds_total');
  });
});
