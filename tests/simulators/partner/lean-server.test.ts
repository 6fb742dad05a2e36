import * as net from 'node:net';
import { createHttpHandler } from '../../../gateway/partners/http-handler';
import type { MoDelivery } from '../../../gateway/partners/handler';
import { PipelinedHttpClient } from '../../../gateway/partners/pipelined-client';
import { createSigner } from '../../../gateway/partners/signature';
import { systemClock } from '../../../protocols/wire/clock';
import { startLeanPartner, type LeanPartner } from '../../../simulators/partner/lean-server';

const SECRET = 'lean-secret-0123456789';

function mo(i: number): MoDelivery {
  return { id: String(i), from: '467', to: '4455', text: `joke ${i} ✓`, hex: '', dataCoding: 0, serviceId: 's', partnerId: 'p', operator: 'o', receivedAt: 0, partial: false };
}

/** Sends raw bytes in the given pieces and collects what comes back until the server closes or `until` holds. */
function raw(port: number, pieces: Buffer[], until: (got: string) => boolean, ended?: { byPeer: boolean }): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => {
      s.destroy();
      resolve(got);
    }, 2000);
    s.on('end', () => {
      if (ended) ended.byPeer = true;
    });
    s.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (until(got)) {
        clearTimeout(timer);
        s.destroy();
        resolve(got);
      }
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
    s.on('error', reject);
    s.on('connect', () => {
      for (const p of pieces) s.write(p);
    });
  });
}

function request(body: string, extra = ''): Buffer {
  const b = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`POST /mo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nx-tollgate-signature: ${createSigner(SECRET)(b)}\r\n${extra}Content-Length: ${b.length}\r\n\r\n`, 'latin1'), b]);
}

describe('lean partner (load-test stand-in): pipelined HTTP/1.1, in-order answers, signature checked', () => {
  let sim: LeanPartner;
  beforeEach(async () => {
    sim = await startLeanPartner({ secret: SECRET });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('answers the production handler over the pipelined client, every reply to its own MO, signatures verified', async () => {
    const client = new PipelinedHttpClient({ connections: 2, depth: 16 });
    try {
      const h = createHttpHandler({ kind: 'httpPost', url: sim.url, timeoutMs: 2000, secret: SECRET }, client, systemClock);
      const out = await Promise.all(Array.from({ length: 100 }, (_, i) => h.handle(mo(i))));
      expect(out).toEqual(Array.from({ length: 100 }, (_, i) => ({ kind: 'reply', text: `Re: joke ${i} ✓` })));
      expect(sim.stats).toEqual({ requests: 100, badSignatures: 0, badRequests: 0 });
    } finally {
      client.close();
    }
  });

  it('three pipelined requests split at every byte boundary are answered once each, in order', async () => {
    const all = Buffer.concat([request('{"text":"a"}'), request('{"text":"bb"}'), request('{"text":"ccc"}')]);
    const cuts = [1, 17, all.length >> 1, all.length - 1];
    for (const cut of cuts) {
      const got = await raw(sim.port, [all.subarray(0, cut), all.subarray(cut)], (g) => g.split('HTTP/1.1 200').length === 4);
      expect(got.match(/"reply":"Re: [a-c]+"/g)).toEqual(['"reply":"Re: a"', '"reply":"Re: bb"', '"reply":"Re: ccc"']);
    }
    const byByte = await raw(sim.port, [...all].map((b) => Buffer.from([b])), (g) => g.split('HTTP/1.1 200').length === 4);
    expect(byByte.split('HTTP/1.1 200').length).toBe(4);
    expect(sim.stats.badSignatures).toBe(0);
  });

  it('a bad signature is counted; chunked bodies are refused with 400 and the connection closes after earlier answers', async () => {
    const forged = Buffer.from('POST /mo HTTP/1.1\r\nHost: x\r\nx-tollgate-signature: sha256=00\r\nContent-Length: 2\r\n\r\n{}', 'latin1');
    const chunked = Buffer.from('POST /mo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 'latin1');
    const ended = { byPeer: false };
    const got = await raw(sim.port, [Buffer.concat([forged, chunked])], () => false, ended);
    expect(ended.byPeer).toBe(true);
    expect(got.indexOf('HTTP/1.1 200')).toBe(0);
    expect(got.indexOf('HTTP/1.1 400')).toBeGreaterThan(0);
    expect(sim.stats).toMatchObject({ requests: 1, badSignatures: 1, badRequests: 1 });
  });

  it('Connection: close is answered, then the server closes', async () => {
    const ended = { byPeer: false };
    const got = await raw(sim.port, [request('{"text":"bye"}', 'Connection: close\r\n')], () => false, ended);
    expect(got).toContain('"reply":"Re: bye"');
    expect(ended.byPeer).toBe(true);
    expect(sim.stats.requests).toBe(1);
  });
});
