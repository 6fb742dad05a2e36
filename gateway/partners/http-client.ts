/**
 * Pooled HTTP client for one partner: `http.request`/`https.request` through one keep-alive Agent per partner.
 * Global fetch is avoided on purpose: on this machine it costs about five times the CPU per request.
 * The response body is capped (`maxResponseBytes`) so a misbehaving partner cannot grow our memory.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { TimeoutError, ConnectionClosedError } from '../../protocols/wire/errors';

export interface HttpResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  /** A string is sent as UTF-8. */
  body?: Buffer | string;
  timeoutMs: number;
}

/** What handlers and callbacks need from a client: the pooled one below or the pipelined one. */
export interface HttpClient {
  request(r: HttpRequest): Promise<HttpResponse>;
  close(): void;
}

export class PartnerHttpClient implements HttpClient {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(opts: { maxSockets: number; maxResponseBytes?: number }) {
    const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets, maxFreeSockets: opts.maxSockets, scheduling: 'lifo' as const };
    this.httpAgent = new http.Agent(agentOpts);
    this.httpsAgent = new https.Agent(agentOpts);
    this.maxResponseBytes = opts.maxResponseBytes ?? 65_536;
  }

  private readonly maxResponseBytes: number;

  request(r: HttpRequest): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      const isHttps = r.url.protocol === 'https:';
      const headers: Record<string, string | number> = { ...r.headers };
      if (r.body !== undefined) headers['content-length'] = typeof r.body === 'string' ? Buffer.byteLength(r.body, 'utf8') : r.body.length;
      const req = (isHttps ? https : http).request(
        {
          method: r.method,
          protocol: r.url.protocol,
          hostname: r.url.hostname,
          port: r.url.port,
          path: r.url.pathname + r.url.search,
          headers,
          agent: isHttps ? this.httpsAgent : this.httpAgent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size <= this.maxResponseBytes) chunks.push(c);
          });
          res.on('end', () => {
            clearTimeout(timer);
            resolve({
              status: res.statusCode ?? 0,
              contentType: String(res.headers['content-type'] ?? ''),
              body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
            });
          });
          res.on('error', (e) => {
            clearTimeout(timer);
            reject(new ConnectionClosedError('partner response aborted', { cause: e }));
          });
        },
      );
      const timer = setTimeout(() => {
        req.destroy(new TimeoutError(`partner did not answer within ${r.timeoutMs} ms`));
      }, r.timeoutMs);
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e instanceof TimeoutError ? e : new ConnectionClosedError('partner request failed', { cause: e }));
      });
      req.end(r.body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
