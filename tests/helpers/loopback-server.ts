import type { Observable } from 'rxjs';
import { RawWire } from '../protocols/ucp/loopback';

/** What a protocol server offers a test: UcpServer, Cimd2Server (both SessionListener). */
export interface TestListener<S> {
  readonly sessions$: Observable<S>;
  listen(): Promise<{ port: number }>;
  close(): Promise<void>;
}

export interface LoopbackServer<S> {
  readonly port: number;
  /** A raw connection opened before each test. */
  readonly wire: RawWire;
  /** Server sessions of this test, in accept order. */
  readonly sessions: S[];
  /** Sends `hello` on the wire and expects exactly `ack` back. */
  login(hello: string, ack: string): Promise<RawWire>;
}

/**
 * Registers beforeEach/afterEach that start a fresh server on 127.0.0.1 port 0 with one raw connection to it, and
 * destroy the connection and close the server after the test. `onSession` sees each accepted session.
 */
export function loopbackServer<S>(make: () => TestListener<S>, onSession: (s: S) => void = () => undefined): LoopbackServer<S> {
  let server: TestListener<S> | undefined;
  let port = 0;
  let wire: RawWire | undefined;
  let sessions: S[] = [];

  beforeEach(async () => {
    sessions = [];
    const srv = make();
    server = srv;
    srv.sessions$.subscribe((s) => {
      sessions.push(s);
      onSession(s);
    });
    port = (await srv.listen()).port;
    wire = await RawWire.connect(port);
  });

  afterEach(async () => {
    wire?.destroy();
    await server?.close();
    wire = server = undefined;
  });

  return {
    get port() {
      return port;
    },
    get wire() {
      if (!wire) throw new Error('no wire outside a test');
      return wire;
    },
    get sessions() {
      return sessions;
    },
    async login(hello, ack) {
      const w = this.wire;
      w.send(hello);
      expect(await w.next()).toBe(ack);
      return w;
    },
  };
}
