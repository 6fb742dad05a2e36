import * as http from 'node:http';
import { FakeClock } from '../../../protocols/wire/clock';
import type { Message } from '../../../routing/message';
import { openMoDb, type MoDb } from '../../../gateway/store/sqlite/mo-db';
import { SqliteApiMessageStore, SqliteIdempotencyStore } from '../../../gateway/store/sqlite/mo-api-stores';
import { createSendApiHandler, type SubmitMtResult } from '../../../gateway/http/send-api';
import { partnerAuthFrom } from '../../../gateway/http/partner-auth';
import { FakeMessageStore } from '../mo/fake-store';

export const KEY_ACME = 'acme-api-key-0123456789';
export const KEY_BETA = 'beta-api-key-0123456789';

export interface ApiRig {
  url: string;
  store: FakeMessageStore;
  mo: MoDb;
  clock: FakeClock;
  submitted: Message[];
  reject: { code: 'no_route' | 'throttled'; reason: string } | undefined;
  apiMessages: SqliteApiMessageStore;
  close(): Promise<void>;
}

export async function startApi(store = new FakeMessageStore(), mo: MoDb = openMoDb({ database: ':memory:' })): Promise<ApiRig> {
  const clock = new FakeClock();
  const submitted: Message[] = [];
  const apiMessages = new SqliteApiMessageStore(mo);
  const rig: Partial<ApiRig> & { reject: ApiRig['reject'] } = { reject: undefined };
  const handler = createSendApiHandler({
    store,
    submitMt: async (m): Promise<SubmitMtResult> => {
      if (rig.reject) return { ok: false, ...rig.reject };
      await store.insert(m);
      submitted.push(m);
      return { ok: true, id: m.id };
    },
    auth: partnerAuthFrom([
      { partnerId: 'acme', apiKeys: [KEY_ACME], smpp: { systemId: 'acmesys', password: 'pw1' } },
      { partnerId: 'beta', apiKeys: [KEY_BETA] },
    ]),
    partnerDefaults: (p) => (p === 'acme' ? { source: 'ACME', callbackUrl: undefined } : {}),
    idempotency: new SqliteIdempotencyStore(mo),
    apiMessages,
    clock,
    settings: { maxBodyBytes: 4096, idempotencyTtlMs: 24 * 3600_000, defaultValidityMs: 48 * 3600_000 },
  });
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return Object.assign(rig, {
    url: `http://127.0.0.1:${port}`,
    store,
    mo,
    clock,
    submitted,
    apiMessages,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      mo.close();
    },
  }) as ApiRig;
}

export interface Answer {
  status: number;
  body: string;
  json: unknown;
  headers: http.IncomingHttpHeaders;
}

export function call(url: string, method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const u = new URL(path, url);
    const req = http.request({ method, hostname: u.hostname, port: u.port, path: u.pathname + u.search, headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body, json, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export const jsonHeaders = (key = KEY_ACME): Record<string, string> => ({ 'content-type': 'application/json', 'x-api-key': key });
