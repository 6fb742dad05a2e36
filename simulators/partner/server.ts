/**
 * Partner HTTP simulator: the other side of our partner handlers. Answers MOs per mode, records every request and
 * whether its X-Tollgate-Signature verified. Library (startPartnerSimulator) and CLI (cli.ts).
 *
 * Modes: sync (JSON `{"reply": ...}` or text/plain), async (202 at once, then POST /v1/messages to the gateway's send
 * API with `reference` = MO id), fail (500), failFirst(n) (n x 500 then sync), timeout (never answers).
 */
import * as http from 'node:http';
import type { Socket } from 'node:net';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, createVerifier } from '../../gateway/partners/signature';

export type PartnerMode =
  | { kind: 'sync'; format: 'json' | 'text'; delayMs?: number }
  | { kind: 'async'; delayMs: number }
  | { kind: 'fail' }
  | { kind: 'failFirst'; count: number; format: 'json' | 'text' }
  | { kind: 'timeout' };

export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body (POST) or the query (GET). */
  fields: Record<string, unknown>;
  signatureOk: boolean;
  timestamp?: string;
  answered: number;
}

export interface PartnerSimulatorOptions {
  host?: string;
  port?: number;
  secret?: string;
  mode?: PartnerMode;
  /** Reply text for an MO; default `Re: <text>`. */
  reply?: (fields: Record<string, unknown>) => string;
  /** Send API for async mode. */
  sendApi?: { url: string; apiKey: string };
  /** Keep at most this many records (oldest dropped); default 100,000. */
  maxRecords?: number;
  /** Counting only, no records (benchmarks). */
  recordNothing?: boolean;
  /** Refuse requests whose signature does not verify with 401. */
  requireSignature?: boolean;
}

export interface PartnerSimulator {
  readonly port: number;
  readonly url: string;
  readonly received: ReceivedRequest[];
  readonly stats: { requests: number; badSignatures: number; asyncSent: number; asyncFailed: number; active: number; maxConcurrent: number };
  setMode(mode: PartnerMode): void;
  close(): Promise<void>;
}

export async function startPartnerSimulator(opts: PartnerSimulatorOptions = {}): Promise<PartnerSimulator> {
  let mode: PartnerMode = opts.mode ?? { kind: 'sync', format: 'json' };
  let failedSoFar = 0;
  const received: ReceivedRequest[] = [];
  const stats = { requests: 0, badSignatures: 0, asyncSent: 0, asyncFailed: 0, active: 0, maxConcurrent: 0 };
  const maxRecords = opts.maxRecords ?? 100_000;
  const hanging = new Set<http.ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const replyFor = opts.reply ?? ((f) => `Re: ${String(f['text'] ?? '')}`);
  const apiAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const verify = opts.secret !== undefined ? createVerifier(opts.secret) : undefined;
  // Answers to pipelined requests produced in one I/O turn leave in one write per socket, not one each.
  const corked = new Set<Socket>();
  const uncorkAll = (): void => {
    for (const s of corked) s.uncork();
    corked.clear();
  };

  const server = http.createServer((req, res) => {
    const sock = req.socket;
    if (!corked.has(sock)) {
      if (corked.size === 0) setImmediate(uncorkAll);
      corked.add(sock);
      sock.cork();
    }
    stats.active++;
    if (stats.active > stats.maxConcurrent) stats.maxConcurrent = stats.active;
    res.on('close', () => stats.active--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      stats.requests++;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const rawUrl = req.url ?? '/';
      const qi = rawUrl.indexOf('?');
      const rawQuery = qi >= 0 ? rawUrl.slice(qi + 1) : '';
      const query: Record<string, string> = rawQuery === '' ? {} : Object.fromEntries(new URLSearchParams(rawQuery));
      let fields: Record<string, unknown> = query;
      if (req.method === 'POST' && body.length > 0) {
        try {
          const v: unknown = JSON.parse(body.toString('utf8'));
          if (typeof v === 'object' && v !== null) fields = v as Record<string, unknown>;
        } catch {
          fields = {};
        }
      }
      const sigHeader = req.headers[SIGNATURE_HEADER];
      const signatureOk = verify !== undefined && verify(req.method === 'GET' ? rawQuery : body, Array.isArray(sigHeader) ? sigHeader[0] : sigHeader);
      if (!signatureOk) stats.badSignatures++;
      const ts = req.headers[TIMESTAMP_HEADER];
      if (!opts.recordNothing) {
        if (received.length >= maxRecords) received.shift();
        received.push({
          method: req.method ?? '',
          path: qi >= 0 ? rawUrl.slice(0, qi) : rawUrl,
          query,
          fields,
          signatureOk,
          timestamp: Array.isArray(ts) ? ts[0] : ts,
          answered: 0,
        });
      }
      if (opts.requireSignature && !signatureOk) {
        res.writeHead(401).end();
        return;
      }
      const m = mode;
      switch (m.kind) {
        case 'timeout':
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
          return;
        case 'fail':
          res.writeHead(500, { 'content-type': 'text/plain' }).end('simulated failure');
          return;
        case 'failFirst':
          if (failedSoFar < m.count) {
            failedSoFar++;
            res.writeHead(500).end();
            return;
          }
          answerSync(res, m.format, replyFor(fields));
          return;
        case 'sync':
          if (m.delayMs) {
            const t = setTimeout(() => {
              timers.delete(t);
              answerSync(res, m.format, replyFor(fields));
            }, m.delayMs);
            timers.add(t);
          } else {
            answerSync(res, m.format, replyFor(fields));
          }
          return;
        case 'async': {
          res.writeHead(202).end();
          const t = setTimeout(() => {
            timers.delete(t);
            void sendAsync(fields);
          }, m.delayMs);
          timers.add(t);
          return;
        }
      }
    });
  });

  function answerSync(res: http.ServerResponse, format: 'json' | 'text', text: string): void {
    const body = Buffer.from(format === 'json' ? JSON.stringify({ reply: text }) : text, 'utf8');
    res
      .writeHead(200, { 'content-type': format === 'json' ? 'application/json' : 'text/plain; charset=utf-8', 'content-length': body.length })
      .end(body);
  }

  function sendAsync(fields: Record<string, unknown>): Promise<void> {
    const api = opts.sendApi;
    if (!api) {
      stats.asyncFailed++;
      return Promise.resolve();
    }
    const body = Buffer.from(
      JSON.stringify({ from: fields['to'], to: fields['from'], text: replyFor(fields), reference: fields['id'], idempotencyKey: `mo-${String(fields['id'])}` }),
    );
    const url = new URL('/v1/messages', api.url);
    return new Promise<void>((resolve) => {
      const req = http.request(
        { method: 'POST', hostname: url.hostname, port: url.port, path: url.pathname, agent: apiAgent, headers: { 'content-type': 'application/json', 'x-api-key': api.apiKey, 'content-length': body.length } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if ((res.statusCode ?? 0) < 300) stats.asyncSent++;
            else stats.asyncFailed++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        stats.asyncFailed++;
        resolve();
      });
      req.end(body);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    url: `http://${opts.host ?? '127.0.0.1'}:${port}/mo`,
    received,
    stats,
    setMode(m) {
      mode = m;
      failedSoFar = 0;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const r of hanging) r.destroy();
      apiAgent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
