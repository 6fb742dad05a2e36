import { backoffDelayMs } from '../../../gateway/partners/backoff';
import { interpret, parseReply } from '../../../gateway/partners/http-handler';
import { Limiter } from '../../../gateway/partners/limiter';
import { signContent, verifySignature } from '../../../gateway/partners/signature';
import { WindowFullError } from '../../../protocols/wire/errors';

describe('parseReply', () => {
  const cases: { name: string; ct: string; body: string; out: unknown }[] = [
    { name: 'json reply', ct: 'application/json', body: '{"reply":"Hello"}', out: { kind: 'reply', text: 'Hello' } },
    { name: 'json with charset', ct: 'application/json; charset=utf-8', body: '{"reply":"Hé"}', out: { kind: 'reply', text: 'Hé' } },
    { name: 'json empty reply', ct: 'application/json', body: '{"reply":""}', out: { kind: 'accepted' } },
    { name: 'json null reply', ct: 'application/json', body: '{"reply":null}', out: { kind: 'accepted' } },
    { name: 'json without reply', ct: 'application/json', body: '{"ok":true}', out: { kind: 'accepted' } },
    { name: 'json non-string reply', ct: 'application/json', body: '{"reply":5}', out: { kind: 'failed', retryable: false, error: 'bad_json_reply' } },
    { name: 'bad json', ct: 'application/json', body: '{', out: { kind: 'failed', retryable: false, error: 'bad_json_reply' } },
    { name: 'text', ct: 'text/plain', body: '  Your joke \n', out: { kind: 'reply', text: 'Your joke' } },
    { name: 'no content type', ct: '', body: 'x', out: { kind: 'reply', text: 'x' } },
    { name: 'empty body', ct: 'text/plain', body: '', out: { kind: 'accepted' } },
    { name: 'whitespace body', ct: 'text/plain', body: ' \n', out: { kind: 'accepted' } },
  ];
  for (const c of cases) {
    it(c.name, () => expect(parseReply({ contentType: c.ct, body: Buffer.from(c.body) })).toEqual(c.out));
  }
});

describe('interpret', () => {
  it.each([
    [500, true],
    [503, true],
    [429, true],
    [408, true],
    [400, false],
    [404, false],
  ])('status %i retryable=%p', (status, retryable) => {
    expect(interpret('httpPost', { status, contentType: '', body: Buffer.alloc(0) })).toMatchObject({ kind: 'failed', retryable, status });
  });
  it('async ignores the body of a 2xx', () => {
    expect(interpret('httpPostAsync', { status: 202, contentType: 'text/plain', body: Buffer.from('x') })).toEqual({ kind: 'accepted' });
  });
});

describe('signature', () => {
  it('matches a known HMAC-SHA256 vector (RFC 4231 case 2)', () => {
    expect(signContent('Jefe', 'what do ya want for nothing?')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
  it('verifies and refuses', () => {
    const sig = signContent('k', Buffer.from('body'));
    expect(verifySignature('k', Buffer.from('body'), sig)).toBe(true);
    expect(verifySignature('k', Buffer.from('body!'), sig)).toBe(false);
    expect(verifySignature('other', Buffer.from('body'), sig)).toBe(false);
    expect(verifySignature('k', Buffer.from('body'), undefined)).toBe(false);
    expect(verifySignature('k', Buffer.from('body'), sig.slice(0, -1))).toBe(false);
  });
});

describe('backoff', () => {
  it('grows exponentially within [base/2, base] and is capped', () => {
    const p = { retries: 10, backoffMinMs: 100, backoffMaxMs: 1000 };
    expect(backoffDelayMs(p, 0, () => 0)).toBe(50);
    expect(backoffDelayMs(p, 0, () => 1)).toBe(100);
    expect(backoffDelayMs(p, 2, () => 1)).toBe(400);
    expect(backoffDelayMs(p, 10, () => 1)).toBe(1000);
    expect(backoffDelayMs(p, 100, () => 0.5)).toBe(750);
  });
});

describe('Limiter', () => {
  it('hands slots in order and bounds the queue', async () => {
    const l = new Limiter(2, 2);
    await l.acquire();
    await l.acquire();
    const order: number[] = [];
    const a = l.acquire().then(() => order.push(1));
    const b = l.acquire().then(() => order.push(2));
    await expect(l.acquire()).rejects.toBeInstanceOf(WindowFullError);
    expect(l.queued).toBe(2);
    l.release();
    l.release();
    await Promise.all([a, b]);
    expect(order).toEqual([1, 2]);
    expect(l.inUse).toBe(2);
    l.release();
    l.release();
    expect(l.inUse).toBe(0);
  });
});

describe('Limiter.tryAcquire', () => {
  it('takes a free slot synchronously, refuses when full or when others wait, and shares the count with acquire', async () => {
    const l = new Limiter(2, 4);
    expect(l.tryAcquire()).toBe(true);
    await l.acquire();
    expect(l.inUse).toBe(2);
    expect(l.tryAcquire()).toBe(false);
    const waiting = l.acquire();
    expect(l.queued).toBe(1);
    l.release(); // the slot passes to the waiter, not to a later tryAcquire
    await waiting;
    expect(l.tryAcquire()).toBe(false);
    l.release();
    expect(l.tryAcquire()).toBe(true);
    l.release();
    l.release();
    expect(l.inUse).toBe(0);
  });
});
