/**
 * Admin HTTP routes for dead-lettered MOs (mounted on the admin port through the daemon's `adminExtra`):
 *   GET  /admin/mo/dead-letters[?partner=&after=&limit=]   list (JSON array, oldest first)
 *   POST /admin/mo/dead-letters/{moId}/replay              one MO now (404 when unknown)
 *   POST /admin/mo/dead-letters/replay-all[?partner=]      every dead letter (of one partner)
 * Returns false for any other path so the caller can answer it.
 */
import type * as http from 'node:http';
import type { MessageId } from '../../routing/message';
import type { MoDeliveryRecord } from '../../routing/mo-ports';

export interface DeadLetterOps {
  listDeadLetters(filter: { partnerId?: string; limit: number; afterMoId?: MessageId }): Promise<MoDeliveryRecord[]>;
  replay(moId: MessageId): Promise<boolean>;
  replayAll(partnerId?: string): Promise<number>;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

export function createDeadLetterAdmin(ops: DeadLetterOps): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    if (!p.startsWith('/admin/mo/dead-letters')) return false;
    const fail = (): void => json(res, 500, { error: 'system_error' });
    if (p === '/admin/mo/dead-letters' && req.method === 'GET') {
      const filter: { partnerId?: string; limit: number; afterMoId?: MessageId } = {
        limit: Math.min(1000, Math.max(1, Number(url.searchParams.get('limit') ?? 100) || 100)),
      };
      const partner = url.searchParams.get('partner');
      const after = url.searchParams.get('after');
      if (partner) filter.partnerId = partner;
      if (after) filter.afterMoId = after;
      ops.listDeadLetters(filter).then((list) => json(res, 200, list), fail);
      return true;
    }
    if (p === '/admin/mo/dead-letters/replay-all' && req.method === 'POST') {
      ops.replayAll(url.searchParams.get('partner') ?? undefined).then((n) => json(res, 200, { replayed: n }), fail);
      return true;
    }
    const m = /^\/admin\/mo\/dead-letters\/([0-9]{1,20})\/replay$/.exec(p);
    if (m && req.method === 'POST') {
      ops.replay(m[1]!).then((ok) => json(res, ok ? 200 : 404, ok ? { replayed: 1 } : { error: 'not_found' }), fail);
      return true;
    }
    json(res, 404, { error: 'not_found' });
    return true;
  };
}
