import * as http from 'node:http';
import { signContent } from '../../../gateway/partners/signature';
import { parseMode } from '../../../simulators/partner/cli';
import { startPartnerSimulator, type PartnerSimulator } from '../../../simulators/partner/server';

const SECRET = 'sim-secret-0123456789';

function request(port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}, timeoutMs = 2000): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ method, host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString() }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

describe('partner simulator', () => {
  let sim: PartnerSimulator;
  afterEach(async () => {
    await sim.close();
  });

  it('sync JSON and text replies; records fields and verifies signatures', async () => {
    sim = await startPartnerSimulator({ secret: SECRET });
    const body = JSON.stringify({ id: '1', text: 'hi' });
    const ok = await request(sim.port, 'POST', '/mo', body, { 'content-type': 'application/json', 'x-tollgate-signature': signContent(SECRET, body) });
    expect(ok).toMatchObject({ status: 200, body: '{"reply":"Re: hi"}' });
    const bad = await request(sim.port, 'POST', '/mo', body, { 'x-tollgate-signature': signContent('other', body) });
    expect(bad.status).toBe(200);
    expect(sim.received.map((r) => r.signatureOk)).toEqual([true, false]);
    expect(sim.stats.badSignatures).toBe(1);
    sim.setMode({ kind: 'sync', format: 'text' });
    const q = 'text=yo&id=2';
    const t = await request(sim.port, 'GET', `/mo?${q}`, undefined, { 'x-tollgate-signature': signContent(SECRET, q) });
    expect(t).toMatchObject({ status: 200, body: 'Re: yo' });
    expect(t.type).toMatch(/text\/plain/);
    expect(sim.received[2]).toMatchObject({ method: 'GET', path: '/mo', signatureOk: true, fields: { text: 'yo', id: '2' } });
  });

  it('requireSignature refuses unsigned requests with 401', async () => {
    sim = await startPartnerSimulator({ secret: SECRET, requireSignature: true });
    expect((await request(sim.port, 'POST', '/mo', '{}')).status).toBe(401);
  });

  it('fail, failFirst(n) and timeout modes', async () => {
    sim = await startPartnerSimulator({ secret: SECRET, mode: { kind: 'fail' } });
    expect((await request(sim.port, 'POST', '/mo', '{}')).status).toBe(500);
    sim.setMode({ kind: 'failFirst', count: 2, format: 'json' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await request(sim.port, 'POST', '/mo', '{"text":"x"}')).status);
    expect(statuses).toEqual([500, 500, 200]);
    sim.setMode({ kind: 'timeout' });
    await expect(request(sim.port, 'POST', '/mo', '{}', {}, 100)).rejects.toThrow();
  });

  it('async: 202 at once, then POST /v1/messages to the send API with the MO id as reference', async () => {
    const got: { headers: http.IncomingHttpHeaders; body: unknown }[] = [];
    const api = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) as unknown });
        res.writeHead(202).end('{"id":"9"}');
      });
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', () => r()));
    const apiPort = (api.address() as { port: number }).port;
    try {
      sim = await startPartnerSimulator({ secret: SECRET, mode: { kind: 'async', delayMs: 5 }, sendApi: { url: `http://127.0.0.1:${apiPort}`, apiKey: 'k' } });
      const r = await request(sim.port, 'POST', '/mo', JSON.stringify({ id: '77', from: '467', to: '4455', text: 'vote' }));
      expect(r.status).toBe(202);
      for (let i = 0; i < 200 && sim.stats.asyncSent === 0; i++) await new Promise((res) => setTimeout(res, 5));
      expect(sim.stats.asyncSent).toBe(1);
      expect(got[0]!.headers['x-api-key']).toBe('k');
      expect(got[0]!.body).toEqual({ from: '4455', to: '467', text: 'Re: vote', reference: '77', idempotencyKey: 'mo-77' });
    } finally {
      await new Promise<void>((r) => api.close(() => r()));
    }
  });

  it('CLI modes parse', () => {
    expect(parseMode('sync', 1)).toEqual({ kind: 'sync', format: 'json' });
    expect(parseMode('sync-text', 1)).toEqual({ kind: 'sync', format: 'text' });
    expect(parseMode('async', 7)).toEqual({ kind: 'async', delayMs: 7 });
    expect(parseMode('failFirst:3', 1)).toEqual({ kind: 'failFirst', count: 3, format: 'json' });
    expect(parseMode('timeout', 1)).toEqual({ kind: 'timeout' });
    expect(() => parseMode('nope', 1)).toThrow();
  });
});
