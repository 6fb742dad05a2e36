import * as http from 'node:http';
import { systemClock } from '../../../protocols/wire/clock';
import { ConnectionClosedError, TimeoutError } from '../../../protocols/wire/errors';
import { createHttpHandler } from '../../../gateway/partners/http-handler';
import { PipelinedHttpClient } from '../../../gateway/partners/pipelined-client';
import { startPartnerSimulator, type PartnerSimulator } from '../../../simulators/partner/server';

const SECRET = 'pipe-secret-0123456789';

function post(client: PipelinedHttpClient, url: string, text: string, timeoutMs = 2000) {
  return client.request({ method: 'POST', url: new URL(url), headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ text })), timeoutMs });
}

async function server(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void>; connections: () => number }> {
  let connections = 0;
  const s = http.createServer(handler);
  s.on('connection', () => connections++);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(s.address() as { port: number }).port}/x`,
    connections: () => connections,
    close: async () => {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    },
  };
}

describe('PipelinedHttpClient', () => {
  let sim: PartnerSimulator;
  let client: PipelinedHttpClient;
  beforeEach(async () => {
    sim = await startPartnerSimulator({ secret: SECRET });
  });
  afterEach(async () => {
    client.close();
    await sim.close();
  });

  it('pipelines many requests on few connections and matches every response to its request', async () => {
    client = new PipelinedHttpClient({ connections: 2, depth: 16 });
    const outs = await Promise.all(Array.from({ length: 300 }, (_, i) => post(client, sim.url, `m${i}`)));
    outs.forEach((o, i) => {
      expect(o.status).toBe(200);
      expect(JSON.parse(o.body.toString())).toEqual({ reply: `Re: m${i}` });
    });
    expect(sim.stats.maxConcurrent).toBeLessThanOrEqual(2);
  });

  it('signed handler requests verify at the partner through the pipelined client', async () => {
    client = new PipelinedHttpClient({ connections: 1, depth: 8 });
    const h = createHttpHandler({ kind: 'httpPost', url: sim.url, timeoutMs: 2000, secret: SECRET }, client, systemClock);
    const mo = { id: '1', from: '467', to: '4455', text: 'joke', hex: '', dataCoding: 0, serviceId: 's', partnerId: 'p', operator: 'o', receivedAt: 0, partial: false };
    const outs = await Promise.all([1, 2, 3].map((i) => h.handle({ ...mo, id: String(i), text: `joke ${i}` })));
    expect(outs).toEqual([1, 2, 3].map((i) => ({ kind: 'reply', text: `Re: joke ${i}` })));
    expect(sim.received.every((r) => r.signatureOk)).toBe(true);
  });

  it('reads chunked responses and 204s', async () => {
    const srv = await server((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/empty') {
          res.writeHead(204).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('hel');
        res.write('lo ');
        res.end('world');
      });
    });
    try {
      client = new PipelinedHttpClient({ connections: 1, depth: 4 });
      const [a, b, c] = await Promise.all([post(client, srv.url, 'x'), post(client, srv.url.replace('/x', '/empty'), 'y'), post(client, srv.url, 'z')]);
      expect(a.body.toString()).toBe('hello world');
      expect(b.status).toBe(204);
      expect(c.body.toString()).toBe('hello world');
    } finally {
      await srv.close();
    }
  });

  it('Connection: close ends the connection after that response; later requests open a new one', async () => {
    const srv = await server((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { connection: 'close', 'content-length': 2 }).end('ok'));
    });
    try {
      client = new PipelinedHttpClient({ connections: 1, depth: 1 });
      for (let i = 0; i < 3; i++) expect((await post(client, srv.url, 'x')).body.toString()).toBe('ok');
      expect(srv.connections()).toBe(3);
    } finally {
      await srv.close();
    }
  });

  it('a timeout rejects that request with TimeoutError and the ones behind it with ConnectionClosedError', async () => {
    sim.setMode({ kind: 'timeout' });
    client = new PipelinedHttpClient({ connections: 1, depth: 4 });
    const [a, b] = await Promise.allSettled([post(client, sim.url, 'a', 100), post(client, sim.url, 'b', 5000)]);
    expect(a.status === 'rejected' && a.reason).toBeInstanceOf(TimeoutError);
    expect(b.status === 'rejected' && b.reason).toBeInstanceOf(ConnectionClosedError);
    sim.setMode({ kind: 'sync', format: 'text' });
    expect((await post(client, sim.url, 'c')).body.toString()).toBe('Re: c');
  });

  it('connection refused rejects with ConnectionClosedError; close() rejects what waits', async () => {
    const port = sim.port;
    await sim.close();
    client = new PipelinedHttpClient({ connections: 1, depth: 1 });
    await expect(post(client, `http://127.0.0.1:${port}/mo`, 'x')).rejects.toBeInstanceOf(ConnectionClosedError);
    sim = await startPartnerSimulator({ secret: SECRET, mode: { kind: 'timeout' } });
    const waiting = [post(client, sim.url, 'a'), post(client, sim.url, 'b')];
    client.close();
    for (const w of waiting) await expect(w).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});
