import * as http from 'node:http';
import { createDeadLetterAdmin, type DeadLetterOps } from '../../../gateway/partners/dead-letter-admin';
import type { MoDeliveryRecord } from '../../../routing/mo-ports';

const rec = (id: string): MoDeliveryRecord => ({ moId: id, partnerId: 'acme', serviceId: 's', state: 'dead', attempts: 4, lastError: 'http_500', queuedAt: 1, updatedAt: 2 });

describe('dead-letter admin routes', () => {
  let server: http.Server;
  let port: number;
  const calls: string[] = [];
  beforeAll(async () => {
    const ops: DeadLetterOps = {
      listDeadLetters: async (f) => (calls.push(`list ${f.partnerId ?? '-'} ${f.limit} ${f.afterMoId ?? '-'}`), [rec('5'), rec('9')]),
      replay: async (id) => (calls.push(`replay ${id}`), id === '5'),
      replayAll: async (p) => (calls.push(`all ${p ?? '-'}`), 2),
    };
    const admin = createDeadLetterAdmin(ops);
    server = http.createServer((req, res) => {
      if (!admin(req, res)) res.writeHead(418).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  const call = (method: string, path: string) =>
    new Promise<{ status: number; json: unknown }>((resolve, reject) => {
      const req = http.request({ method, host: '127.0.0.1', port, path, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const t = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, json: t ? (JSON.parse(t) as unknown) : undefined });
        });
      });
      req.on('error', reject);
      req.end();
    });

  it('lists, replays one, replays all, and leaves other paths to the caller', async () => {
    expect(await call('GET', '/admin/mo/dead-letters?partner=acme&limit=5000&after=3')).toEqual({ status: 200, json: [rec('5'), rec('9')] });
    expect(await call('POST', '/admin/mo/dead-letters/5/replay')).toEqual({ status: 200, json: { replayed: 1 } });
    expect((await call('POST', '/admin/mo/dead-letters/6/replay')).status).toBe(404);
    expect(await call('POST', '/admin/mo/dead-letters/replay-all?partner=acme')).toEqual({ status: 200, json: { replayed: 2 } });
    expect((await call('DELETE', '/admin/mo/dead-letters')).status).toBe(404);
    expect((await call('GET', '/metrics')).status).toBe(418);
    expect(calls).toEqual(['list acme 1000 3', 'replay 5', 'replay 6', 'all acme']);
  });
});
