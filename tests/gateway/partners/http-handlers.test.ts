import { systemClock } from '../../../protocols/wire/clock';
import type { MoDelivery } from '../../../gateway/partners/handler';
import { PartnerHttpClient } from '../../../gateway/partners/http-client';
import { createHttpHandler } from '../../../gateway/partners/http-handler';
import { Limiter } from '../../../gateway/partners/limiter';
import { withRetries } from '../../../gateway/partners/with-retries';
import { startPartnerSimulator, type PartnerSimulator } from '../../../simulators/partner/server';

const SECRET = 'partner-secret-0123456789';

function mo(id: string, text = 'JOKE please'): MoDelivery {
  return {
    id,
    from: '46700000001',
    to: '4455',
    text,
    hex: Buffer.from(text, 'latin1').toString('hex'),
    dataCoding: 0,
    keyword: 'JOKE',
    serviceId: 'jokes',
    partnerId: 'acme',
    operator: 'op1',
    receivedAt: 1_700_000_000_000,
    partial: false,
  };
}

const fastRetry = { retries: 3, backoffMinMs: 1, backoffMaxMs: 5 };

describe('HTTP partner handlers over loopback', () => {
  let sim: PartnerSimulator;
  let client: PartnerHttpClient;
  beforeEach(async () => {
    sim = await startPartnerSimulator({ secret: SECRET });
    client = new PartnerHttpClient({ maxSockets: 8 });
  });
  afterEach(async () => {
    client.close();
    await sim.close();
  });

  it('POST sync with a JSON reply: signed JSON body with the MO fields', async () => {
    const h = createHttpHandler({ kind: 'httpPost', url: sim.url, timeoutMs: 2000, secret: SECRET }, client, systemClock);
    const out = await h.handle(mo('101', 'JOKE é€'));
    expect(out).toEqual({ kind: 'reply', text: 'Re: JOKE é€' });
    expect(sim.received).toHaveLength(1);
    const r = sim.received[0]!;
    expect(r.method).toBe('POST');
    expect(r.signatureOk).toBe(true);
    expect(Number(r.timestamp)).toBeGreaterThan(0);
    expect(r.fields).toMatchObject({ id: '101', from: '46700000001', to: '4455', text: 'JOKE é€', keyword: 'JOKE', service: 'jokes', operator: 'op1', partial: false });
  });

  it('POST sync with a text/plain reply', async () => {
    sim.setMode({ kind: 'sync', format: 'text' });
    const h = createHttpHandler({ kind: 'httpPost', url: sim.url, timeoutMs: 2000, secret: SECRET }, client, systemClock);
    expect(await h.handle(mo('102', 'hi'))).toEqual({ kind: 'reply', text: 'Re: hi' });
  });

  it('GET: MO fields as query parameters, signature over the query string', async () => {
    const h = createHttpHandler({ kind: 'httpGet', url: `${sim.url}?svc=x`, timeoutMs: 2000, secret: SECRET }, client, systemClock);
    expect(await h.handle(mo('103', 'a&b=c ü'))).toEqual({ kind: 'reply', text: 'Re: a&b=c ü' });
    const r = sim.received[0]!;
    expect(r.method).toBe('GET');
    expect(r.signatureOk).toBe(true);
    expect(r.query).toMatchObject({ svc: 'x', id: '103', text: 'a&b=c ü', from: '46700000001', to: '4455' });
  });

  it('a wrong secret fails verification at the partner (401, permanent, not retried)', async () => {
    await sim.close();
    sim = await startPartnerSimulator({ secret: SECRET, requireSignature: true });
    const h = createHttpHandler({ kind: 'httpPost', url: sim.url, timeoutMs: 2000, secret: 'wrong-secret-0123456789' }, client, systemClock);
    const r = withRetries(h, new Limiter(4, 10), fastRetry, systemClock);
    const out = await r.handle(mo('104'));
    expect(out).toMatchObject({ kind: 'failed', retryable: false, status: 401, attempts: 1 });
    expect(sim.stats.badSignatures).toBe(1);
  });

  it('POST async: 202 means accepted, no reply', async () => {
    sim.setMode({ kind: 'async', delayMs: 60_000 });
    const h = createHttpHandler({ kind: 'httpPostAsync', url: sim.url, timeoutMs: 2000, secret: SECRET }, client, systemClock);
    expect(await h.handle(mo('105'))).toEqual({ kind: 'accepted' });
  });

  it('500s then recovery: retried with backoff and answered, nothing lost', async () => {
    sim.setMode({ kind: 'failFirst', count: 2, format: 'json' });
    const h = createHttpHandler({ kind: 'httpPost', url: sim.url, timeoutMs: 2000, secret: SECRET }, client, systemClock);
    const attempts: string[] = [];
    const r = withRetries(h, new Limiter(4, 10), fastRetry, systemClock, { onAttempt: (o) => attempts.push(o.kind) });
    const out = await r.handle(mo('106', 'x'));
    expect(out).toMatchObject({ kind: 'reply', text: 'Re: x', attempts: 3 });
    expect(attempts).toEqual(['failed', 'failed', 'reply']);
    expect(sim.stats.requests).toBe(3);
  });

  it('500s past the retries: failed (dead-letter) after retries + 1 attempts', async () => {
    sim.setMode({ kind: 'fail' });
    const h = createHttpHandler({ kind: 'httpPost', url: sim.url, timeoutMs: 2000, secret: SECRET }, client, systemClock);
    const out = await withRetries(h, new Limiter(4, 10), fastRetry, systemClock).handle(mo('107'));
    expect(out).toMatchObject({ kind: 'failed', retryable: true, status: 500, attempts: 4 });
    expect(sim.stats.requests).toBe(4);
  });

  it('timeout: a partner that never answers fails with TIMEOUT', async () => {
    sim.setMode({ kind: 'timeout' });
    const h = createHttpHandler({ kind: 'httpPost', url: sim.url, timeoutMs: 100, secret: SECRET }, client, systemClock);
    expect(await h.handle(mo('108'))).toEqual({ kind: 'failed', retryable: true, error: 'TIMEOUT' });
  });

  it('connection refused is retryable', async () => {
    const port = sim.port;
    await sim.close();
    sim = await startPartnerSimulator({ secret: SECRET });
    const h = createHttpHandler({ kind: 'httpPost', url: `http://127.0.0.1:${port === sim.port ? 1 : port}/mo`, timeoutMs: 500, secret: SECRET }, client, systemClock);
    expect(await h.handle(mo('109'))).toMatchObject({ kind: 'failed', retryable: true });
  });

  it('concurrency limit: never more requests in flight at the partner than the limit', async () => {
    sim.setMode({ kind: 'sync', format: 'json', delayMs: 20 });
    const h = createHttpHandler({ kind: 'httpPost', url: sim.url, timeoutMs: 2000, secret: SECRET }, client, systemClock);
    const limiter = new Limiter(3, 100);
    const r = withRetries(h, limiter, fastRetry, systemClock);
    const outs = await Promise.all(Array.from({ length: 12 }, (_, i) => r.handle(mo(String(200 + i), `m${i}`))));
    expect(outs.every((o) => o.kind === 'reply')).toBe(true);
    expect(sim.stats.maxConcurrent).toBe(3);
    expect(limiter.inUse).toBe(0);
  });

  it('keeps connections alive: many requests reuse a few sockets', async () => {
    const conns = new Set<unknown>();
    const h = createHttpHandler({ kind: 'httpPost', url: sim.url, timeoutMs: 2000, secret: SECRET }, client, systemClock);
    for (let i = 0; i < 20; i++) {
      await h.handle(mo(String(300 + i)));
    }
    // One at a time over a keep-alive agent: the server saw one connection.
    const agentSockets = (client as unknown as { httpAgent: { freeSockets: Record<string, unknown[]> } }).httpAgent.freeSockets;
    for (const list of Object.values(agentSockets)) for (const s of list) conns.add(s);
    expect(conns.size).toBe(1);
  });
});
