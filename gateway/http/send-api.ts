/**
 * HTTP send API for partners, as a plain node:http request handler (the daemon mounts it on its HTTP port):
 *   POST /v1/messages      JSON body (send-request.ts) -> 202 {"id","status":"accepted"}; a repeated idempotency key
 *                          (body `idempotencyKey` or header `Idempotency-Key`) within the TTL -> 200 with the first id
 *   GET  /v1/messages/{id} the message's lifecycle (state, parts, timestamps, last error, MO reference)
 *   GET  /sendsms?username=&password=&to=&text=[&from=][&dlr-url=]   the widespread sendsms form (Kannel-style answers)
 * Auth: `X-Api-Key`, or basic auth (see partner-auth.ts). 400 lists every field problem. The message is in the store
 * (through `submitMt`) before the 2xx goes out.
 */
import type * as http from 'node:http';
import type { Clock } from '../../protocols/wire/clock';
import type { RejectCode } from '../../routing/message';
import type { SubmitMt, SubmitMtResult } from '../mo/submit-mt';
import type { ApiMessageStore, IdempotencyStore } from '../../routing/mo-ports';
import type { MessageStore } from '../../routing/ports';
import { parseBasicAuth, type PartnerAuth } from './partner-auth';
import { mtFromRequest, validateSendRequest, type FieldError, type SendRequest } from './send-request';

export type { SubmitMtResult } from '../mo/submit-mt';

export interface SendApiDeps {
  store: Pick<MessageStore, 'get' | 'nextId'>;
  /** Routes, stores durably and queues the MT; resolves once the store has it (or with the rejection). */
  submitMt: SubmitMt;
  auth: PartnerAuth;
  /** Per partner: default sender and default receipt callback URL. */
  partnerDefaults(partnerId: string): { source?: string; callbackUrl?: string };
  idempotency: IdempotencyStore;
  apiMessages: ApiMessageStore;
  clock: Pick<Clock, 'now'>;
  settings: { maxBodyBytes: number; idempotencyTtlMs: number; defaultValidityMs: number };
  /** Called with the status of every answer (metrics). */
  onResponse?(status: number): void;
}

const REJECT_STATUS: Record<RejectCode, number> = {
  no_route: 422,
  invalid_destination: 422,
  invalid_source: 422,
  blacklisted: 403,
  fraud_limit: 429,
  throttled: 429,
  spam: 422,
  duplicate: 409,
  insufficient_balance: 402,
  system_error: 503,
};

class HttpFailure {
  constructor(readonly status: number, readonly body: unknown) {}
}

export function createSendApiHandler(deps: SendApiDeps): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    route(deps, req).then(
      ({ status, body, headers }) => {
        deps.onResponse?.(status);
        send(res, status, body, headers);
      },
      (e: unknown) => {
        const status = e instanceof HttpFailure ? e.status : 500;
        deps.onResponse?.(status);
        send(res, status, e instanceof HttpFailure ? e.body : { error: 'system_error' });
      },
    );
  };
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function send(res: http.ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  if (res.headersSent) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

async function route(deps: SendApiDeps, req: http.IncomingMessage): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname;
  if (path === '/v1/messages') {
    if (req.method !== 'POST') return { status: 405, body: { error: 'method_not_allowed' }, headers: { allow: 'POST' } };
    const partnerId = authenticate(deps, req);
    const raw = await readBody(req, deps.settings.maxBodyBytes);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return { status: 400, body: { errors: [{ field: '(body)', message: 'expected a JSON object' }] } };
    }
    const headerKey = req.headers['idempotency-key'];
    if (typeof headerKey === 'string' && typeof json === 'object' && json !== null && !('idempotencyKey' in json)) {
      (json as Record<string, unknown>)['idempotencyKey'] = headerKey;
    }
    return submit(deps, partnerId, json);
  }
  const m = /^\/v1\/messages\/([0-9]{1,20})$/.exec(path);
  if (m) {
    if (req.method !== 'GET') return { status: 405, body: { error: 'method_not_allowed' }, headers: { allow: 'GET' } };
    const partnerId = authenticate(deps, req);
    return lifecycle(deps, partnerId, m[1]!);
  }
  if (path === '/sendsms' || path === '/cgi-bin/sendsms') {
    if (req.method !== 'GET' && req.method !== 'POST') return { status: 405, body: 'Method not allowed' };
    return sendsms(deps, url.searchParams);
  }
  return { status: 404, body: { error: 'not_found' } };
}

