/**
 * bench:mo child: the gateway (daemon + MO runtime) with a durable store (synchronous FULL), one SMPP connector to the
 * simulator, one HTTP POST sync service to the partner simulator.
 * argv: smscPort partnerUrl dataDir secret commitDelayMs synchronous(FULL|NORMAL) pipelineDepth.
 */
import { validateConfig } from '../config/load';
import { MoConfigSchema } from '../config/mo-schema';
import { startDaemon } from '../gateway/daemon';
import { silentLogger } from '../gateway/logging';
import { startMoRuntime } from '../gateway/mo/mo-runtime';
import { moObserverFromMetrics } from '../gateway/mo/metrics-observer';
import type { MoObserver } from '../gateway/mo/observer';
import { send, type GatewayStats, type ToChild } from './mo-ipc';

async function main(): Promise<void> {
  const [smscPort, partnerUrl, dataDir, secret, commitDelayMs, synchronous, pipelineDepth] = process.argv.slice(2) as [string, string, string, string, string, string, string];
  const cfg = validateConfig({
    node: { id: 'bench', dataDir },
    store: { synchronous: synchronous === 'NORMAL' ? 'NORMAL' : 'FULL', groupCommitMaxDelayMs: Number(commitDelayMs) },
    admin: { host: '127.0.0.1', port: 0 },
    log: { level: 'error' },
    smppServer: { host: '127.0.0.1', port: 0 },
    connectors: [{ id: 'opA', protocol: 'smpp', host: '127.0.0.1', port: Number(smscPort), systemId: 'gw', password: 'gwpass', windowSize: 2000, responseTimeoutMs: 30_000 }],
    partners: [{ id: 'acme' }],
    routes: [{ id: 'all', prefix: '', targets: ['opA'] }],
  });
  if (!cfg.ok) throw new Error(cfg.issues.join('\n'));
  const daemon = await startDaemon({ config: cfg.config, logger: silentLogger });
  const latencies: number[] = [];
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  // The production observer (tollgate_mo_* metrics), so the figure includes its cost, plus what the bench reports.
  const base = moObserverFromMetrics(daemon.metrics);
  const counts = { replyOk: 0, replyFailed: 0, dead: 0 };
  const obs: MoObserver = {
    ...base,
    handled(s, o, handlerMs, sinceMs, p, c) {
      base.handled(s, o, handlerMs, sinceMs, p, c);
      latencies.push(sinceMs);
    },
    replySubmitted(s, ok) {
      base.replySubmitted(s, ok);
      if (ok) counts.replyOk++;
      else counts.replyFailed++;
    },
    deadLettered(p) {
      base.deadLettered(p);
      counts.dead++;
    },
  };
  const mo = await startMoRuntime({
    host: daemon,
    config: MoConfigSchema.parse({
      services: [{ id: 'jokes', shortNumber: '4455', keyword: 'JOKE', partner: 'acme', handler: { kind: 'httpPost', url: partnerUrl, timeoutMs: 10_000, concurrency: 512, maxQueued: 1_000_000, pipelineDepth: Number(pipelineDepth) } }],
      partnerHttp: [{ partner: 'acme', secret }],
      sendApi: { port: 0 },
    }),
    database: cfg.config.store.path,
    synchronous: synchronous === 'NORMAL' ? 'NORMAL' : 'FULL',
    credentials: [],
    observer: obs,
  });
  const commitsNow = (): GatewayStats['commits'] => {
    const c = daemon.store.commitStats();
    return { transactions: c.transactions, ops: c.ops, syncs: c.syncs, syncMs: c.syncMs };
  };
  send({ ev: 'ready' });
  process.on('message', (m: ToChild) => {
    if (m.cmd === 'stats') {
      const u = process.cpuUsage();
      void daemon.store.unfinished('mo', 100_000).then((rows) =>
        send({
          ev: 'stats',
          gateway: { latenciesMs: latencies, replies: counts.replyOk, replyFailures: counts.replyFailed, dead: counts.dead, cpuUs: u.user + u.system, peakRssBytes: peakRss, unfinishedMo: rows.length, commits: commitsNow() },
        }),
      );
    }
    if (m.cmd === 'stop') {
      clearInterval(rssTimer);
      void mo
        .close()
        .then(() => daemon.stop())
        .then(() => process.exit(0));
    }
  });
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
