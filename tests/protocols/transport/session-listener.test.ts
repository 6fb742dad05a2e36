import * as net from 'node:net';
import { SessionListener } from '../../../protocols/transport/session-listener';

/** A stand-in session: ends when its socket closes; close() ends the socket. */
class FakeSession {
  readonly ended: Promise<void>;
  closeCalls = 0;
  constructor(readonly socket: net.Socket) {
    socket.on('error', () => undefined);
    this.ended = new Promise((r) => socket.once('close', () => r()));
  }
  async close(): Promise<void> {
    this.closeCalls++;
    this.socket.end();
    await this.ended;
  }
}

function listener(port = 0): SessionListener<FakeSession> {
  return new SessionListener<FakeSession>({ port, accept: (socket) => new FakeSession(socket), ended: (s) => s.ended });
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

const open: Array<{ close(): Promise<void> } | net.Socket> = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    if (o instanceof net.Socket) o.destroy();
    else await o.close();
  }
});

describe('SessionListener', () => {
  it('emits each accepted connection as a session, tracks it until it ends', async () => {
    const l = listener();
    const seen: FakeSession[] = [];
    l.sessions$.subscribe((s) => seen.push(s));
    const { port } = await l.listen();
    open.push(l);
    expect(port).toBeGreaterThan(0);
    const c = await connect(port);
    open.push(c);
    for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setImmediate(r));
    expect(seen).toHaveLength(1);
    expect(l.sessions.has(seen[0]!)).toBe(true);
    c.destroy();
    await seen[0]!.ended;
    await new Promise((r) => setImmediate(r));
    expect(l.sessions.size).toBe(0);
  });

  it('close() closes every live session, completes sessions$ and stops listening', async () => {
    const l = listener();
    const seen: FakeSession[] = [];
    let completed = false;
    l.sessions$.subscribe({ next: (s) => seen.push(s), complete: () => (completed = true) });
    const { port } = await l.listen();
    const c1 = await connect(port);
    const c2 = await connect(port);
    open.push(c1, c2);
    for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setImmediate(r));
    expect(seen).toHaveLength(2);
    await l.close();
    expect(seen.map((s) => s.closeCalls)).toEqual([1, 1]);
    expect(completed).toBe(true);
    await expect(connect(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('listen() rejects when the port is taken', async () => {
    const first = listener();
    const { port } = await first.listen();
    open.push(first);
    const second = listener(port);
    await expect(second.listen()).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
