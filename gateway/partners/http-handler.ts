/**
 * HTTP partner handlers. GET: MO fields as query parameters. POST: JSON body. Both sync kinds read the partner's
 * answer as the reply: a JSON body `{"reply": "text"}` (no/empty `reply`: no answer) when the Content-Type says JSON,
 * otherwise the body as UTF-8 text, trimmed (empty: no answer). httpPostAsync ignores the body: any 2xx means taken,
 * and the partner answers later through the send API with `reference` = the MO id.
 * 5xx, 408, 429, timeouts and network errors are retryable; other 4xx are permanent.
 */
import type { Clock } from '../../protocols/wire/clock';
import { GatewayError } from '../../protocols/wire/errors';
import { moFields, moJson, type HandlerOutcome, type MoDelivery, type PartnerHandler } from './handler';
import type { HttpClient, HttpResponse } from './http-client';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, createSigner } from './signature';

export interface HttpHandlerOptions {
  kind: 'httpGet' | 'httpPost' | 'httpPostAsync';
  url: string;
  timeoutMs: number;
  secret: string;
}

export function createHttpHandler(opts: HttpHandlerOptions, client: HttpClient, clock: Pick<Clock, 'now'>): PartnerHandler {
  const base = new URL(opts.url);
  const sign = createSigner(opts.secret);
  return {
    kind: opts.kind,
    async handle(mo: MoDelivery): Promise<HandlerOutcome> {
      let res: HttpResponse;
      try {
        if (opts.kind === 'httpGet') {
          const url = new URL(base);
          for (const [k, v] of Object.entries(moFields(mo))) {
            if (v !== undefined) url.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
          }
          const query = url.search.startsWith('?') ? url.search.slice(1) : url.search;
          res = await client.request({
            method: 'GET',
            url,
            headers: { [SIGNATURE_HEADER]: sign(query), [TIMESTAMP_HEADER]: String(clock.now()) },
            timeoutMs: opts.timeoutMs,
          });
        } else {
          // Signed and sent as the same UTF-8 string: no Buffer copy of the body on our side.
          const body = moJson(mo);
          res = await client.request({
            method: 'POST',
            url: base,
            headers: {
              'content-type': 'application/json',
              [SIGNATURE_HEADER]: sign(body),
              [TIMESTAMP_HEADER]: String(clock.now()),
            },
            body,
            timeoutMs: opts.timeoutMs,
          });
        }
      } catch (e) {
        const code = e instanceof GatewayError ? e.code : 'NETWORK';
        return { kind: 'failed', retryable: true, error: code };
      }
      return interpret(opts.kind, res);
    },
  };
}

export function interpret(kind: HttpHandlerOptions['kind'], res: HttpResponse): HandlerOutcome {
  const s = res.status;
  if (s < 200 || s >= 300) {
    const retryable = s >= 500 || s === 408 || s === 429 || s === 0;
    return { kind: 'failed', retryable, error: `http_${s}`, status: s };
  }
  if (kind === 'httpPostAsync') return { kind: 'accepted' };
  return parseReply(res);
}

/** Sync answer body -> reply text (see the module comment for the format). */
export function parseReply(res: Pick<HttpResponse, 'contentType' | 'body'>): HandlerOutcome {
  if (res.body.length === 0) return { kind: 'accepted' };
  if (/\bjson\b/i.test(res.contentType)) {
    let v: unknown;
    try {
      v = JSON.parse(res.body.toString('utf8'));
    } catch {
      return { kind: 'failed', retryable: false, error: 'bad_json_reply' };
    }
    if (typeof v === 'object' && v !== null && 'reply' in v) {
      const r = (v as { reply: unknown }).reply;
      if (typeof r === 'string' && r.length > 0) return { kind: 'reply', text: r };
      if (r === null || r === undefined || r === '') return { kind: 'accepted' };
      return { kind: 'failed', retryable: false, error: 'bad_json_reply' };
    }
    return { kind: 'accepted' };
  }
  const text = res.body.toString('utf8').trim();
  return text.length > 0 ? { kind: 'reply', text } : { kind: 'accepted' };
}
