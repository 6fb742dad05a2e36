import { ucs2Decode } from '../../../protocols/wire/ucs2';
import { mkMo } from '../mo/helpers';
import { KEY_ACME, KEY_BETA, call, jsonHeaders, startApi, type ApiRig } from './send-api-rig';

describe('send API', () => {
  let api: ApiRig;
  beforeEach(async () => {
    api = await startApi();
  });
  afterEach(async () => {
    await api.close();
  });

  const post = (body: unknown, headers = jsonHeaders()) => call(api.url, 'POST', '/v1/messages', { headers, body: JSON.stringify(body) });

  it('POST /v1/messages: 202 with our id; the message is stored before the answer', async () => {
    const r = await post({ from: '4455', to: '+46700000001', text: 'Hello Привет', callbackUrl: 'http://127.0.0.1:1/cb' });
    expect(r.status).toBe(202);
    const id = (r.json as { id: string }).id;
    expect(r.json).toEqual({ id, status: 'accepted' });
    const m = api.store.rows.get(id)!;
    expect(m).toMatchObject({ direction: 'mt', partnerId: 'acme', dataCoding: 8, registeredDelivery: 1, state: 'accepted' });
    expect(m.source.addr).toBe('4455');
    expect(m.destination).toEqual({ addr: '46700000001', ton: 1, npi: 1 });
    expect(ucs2Decode(m.body)).toBe('Hello Привет');
    expect((await api.apiMessages.get(id))?.callbackUrl).toBe('http://127.0.0.1:1/cb');
  });

  it('hex body with a data coding, default sender, long text split into parts', async () => {
    const r1 = await post({ to: '46700000001', hex: '0102ff', dataCoding: 4 });
    expect(r1.status).toBe(202);
    const m1 = api.store.rows.get((r1.json as { id: string }).id)!;
    expect(m1.body.toString('hex')).toBe('0102ff');
    expect(m1.source).toEqual({ addr: 'ACME', ton: 5, npi: 0 });
    const r2 = await post({ to: '46700000001', text: 'a'.repeat(300) });
    const m2 = api.store.rows.get((r2.json as { id: string }).id)!;
    expect(m2.parts).toHaveLength(2);
  });

  it('400 lists every field problem', async () => {
    const r = await post({ to: 'abc', text: 'x', hex: 'zz', callbackUrl: 'ftp://x', extra: 1 });
    expect(r.status).toBe(400);
    const fields = [...new Set((r.json as { errors: { field: string }[] }).errors.map((e) => e.field))].sort();
    expect(fields).toEqual(['callbackUrl', 'dataCoding', 'extra', 'hex', 'to']);
    const r2 = await post({});
    expect((r2.json as { errors: { field: string; message: string }[] }).errors).toEqual(
      expect.arrayContaining([{ field: 'to', message: 'required' }, expect.objectContaining({ field: 'text' })]),
    );
    const r3 = await call(api.url, 'POST', '/v1/messages', { headers: jsonHeaders(), body: '{nope' });
    expect(r3.status).toBe(400);
    const r4 = await post({ to: '46700000001', text: 'x' }, jsonHeaders(KEY_BETA));
    expect((r4.json as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['from']);
  });

  it('authentication: API key, basic auth with SMPP or API-key credentials; 401 otherwise', async () => {
    const body = JSON.stringify({ from: '1', to: '46700000001', text: 'x' });
    const basic = (u: string, p: string) => ({ 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
    expect((await call(api.url, 'POST', '/v1/messages', { headers: basic('acmesys', 'pw1'), body })).status).toBe(202);
    expect((await call(api.url, 'POST', '/v1/messages', { headers: basic('beta', KEY_BETA), body })).status).toBe(202);
    expect((await call(api.url, 'POST', '/v1/messages', { headers: basic('acmesys', 'nope'), body })).status).toBe(401);
    expect((await call(api.url, 'POST', '/v1/messages', { headers: jsonHeaders('wrong-key-0123456789'), body })).status).toBe(401);
    expect((await call(api.url, 'POST', '/v1/messages', { headers: { 'content-type': 'application/json' }, body })).status).toBe(401);
    expect(api.submitted).toHaveLength(2);
  });

  it('idempotency key: same key within 24 h returns the first id and sends nothing twice', async () => {
    const body = { from: '1', to: '46700000001', text: 'once', idempotencyKey: 'k-1' };
    const [a, b] = await Promise.all([post(body), post(body)]);
    const c = await post(body);
    const d = await call(api.url, 'POST', '/v1/messages', { headers: { ...jsonHeaders(), 'idempotency-key': 'k-1' }, body: JSON.stringify({ from: '1', to: '46700000001', text: 'once' }) });
    const ids = [a, b, c, d].map((r) => (r.json as { id: string }).id);
    expect(new Set(ids).size).toBe(1);
    expect([a, b, c, d].map((r) => r.status).sort()).toEqual([200, 200, 200, 202]);
    expect(api.submitted).toHaveLength(1);
    // Another partner's identical key is its own.
    expect((await post(body, jsonHeaders(KEY_BETA))).status).toBe(202);
    api.clock.advance(24 * 3600_000);
    const e = await post(body);
    expect(e.status).toBe(202);
    expect((e.json as { id: string }).id).not.toBe(ids[0]);
  });

  it('a rejected submit answers its status and frees the idempotency key', async () => {
    api.reject = { code: 'no_route', reason: 'no route for 999' };
    const body = { from: '1', to: '99900000001', text: 'x', idempotencyKey: 'k-2' };
    const r = await post(body);
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ error: 'no_route' });
    api.reject = undefined;
    expect((await post(body)).status).toBe(202);
  });

  it('GET /v1/messages/{id}: lifecycle for the owner, 404 for others', async () => {
    const r = await post({ from: '1', to: '46700000001', text: 'x' });
    const id = (r.json as { id: string }).id;
    await api.store.update(id, { state: 'delivered', updatedAt: api.clock.now() + 1000 });
    const g = await call(api.url, 'GET', `/v1/messages/${id}`, { headers: { 'x-api-key': KEY_ACME } });
    expect(g.status).toBe(200);
    expect(g.json).toMatchObject({ id, state: 'delivered', from: '1', to: '46700000001', parts: [{ seq: 1, state: 'accepted', smscMessageId: null }] });
    expect((await call(api.url, 'GET', `/v1/messages/${id}`, { headers: { 'x-api-key': KEY_BETA } })).status).toBe(404);
    expect((await call(api.url, 'GET', '/v1/messages/999999', { headers: { 'x-api-key': KEY_ACME } })).status).toBe(404);
  });

  it('reference: an async reply to this partner MO is linked; unknown or foreign MO ids are refused', async () => {
    const mo = mkMo({ body: Buffer.from('hi') });
    mo.id = api.store.nextId();
    mo.partnerId = 'acme';
    await api.store.insert(mo);
    const ok = await post({ from: '4455', to: '46700000001', text: 'answer', reference: mo.id });
    expect(ok.status).toBe(202);
    const id = (ok.json as { id: string }).id;
    expect((await api.apiMessages.byMoRef(mo.id)).map((x) => x.messageId)).toEqual([id]);
    expect(api.store.rows.get(id)!.partnerRef).toBe(mo.id);
    const bad = await post({ from: '4455', to: '46700000001', text: 'answer', reference: mo.id }, jsonHeaders(KEY_BETA));
    expect((bad.json as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['reference']);
  });

  it('sendsms form: Kannel-style answers', async () => {
    const q = (s: string) => call(api.url, 'GET', `/sendsms?${s}`);
    const ok = await q('username=acmesys&password=pw1&to=46700000001&text=Hello+world&from=4455');
    expect(ok.status).toBe(202);
    expect(ok.body).toBe('0: Accepted for delivery');
    const id = String(ok.headers['x-message-id']);
    expect(api.store.rows.get(id)!.body.toString()).toBe('Hello world');
    expect((await q('username=acmesys&password=bad&to=46700000001&text=x')).status).toBe(403);
    expect((await q('username=acmesys&password=pw1&text=x')).status).toBe(400);
    expect((await q('username=acme&password=' + KEY_ACME + '&to=46700000001&text=x')).status).toBe(202);
  });

  it('413 above the body limit, 404 and 405 elsewhere', async () => {
    expect((await post({ from: '1', to: '46700000001', text: 'x'.repeat(5000) })).status).toBe(413);
    expect((await call(api.url, 'GET', '/nope')).status).toBe(404);
    expect((await call(api.url, 'GET', '/v1/messages', { headers: { 'x-api-key': KEY_ACME } })).status).toBe(405);
  });
});
