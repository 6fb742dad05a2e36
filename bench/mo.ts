/**
 * `npm run bench:mo [-- --json] [--count N] [--window W] [--pipeline D] [--commit-delay-ms M] [--sync FULL|NORMAL]
 *  [--partner node|lean] [--profile mo-gateway.ts|mo-smsc.ts|mo-partner.ts] [--profile-dir DIR]`: MO traffic from the SMPP simulator through the gateway
 * to the partner simulator (HTTP POST, sync JSON reply) and the reply MT back to the simulator; each in its own
 * process. Prints MO/s (injected -> every reply MT back at the simulator), p50/p99 from MO arrival at the gateway to
 * the partner's answer, reply MTs submitted, CPU per process. `--json`: one JSON object on the last line (`mo_per_s`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasFlag, machineInfo, percentile, printJsonLast, printTable } from './lib/report';
import type { FromChild, GatewayStats, SmscStats, ToChild } from './mo-ipc';
import { BENCH_ROOT, tsScript } from './lib/session-bench';

const ROOT = BENCH_ROOT;
const SECRET = 'bench-secret-0123456789';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

function argStr(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
}

function start(file: string, args: string[]): ChildProcess {
  const prof = argStr('profile', '') === file ? ['--cpu-prof', `--cpu-prof-dir=${argStr('profile-dir', tmpdir())}`] : [];
  const [runner, ...rest] = tsScript(join('bench', file), ...args);
  // The gateway runs with the daemon's launch flag (bin/tollgate, npm start, Dockerfile).
  const flags = file === 'mo-gateway.ts' ? ['--max-semi-space-size=32', ...prof] : prof;
  return fork(runner!, rest, { execArgv: flags, cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function next<T extends FromChild['ev']>(child: ChildProcess, ev: T, timeoutMs: number): Promise<Extract<FromChild, { ev: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${ev}' from child within ${timeoutMs} ms`)), timeoutMs);
    const on = (m: FromChild): void => {
      if (m.ev !== ev) return;
      clearTimeout(timer);
      child.off('message', on);
      resolve(m as Extract<FromChild, { ev: T }>);
    };
    child.on('message', on);
    const onExit = (code: number | null): void => reject(new Error(`child exited (${code}) before '${ev}'`));
    child.once('exit', onExit);
    // Drop the exit listener once answered, so many requests do not pile listeners up.
    const clear = (): void => void child.off('exit', onExit);
    child.once('message', clear);
  });
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

const tell = (c: ChildProcess, m: ToChild): void => void c.send(m);

async function waitFor(cond: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function main(): Promise<void> {
  const count = arg('count', 100_000);
  const window = arg('window', 900);
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-bench-mo-'));
  const children: ChildProcess[] = [];
  try {
    const partnerKind = argStr('partner', 'node') === 'lean' ? 'lean' : 'node';
    const partner = start('mo-partner.ts', [SECRET, partnerKind]);
    children.push(partner);
    const smsc = start('mo-smsc.ts', []);
    children.push(smsc);
    const [p, s] = await Promise.all([next(partner, 'ready', 30_000), next(smsc, 'ready', 30_000)]);
    const sync = argStr('sync', 'FULL') === 'NORMAL' ? 'NORMAL' : 'FULL';
    const gw = start('mo-gateway.ts', [
      String(s.port),
      `http://127.0.0.1:${p.port}/mo`,
      dir,
      SECRET,
      String(arg('commit-delay-ms', 0)),
      sync,
      String(arg('pipeline', 64)),
    ]);
    children.push(gw);
    await next(gw, 'ready', 30_000);
    // The gateway binds to the simulator shortly after start.
    await new Promise((r) => setTimeout(r, 500));

    // Warm-up (JIT, sockets), not measured.
    tell(smsc, { cmd: 'inject', count: 2000, window });
    await next(smsc, 'injected', 60_000);
    const smscStats = async (): Promise<SmscStats> => {
      const pr = next(smsc, 'stats', 10_000);
      tell(smsc, { cmd: 'stats' });
      return (await pr).smsc!;
    };
    const gwStats = async (): Promise<GatewayStats> => {
      const pr = next(gw, 'stats', 30_000);
      tell(gw, { cmd: 'stats' });
      return (await pr).gateway!;
    };
    await waitFor(async () => (await smscStats()).replySubmits >= 2000, 30_000);
    const base = await smscStats();
    const baseGw = await gwStats();
    const pBase = await (async () => {
      const pr = next(partner, 'stats', 10_000);
      tell(partner, { cmd: 'stats' });
      return pr;
    })();

    const t0 = Date.now();
    tell(smsc, { cmd: 'inject', count, window });
    const inj = (await next(smsc, 'injected', 600_000)).stats;
    const allBack = await waitFor(async () => (await smscStats()).replySubmits - base.replySubmits >= count, 120_000);
    const end = await smscStats();
    const g = await gwStats();
    const pr = next(partner, 'stats', 10_000);
    tell(partner, { cmd: 'stats' });
    const pEnd = await pr;

    const replies = end.replySubmits - base.replySubmits;
    const elapsedS = ((allBack ? end.lastSubmitAt : Date.now()) - t0) / 1000;
    const acceptS = (inj.lastAckAt - t0) / 1000;
    const lat = g.latenciesMs.slice(baseGw.latenciesMs.length);
    const m = machineInfo();
    const result = {
      mo: count,
      mo_acked: inj.acked - base.acked,
      mo_nacked: inj.nacked - base.nacked,
      nack_reasons: inj.nackReasons,
      reply_mts_submitted: replies,
      partner_requests: (pEnd.partnerRequests ?? 0) - (pBase.partnerRequests ?? 0),
      elapsed_s: elapsedS,
      mo_per_s: Math.round(replies / elapsedS),
      mo_accept_per_s: Math.round((inj.acked - base.acked) / acceptS),
      p50_ms: percentile(lat, 50),
      p99_ms: percentile(lat, 99),
      dead_letters: g.dead - baseGw.dead,
      gateway_cpu_s: (g.cpuUs - baseGw.cpuUs) / 1e6,
      smsc_cpu_s: (end.cpuUs - base.cpuUs) / 1e6,
      partner_cpu_s: ((pEnd.partnerCpuUs ?? 0) - (pBase.partnerCpuUs ?? 0)) / 1e6,
      gateway_peak_rss_mb: Math.round(g.peakRssBytes / 1e6),
      unfinished_mo_after: g.unfinishedMo,
      store_ops_per_mo: round2((g.commits.ops - baseGw.commits.ops) / count),
      store_ops_per_txn: round2((g.commits.ops - baseGw.commits.ops) / Math.max(1, g.commits.transactions - baseGw.commits.transactions)),
      store_sync_avg_ms: round2((g.commits.syncMs - baseGw.commits.syncMs) / Math.max(1, g.commits.syncs - baseGw.commits.syncs)),
      store: `sqlite WAL synchronous=${sync} (group commit)`,
      pipeline_depth: arg('pipeline', 64),
      partner: partnerKind === 'lean' ? 'lean (simulators/partner/lean-server.ts)' : 'partner simulator (node:http)',
      all_replies_back: allBack,
      cpu: m.cpu,
      cores: m.cores,
      node: m.node,
    };
    process.stdout.write(`machine: ${m.cpu}, ${m.cores} cores, node ${m.node}, ${m.platform}\n`);
    printTable([
      { metric: 'MOs injected (SMPP deliver_sm)', value: count },
      { metric: 'MOs acknowledged (stored)', value: result.mo_acked },
      { metric: 'MOs refused (temporary error)', value: `${result.mo_nacked} ${JSON.stringify(result.nack_reasons)}` },
      { metric: 'reply MTs submitted to the SMSC', value: replies },
      { metric: 'partner HTTP requests', value: result.partner_requests },
      { metric: 'MO/s end to end (with replies)', value: result.mo_per_s },
      { metric: 'MO/s accepted', value: result.mo_accept_per_s },
      { metric: 'p50 MO arrival -> partner answered (ms)', value: result.p50_ms },
      { metric: 'p99 MO arrival -> partner answered (ms)', value: result.p99_ms },
      { metric: 'dead letters', value: result.dead_letters },
      { metric: 'gateway CPU (s)', value: result.gateway_cpu_s },
      { metric: 'SMSC simulator CPU (s)', value: result.smsc_cpu_s },
      { metric: `partner CPU (s), ${result.partner}`, value: result.partner_cpu_s },
      { metric: 'gateway peak RSS (MB)', value: result.gateway_peak_rss_mb },
      { metric: 'unfinished MOs in the store after', value: result.unfinished_mo_after },
      { metric: 'store ops per MO (all writes and reads)', value: result.store_ops_per_mo },
      { metric: 'store ops per transaction', value: result.store_ops_per_txn },
      { metric: 'store fsync average (ms)', value: result.store_sync_avg_ms },
    ]);
    if (hasFlag('json')) printJsonLast(result);
    for (const c of [gw, smsc, partner]) tell(c, { cmd: 'stop' });
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
