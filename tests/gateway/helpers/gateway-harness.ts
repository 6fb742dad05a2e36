import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../../../config/load';
import type { FrozenConfig } from '../../../config/load';
import { startDaemon } from '../../../gateway/daemon';
import type { Daemon } from '../../../gateway/daemon';
import { silentLogger } from '../../../gateway/logging';

export interface Harness {
  daemon: Daemon;
  config: FrozenConfig;
  dir: string;
  close(): Promise<void>;
}

/** A config document with test defaults: ephemeral ports on loopback, a temp data dir, quiet logs. */
export function testConfig(dir: string, over: Record<string, unknown>): FrozenConfig {
  const raw = {
    node: { id: 't', dataDir: dir },
    store: { synchronous: 'NORMAL', groupCommitMaxDelayMs: 0 },
    admin: { host: '127.0.0.1', port: 0 },
    log: { level: 'error' },
    smppServer: { host: '127.0.0.1', port: 0, enquireLinkIntervalMs: 30000 },
    retry: { maxAttempts: 5, backoffMinMs: 50, backoffMaxMs: 200 },
    ...over,
  };
  const r = validateConfig(raw);
  if (!r.ok) throw new Error(`test config invalid:\n${r.issues.join('\n')}`);
  return r.config;
}

export function smppConnector(id: string, port: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    protocol: 'smpp',
    host: '127.0.0.1',
    port,
    systemId: 'gw',
    password: 'gwpass',
    reconnectMinMs: 50,
    reconnectMaxMs: 200,
    responseTimeoutMs: 2000,
    ...extra,
  };
}

export async function startHarness(over: Record<string, unknown>, configPath?: string): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-gw-'));
  const config = testConfig(dir, over);
  const daemon = await startDaemon({ config, logger: silentLogger, ...(configPath ? { configPath } : {}) });
  return {
    daemon,
    config,
    dir,
    close: async () => {
      await daemon.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP port nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Polls `cond` every 10 ms until it holds or `ms` passes. */
export async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
