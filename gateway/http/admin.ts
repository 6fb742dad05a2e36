import * as http from 'node:http';

export interface AdminHandlers {
  metrics(): Promise<{ contentType: string; body: string }>;
  health(): { ok: boolean; detail: Record<string, unknown> };
  ready(): { ok: boolean; detail: Record<string, unknown> };
  reload(): Promise<{ ok: true } | { ok: false; issues: readonly string[] }>;
  /** Process figures for benchmarks and operators: CPU time, memory. */
  stats(): Record<string, unknown>;
  /** Extra routes mounted by other modules (e.g. the HTTP send API); return false when not handled. */
  extra?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** GET /metrics /health /ready /admin/stats, POST /admin/reload. */
export class AdminServer {
  private server: http.Server | undefined;

  constructor(private readonly h: AdminHandlers) {}

  listen(host: string, port: number): Promise<{ port: number }> {
    const server = http.createServer((req, res) => this.route(req, res));
    server.keepAliveTimeout = 5000;
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        const a = server.address();
        resolve({ port: typeof a === 'object' && a ? a.port : port });
      });
    });
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/metrics') {
      this.h.metrics().then(
        (m) => {
          res.writeHead(200, { 'content-type': m.contentType });
          res.end(m.body);
        },
        () => json(res, 500, { error: 'metrics unavailable' }),
      );
      return;
    }
    if (method === 'GET' && path === '/health') {
      const h = this.h.health();
      json(res, h.ok ? 200 : 503, { status: h.ok ? 'ok' : 'unhealthy', ...h.detail });
      return;
    }
    if (method === 'GET' && path === '/ready') {
      const r = this.h.ready();
      json(res, r.ok ? 200 : 503, { ready: r.ok, ...r.detail });
      return;
    }
    if (method === 'GET' && path === '/admin/stats') {
      json(res, 200, this.h.stats());
      return;
    }
    if (method === 'POST' && path === '/admin/reload') {
      req.resume();
      this.h.reload().then(
        (r) => (r.ok ? json(res, 200, { reloaded: true }) : json(res, 400, { reloaded: false, issues: r.issues })),
        (err: unknown) => json(res, 500, { reloaded: false, issues: [String(err)] }),
      );
      return;
    }
    if (this.h.extra && this.h.extra(req, res)) return;
    json(res, 404, { error: 'not found' });
  }

  close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return Promise.resolve();
    return new Promise((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }
}