function authenticate(deps: SendApiDeps, req: http.IncomingMessage): string {
  const key = req.headers['x-api-key'];
  if (typeof key === 'string' && key !== '') {
    const p = deps.auth.byApiKey(key);
    if (p !== undefined) return p;
  } else {
    const basic = parseBasicAuth(req.headers.authorization);
    if (basic) {
      const p = deps.auth.byPassword(basic.username, basic.password);
      if (p !== undefined) return p;
    }
  }
  throw new HttpFailure(401, { error: 'unauthorized' });
}

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // Past the limit the rest is read and discarded (not kept), so the client still gets its 413.
      if (size <= max) chunks.push(c);
    });
    req.on('end', () => {
      if (size > max) reject(new HttpFailure(413, { error: 'body_too_large', maxBytes: max }));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

async function submit(deps: SendApiDeps, partnerId: string, json: unknown): Promise<Reply> {
  const v = validateSendRequest(json);
  const defaults = deps.partnerDefaults(partnerId);
  const errors: FieldError[] = v.ok ? [] : v.errors;
  if (v.ok && v.req.from === undefined && defaults.source === undefined) errors.push({ field: 'from', message: 'required (no default sender for this partner)' });
  if (v.ok && v.req.reference !== undefined) {
    // An async reply must answer one of this partner's own MOs.
    const mo = await deps.store.get(v.req.reference);
    if (!mo || mo.direction !== 'mo' || mo.partnerId !== partnerId) errors.push({ field: 'reference', message: 'unknown MO id for this partner' });
  }
  if (!v.ok || errors.length > 0) return { status: 400, body: { errors } };
  return accept(deps, partnerId, v.req, defaults);
}

async function accept(deps: SendApiDeps, partnerId: string, req: SendRequest, defaults: { source?: string; callbackUrl?: string }): Promise<Reply> {
  const now = deps.clock.now();
  const id = deps.store.nextId();
  const key = req.idempotencyKey;
  if (key !== undefined) {
    const c = await deps.idempotency.claim({ partnerId, key, messageId: id, createdAt: now }, deps.settings.idempotencyTtlMs);
    if (!c.claimed) return { status: 200, body: { id: c.existing.messageId, status: 'duplicate' } };
  }
  const callbackUrl = req.callbackUrl ?? defaults.callbackUrl;
  const msg = mtFromRequest(req, {
    id,
    partnerId,
    source: req.from ?? defaults.source!,
    now,
    defaultValidityMs: deps.settings.defaultValidityMs,
    receipt: callbackUrl !== undefined,
  });
  // The callback URL is recorded before the MT can be sent, so even a receipt that comes back at once finds it.
  const rec: Parameters<ApiMessageStore['put']>[0] = { messageId: id, partnerId, createdAt: now };
  if (callbackUrl !== undefined) rec.callbackUrl = callbackUrl;
  if (req.reference !== undefined) rec.moRef = req.reference;
  if (rec.callbackUrl !== undefined || rec.moRef !== undefined) await deps.apiMessages.put(rec);
  let res: SubmitMtResult;
  try {
    res = await deps.submitMt(msg);
  } catch {
    res = { ok: false, code: 'system_error', reason: 'store unavailable' };
  }
  if (!res.ok) {
    if (key !== undefined) await deps.idempotency.release(partnerId, key);
    return { status: REJECT_STATUS[res.code], body: { error: res.code, reason: res.reason } };
  }
  return { status: 202, body: { id: res.id, status: 'accepted' } };
}

async function lifecycle(deps: SendApiDeps, partnerId: string, id: string): Promise<Reply> {
  const msg = await deps.store.get(id);
  if (!msg || msg.partnerId !== partnerId) return { status: 404, body: { error: 'not_found' } };
  const extra = await deps.apiMessages.get(id);
  return {
    status: 200,
    body: {
      id: msg.id,
      direction: msg.direction,
      state: msg.state,
      from: msg.source.addr,
      to: msg.destination.addr,
      reference: msg.partnerRef ?? null,
      moRef: extra?.moRef ?? null,
      createdAt: new Date(msg.createdAt).toISOString(),
      updatedAt: new Date(msg.updatedAt).toISOString(),
      validUntil: new Date(msg.validUntil).toISOString(),
      attempts: msg.attempts,
      lastError: msg.lastError ?? null,
      parts: msg.parts.map((p) => ({ seq: p.seq, state: p.state, smscMessageId: p.smscMessageId ?? null })),
    },
  };
}

/** Kannel-compatible answers: 202 "0: Accepted for delivery", 403 on auth, 400 on missing fields. */
async function sendsms(deps: SendApiDeps, q: URLSearchParams): Promise<Reply> {
  const username = q.get('username') ?? q.get('user') ?? '';
  const password = q.get('password') ?? q.get('pass') ?? '';
  const partnerId = deps.auth.byPassword(username, password);
  if (partnerId === undefined) return { status: 403, body: 'Authorization failed for sendsms' };
  const body: Record<string, unknown> = { to: q.get('to') ?? undefined, text: q.get('text') ?? undefined };
  const from = q.get('from');
  if (from !== null) body['from'] = from;
  const dlr = q.get('dlr-url');
  if (dlr !== null) body['callbackUrl'] = dlr;
  const r = await submit(deps, partnerId, body);
  if (r.status === 202) {
    const id = (r.body as { id: string }).id;
    return { status: 202, body: '0: Accepted for delivery', headers: { 'x-message-id': id } };
  }
  if (r.status === 400) {
    const errs = (r.body as { errors: FieldError[] }).errors;
    return { status: 400, body: `Missing or invalid parameters: ${errs.map((e) => `${e.field} (${e.message})`).join(', ')}` };
  }
  return { status: r.status, body: `Not routable: ${String((r.body as { error?: string }).error ?? 'error')}` };
}
