/**
 * A lean partner for load tests: a minimal HTTP/1.1 server that answers every request synchronously (mode `sync`)
 * with `{"reply":"Re: <text>"}` (JSON) or the text itself (text/plain), after checking the X-Tollgate-Signature and
 * parsing the JSON body like the full simulator does. Why: node:http costs about 45 µs of CPU per request; on a
 * shared 2-core machine that CPU is taken from the gateway under test. It handles keep-alive and pipelining (answers
 * in order, all answers to one read in one write), Content-Length bodies and `Connection: close`; anything else
 * (chunked request bodies, oversized heads) is answered 400 and the connection closed. No records, counts only.
 */
import * as net from 'node:net';
import { SIGNATURE_HEADER, createVerifier } from '../../gateway/partners/signature';

export interface LeanPartnerOptions {
  host?: string;
  port?: number;
  secret?: string;
  format?: 'json' | 'text';
  /** Largest request head + body accepted (bytes). */
  maxRequestBytes?: number;
}

export interface LeanPartner {
  readonly port: number;
  readonly url: string;
  readonly stats: { requests: number; badSignatures: number; badRequests: number };
  close(): Promise<void>;
}

const SIG_NAME = SIGNATURE_HEADER.toLowerCase();
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';

export async function startLeanPartner(opts: LeanPartnerOptions = {}): Promise<LeanPartner> {
  const stats = { requests: 0, badSignatures: 0, badRequests: 0 };
  const verify = opts.secret !== undefined ? createVerifier(opts.secret) : undefined;
  const json = (opts.format ?? 'json') === 'json';
  const maxBytes = opts.maxRequestBytes ?? 1_048_576;
  const sockets = new Set<net.Socket>();

  const answer = (body: Buffer): string => {
    stats.requests++;
    let fields: Record<string, unknown> = {};
    try {
      const v: unknown = JSON.parse(body.toString('utf8'));
      if (typeof v === 'object' && v !== null) fields = v as Record<string, unknown>;
    } catch {
      fields = {};
    }
    const text = `Re: ${String(fields['text'] ?? '')}`;
    const out = json ? JSON.stringify({ reply: text }) : text;
    return (
      'HTTP/1.1 200 OK\r\nContent-Type: ' +
      (json ? 'application/json' : 'text/plain; charset=utf-8') +
      '\r\nContent-Length: ' +
      Buffer.byteLength(out, 'utf8') +
      '\r\n\r\n' +
      out
    );
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    let buf: Buffer | undefined;
    let closing = false;
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      if (closing) return;
      buf = buf && buf.length > 0 ? Buffer.concat([buf, chunk]) : chunk;
      let out = '';
      let close = false;
      // Bounded: each pass consumes one whole request or stops.
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) {
          if (buf.length > maxBytes) {
            stats.badRequests++;
            out += BAD_REQUEST;
            close = true;
          }
          break;
        }
        const head = buf.toString('latin1', 0, end);
        let length = 0;
        let sig: string | undefined;
        let reqClose = false;
        let ok = /^[A-Z]+ \S+ HTTP\/1\.[01]$/.test(head.slice(0, head.indexOf('\r\n') < 0 ? head.length : head.indexOf('\r\n')));
        for (let pos = head.indexOf('\r\n'); ok && pos >= 0; ) {
          const start = pos + 2;
          const next = head.indexOf('\r\n', start);
          const line = head.slice(start, next < 0 ? head.length : next);
          pos = next;
          const c = line.indexOf(':');
          if (c <= 0) continue;
          const name = line.slice(0, c).trim().toLowerCase();
          const value = line.slice(c + 1).trim();
          if (name === 'content-length') {
            length = /^\d+$/.test(value) ? Number(value) : -1;
            if (length < 0 || length > maxBytes) ok = false;
          } else if (name === 'transfer-encoding') ok = false;
          else if (name === SIG_NAME) sig = value;
          else if (name === 'connection' && /close/i.test(value)) reqClose = true;
        }
        if (!ok) {
          stats.badRequests++;
          out += BAD_REQUEST;
          close = true;
          break;
        }
        if (buf.length < end + 4 + length) break;
        const body = buf.subarray(end + 4, end + 4 + length);
        buf = buf.subarray(end + 4 + length);
        if (verify === undefined || !verify(body, sig)) stats.badSignatures++;
        out += answer(body);
        if (reqClose) {
          close = true;
          break;
        }
      }
      if (close) {
        closing = true;
        socket.end(out);
      } else if (out.length > 0) socket.write(out);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    url: `http://${opts.host ?? '127.0.0.1'}:${port}/mo`,
    stats,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
