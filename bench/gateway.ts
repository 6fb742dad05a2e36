/**
 * End-to-end gateway benchmark: partner SMPP client (this process) -> gateway (child process, temp data dir, store
 * synchronous FULL) -> SMPP simulator with receipts (child process) -> receipts back to the partner.
 *
 *   npm run bench:gateway [-- --seconds 60] [-- --warmup 3] [-- --window 500] [-- --binds 1] [-- --rate N] [-- --sync NORMAL]
 *     [-- --commit-delay-ms 0] [-- --commit-max-batch 2000] [-- --store-worker false] [-- --connector-binds 2] [-- --node-flags "--max-semi-space-size=32"] [-- --cpu-prof] [-- --json]
 *
 * Without --rate the partner keeps its window full (throughput; latency is then window / rate by Little's law).
 * With --rate N it offers N submits/s, which shows the accept latency below saturation.
 * Prints end-to-end msg/s (receipted messages per second), accept latency (submit -> submit_sm_resp at the partner)
 * and submit-to-receipt latency, gateway CPU and peak RSS, and the store's state after a graceful stop.
 */
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { connectClient } from '../protocols/smpp/client-session';
import { Tlv } from '../protocols/smpp/constants';
import { getTlv } from '../protocols/smpp/pdu';
import type { SubmitSm } from '../protocols/smpp/pdu';
import type { SmppSession } from '../protocols/smpp/session';
import { exited, spawnUntil } from './lib/child';
import { flagValue, hasFlag, machineInfo, percentile, printJsonLast, printMachine, printTable } from './lib/report';
import { benchSubmitSm } from './lib/smpp-submit';
import { BENCH_ROOT, tsScript } from './lib/session-bench';

const ROOT = BENCH_ROOT;
const seconds = Number(flagValue('seconds') ?? 60);
const window = Number(flagValue('window') ?? 500);
const binds = Number(flagValue('binds') ?? 1);
const connectorBinds = Number(flagValue('connector-binds') ?? 2);
const drainSeconds = 30;
/** Seconds of traffic before the measured run: JIT warm-up, first binds and the store's first pages are not counted. */
const warmupSeconds = Number(flagValue('warmup') ?? 3);
const synchronous = flagValue('sync') === 'NORMAL' ? 'NORMAL' : 'FULL';
const commitMaxBatch = Number(flagValue('commit-max-batch') ?? 2000);
const commitDelayMs = Number(flagValue('commit-delay-ms') ?? 0);
/** --store-worker false runs the store's statements on the gateway's main thread. */
const storeWorker = flagValue('store-worker') !== 'false';
const cpuProf = hasFlag('cpu-prof');
const offeredRate = Number(flagValue('rate') ?? 0);
/** Copies the gateway's stdout (JSON logs, --trace-gc output...) to this file. */
const gatewayLogFile = flagValue('gateway-log');
const json = hasFlag('json');
/** The daemon's own launch flags (bin/tollgate, npm start, Dockerfile); --node-flags replaces them. */
const DAEMON_NODE_FLAGS = '--max-semi-space-size=32';

function getText(port: number, path: string): Promise<string> {
  return new Promise((res, rej) => {
    http
      .get({ host: '127.0.0.1', port, path }, (r) => {
        let body = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (body += c));
        r.on('end', () => res(body));
      })
      .on('error', rej);
  });
}

function getJson(port: number, path: string): Promise<Record<string, unknown>> {
  return getText(port, path).then((body) => JSON.parse(body) as Record<string, unknown>);
}

/** Cumulative bucket counts of one histogram series in a /metrics text, by upper bound. */
function buckets(text: string, name: string, labels: string): Map<number, number> {
  const out = new Map<number, number>();
  const re = new RegExp(`^${name}_bucket\\{le="([^"]+)",${labels}\\} (\\S+)$`, 'gm');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]));
  return out;
}

/** Percentile (ms) of the observations between two scrapes, interpolated inside its bucket. */
function bucketPercentile(before: Map<number, number>, after: Map<number, number>, p: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  if (total <= 0) return NaN;
  const want = (p / 100) * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const b of bounds) {
    const c = (after.get(b) ?? 0) - (before.get(b) ?? 0);
    if (c >= want) {
      if (b === Infinity) return prevBound * 1000;
      return (prevBound + ((b - prevBound) * (want - prevCount)) / Math.max(1, c - prevCount)) * 1000;
    }
    prevBound = b;
    prevCount = c;
  }
  return NaN;
}

function cpuMs(stats: Record<string, unknown>): number {
  const c = stats['cpu'] as { user: number; system: number };
  return (c.user + c.system) / 1000;
}

function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function configYaml(dir: string, simPort: number): string {
  return `node: { id: bench, dataDir: ${JSON.stringify(dir)} }
store: { synchronous: ${synchronous}, groupCommitMaxDelayMs: ${commitDelayMs}, groupCommitMaxBatch: ${commitMaxBatch}, worker: ${storeWorker} }
admin: { host: 127.0.0.1, port: 0 }
log: { level: info }
smppServer: { host: 127.0.0.1, port: 0, windowSize: ${Math.max(window, 100)}, enquireLinkIntervalMs: 60000 }
partners:
  - id: bench
    smpp: { systemId: bench, password: bench, maxBinds: ${binds + 1} }
connectors:
  - { id: sim, protocol: smpp, host: 127.0.0.1, port: ${simPort}, systemId: gw, password: gwpass, binds: ${connectorBinds},
      windowSize: 1000, enquireLinkIntervalMs: 60000 }
routes:
  - { id: all, prefix: '', targets: [sim] }
`;
}

function submitPdu(i: number): SubmitSm {
  return benchSubmitSm({
    destinationAddr: `4477009${String(i % 100000).padStart(5, '0')}`,
    registeredDelivery: 1,
    shortMessage: Buffer.from(`Benchmark message number ${i} from the Tollgate gateway bench, 80 characters long.`),
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-bench-'));
  const sim = await spawnUntil(process.execPath, tsScript('bench/gateway-sim-runner.ts', 'happy'), /^PORT (\d+)/, { cwd: ROOT });
  const simPort = Number(sim.match[1]);
  const cfgPath = join(dir, 'bench.yaml');
  writeFileSync(cfgPath, configYaml(dir, simPort));
  const gwArgs = [...(flagValue('node-flags') ?? DAEMON_NODE_FLAGS).split(' ').filter(Boolean), ...(cpuProf ? ['--cpu-prof', '--cpu-prof-dir', join(ROOT, 'bench/profiles')] : []), join(ROOT, 'bin/tollgate'), 'start', '--config', cfgPath];
  const gwLog = new Map<string, number>();
  const gw = await spawnUntil(process.execPath, gwArgs, /"message":"started"/, {
    cwd: ROOT,
    onLine: (line) => {
      if (gatewayLogFile) appendFileSync(gatewayLogFile, line + '\n');
      const level = /"level":"(warn|error)"/.exec(line)?.[1];
      if (!level) return;
      const key = `${level}: ${/"message":"([^"]*)"/.exec(line)?.[1] ?? '?'}`;
      gwLog.set(key, (gwLog.get(key) ?? 0) + 1);
    },
  });
  const ports = (JSON.parse(gw.match.input!) as { ports: { smpp: number; admin: number } }).ports;
  const gwPid = gw.child.pid!;
  // wait for the connector bind
  for (let i = 0; i < 200; i++) {
    const r = (await getJson(ports.admin, '/ready').catch(() => ({ ready: false }))) as { ready?: boolean };
    if (r.ready) break;
    await new Promise((r2) => setTimeout(r2, 25));
  }

  const sessions: SmppSession[] = [];
  for (let b = 0; b < binds; b++) {
    sessions.push(
      await connectClient(
        { host: '127.0.0.1', port: ports.smpp, systemId: 'bench', password: 'bench', bindType: 'transceiver' },
        { windowSize: window, enquireLinkIntervalMs: 0, responseTimeoutMs: 60_000, inboundPauseAt: 100_000, inboundResumeAt: 50_000 },
      ),
    );
  }

  const submitAt = new Map<string, number>();
  const earlyReceiptAt = new Map<string, number>();
  const accept: number[] = [];
  const toReceipt: number[] = [];
  let accepted = 0;
  let refused = 0;
  let failed = 0;
  let receipts = 0;
  let lastReceiptAt = 0;
  let n = 0;
  let running = true;

  for (const s of sessions) {
    s.requests$.subscribe((req) => {
      const pdu = req.pdu;
      if (pdu.command !== 'deliver_sm') return;
      req.respond({ command: 'deliver_sm_resp', commandStatus: 0, sequenceNumber: pdu.sequenceNumber, messageId: '' });
      const idBuf = getTlv(pdu, Tlv.receipted_message_id);
      const id = idBuf ? idBuf.toString('latin1', 0, idBuf.indexOf(0) >= 0 ? idBuf.indexOf(0) : idBuf.length) : '';
      const t0 = submitAt.get(id);
      const now = performance.now();
      if (t0 === undefined) earlyReceiptAt.set(id, now); // its submit_sm_resp is in the same read, not yet handled
      else {
        submitAt.delete(id);
        if (t0 >= measureStart) toReceipt.push(now - t0);
      }
      receipts++;
      lastReceiptAt = now;
    });
  }

  const start = performance.now();
  // Until the warm-up ends nothing is measured; then the counters are taken as the run's starting point.
  let measureStart = Infinity;
  let cpu0 = 0;
  let metrics0 = '';
  let acceptedAt0 = 0;
  let receiptsAt0 = 0;
  const warmedUp = new Promise<void>((resolve) => {
    setTimeout(() => {
      measureStart = performance.now();
      acceptedAt0 = accepted;
      receiptsAt0 = receipts;
      Promise.all([getJson(ports.admin, '/admin/stats'), getText(ports.admin, '/metrics')]).then(
        ([st, text]) => {
          cpu0 = cpuMs(st);
          metrics0 = text;
          resolve();
        },
        () => resolve(),
      );
    }, warmupSeconds * 1000);
  });
  // Offered-rate mode: a budget refilled every 5 ms; without it the window alone limits the partner.
  let budget = offeredRate > 0 ? 0 : Infinity;
  const fill = (s: SmppSession): void => {
    while (running && budget >= 1 && s.inFlight < window && s.canSend) {
      budget--;
      const t0 = performance.now();
      s.send(submitPdu(n++)).then(
        (resp) => {
          const measured = t0 >= measureStart;
          if (measured) accept.push(performance.now() - t0);
          accepted++;
          if (resp.command === 'submit_sm_resp') {
            const early = earlyReceiptAt.get(resp.messageId);
            if (early === undefined) submitAt.set(resp.messageId, t0);
            else {
              earlyReceiptAt.delete(resp.messageId);
              if (measured) toReceipt.push(early - t0);
            }
          }
          fill(s);
        },
        (err: unknown) => {
          const status = (err as { status?: unknown }).status;
          if (typeof status === 'number') refused++;
          else failed++;
          setTimeout(() => fill(s), 1);
        },
      );
    }
  };
  // Refilled by the time that really passed: a 5 ms interval fires late under load and would under-offer.
  let lastFill = performance.now();
  const pacer =
    offeredRate > 0
      ? setInterval(() => {
          const now = performance.now();
          budget = Math.min(budget + (offeredRate * (now - lastFill)) / 1000, offeredRate / 20);
          lastFill = now;
          for (const s of sessions) fill(s);
        }, 5)
      : undefined;
  for (const s of sessions) fill(s);
  const progress = setInterval(() => {
    if (!json) process.stderr.write(`  t=${((performance.now() - start) / 1000).toFixed(0)}s accepted=${accepted} receipts=${receipts}\n`);
  }, 5000);
  await warmedUp;
  await new Promise((r) => setTimeout(r, Math.max(0, measureStart + seconds * 1000 - performance.now())));
  running = false;
  if (pacer) clearInterval(pacer);
  const submitEnd = performance.now();
  const drainUntil = Date.now() + drainSeconds * 1000;
  // Until every submit is answered, not only until receipts catch up with the answers so far: a partner that unbinds
  // while submits are still in flight refuses their receipts (ESME_RINVBNDSTS), which then stay owed in the store.
  while ((receipts < accepted || sessions.some((s) => s.inFlight > 0)) && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
  clearInterval(progress);
  const statsEnd = await getJson(ports.admin, '/admin/stats');
  const metricsText = await getText(ports.admin, '/metrics').catch(() => '');
  // The gateway's own accept latency (its histogram, measured run only): the partner's figure less this one is
  // the partner's and the sockets' share.
  const gwAccept0 = buckets(metrics0, 'tollgate_accept_seconds', 'partner="bench"');
  const gwAccept1 = buckets(metricsText, 'tollgate_accept_seconds', 'partner="bench"');
  const gwAcceptP50 = bucketPercentile(gwAccept0, gwAccept1, 50);
  const gwAcceptP99 = bucketPercentile(gwAccept0, gwAccept1, 99);
  const lagP99 = Number(/^tollgate_nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(metricsText)?.[1] ?? NaN) * 1000;
  const lagMax = Number(/^tollgate_nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(metricsText)?.[1] ?? NaN) * 1000;
  const cpu1 = cpuMs(statsEnd);
  const rssPeak = peakRssMb(gwPid);

  await Promise.all(sessions.map((s) => s.close()));
  gw.child.kill('SIGTERM');
  await exited(gw.child);
  sim.child.stdin!.end();
  await exited(sim.child);

  const db = new Database(join(dir, 'tollgate.sqlite'), { readonly: true });
  const states = db.prepare("SELECT state, count(*) AS n FROM messages WHERE direction = 'mt' GROUP BY state").all() as { state: string; n: number }[];
  const owed =
    ((db.prepare('SELECT count(*) FROM messages WHERE receipt_owed <> 0').pluck().get() as number) ?? 0) +
    ((db.prepare('SELECT count(*) FROM message_parts WHERE owed = 1').pluck().get() as number) ?? 0);
  db.close();
  const byState: Record<string, number> = {};
  for (const s of states) byState[s.state] = s.n;
  const stored = states.reduce((a, s) => a + s.n, 0);
  const final = (byState['delivered'] ?? 0) + (byState['undeliverable'] ?? 0) + (byState['expired'] ?? 0) + (byState['rejected'] ?? 0);
  if (cpuProf) {
    const profs = readdirSync(join(ROOT, 'bench/profiles')).filter((f) => f.endsWith('.cpuprofile'));
    process.stdout.write(`cpu profile(s) in bench/profiles: ${profs.join(', ')}\n`);
  }
  // A run that left something unfinished keeps its store (and config) for inspection.
  const keepDir = stored - ((byState['delivered'] ?? 0) + (byState['undeliverable'] ?? 0) + (byState['expired'] ?? 0) + (byState['rejected'] ?? 0)) > 0 || owed > 0;
  if (!keepDir) rmSync(dir, { recursive: true, force: true });

  const e2eSeconds = ((lastReceiptAt || submitEnd) - measureStart) / 1000;
  const msgPerS = (receipts - receiptsAt0) / e2eSeconds;
  const acceptPerS = (accepted - acceptedAt0) / ((submitEnd - measureStart) / 1000);
  const gwCpuS = (cpu1 - cpu0) / 1000;
  printMachine();
  process.stdout.write(`run: ${seconds}s after ${warmupSeconds}s warm-up, ${binds} partner bind(s) window ${window}${offeredRate > 0 ? `, offered ${offeredRate}/s` : ''}, connector ${connectorBinds} bind(s), store synchronous=${synchronous}\n`);
  printTable([
    { metric: 'end-to-end msg/s (receipted)', value: Math.round(msgPerS) },
    { metric: 'accepted msg/s', value: Math.round(acceptPerS) },
    { metric: 'accepted', value: accepted },
    { metric: 'receipts at partner', value: receipts },
    { metric: 'receipts not matched to a submit (duplicates)', value: earlyReceiptAt.size },
    { metric: 'refused (status)', value: refused },
    { metric: 'failed (no answer)', value: failed },
    { metric: 'accept p50 ms', value: percentile(accept, 50) },
    { metric: 'accept p99 ms', value: percentile(accept, 99) },
    { metric: 'gateway accept p50 ms (histogram)', value: gwAcceptP50 },
    { metric: 'gateway accept p99 ms (histogram)', value: gwAcceptP99 },
    { metric: 'submit->receipt p50 ms', value: percentile(toReceipt, 50) },
    { metric: 'submit->receipt p99 ms', value: percentile(toReceipt, 99) },
    { metric: 'gateway CPU s (of run)', value: gwCpuS },
    { metric: 'gateway CPU % of one core', value: (100 * gwCpuS) / e2eSeconds },
    { metric: 'gateway peak RSS MB', value: Math.round(rssPeak) },
    { metric: 'gateway event-loop lag p99 ms', value: lagP99 },
    { metric: 'gateway event-loop lag max ms', value: lagMax },
    { metric: 'store: messages', value: stored },
    { metric: 'store: final', value: final },
    { metric: 'store: owed receipts', value: owed },
  ]);
  process.stdout.write(`store states: ${JSON.stringify(byState)}\n`);
  if (gwLog.size > 0) process.stdout.write(`gateway warnings/errors: ${JSON.stringify(Object.fromEntries(gwLog))}\n`);
  process.stdout.write(`gateway store commits: ${JSON.stringify(statsEnd['commits'])}, SMSC id writes folded into receipts: ${String(statsEnd['foldedSmscWrites'])}\n`);
  if (statsEnd['checkpoints'] !== undefined) {
    process.stdout.write(`gateway WAL checkpoints (worker): ${JSON.stringify(statsEnd['checkpoints'])}\n`);
  }
  const lost = accepted - final;
  process.stdout.write(lost === 0 && owed === 0 ? 'store: every accepted message final, nothing owed\n' : `store: ${lost} accepted message(s) not final, ${owed} receipt(s) owed\n`);
  if (keepDir) process.stdout.write(`store kept for inspection: ${dir}\n`);
  if (json) {
    printJsonLast({
      bench: 'gateway',
      machine: machineInfo(),
      seconds,
      warmup_s: warmupSeconds,
      window,
      offered_rate: offeredRate,
      binds,
      msg_per_s: Math.round(msgPerS),
      accepted_per_s: Math.round(acceptPerS),
      accepted,
      receipts,
      refused,
      failed,
      accept_p50_ms: percentile(accept, 50),
      accept_p99_ms: percentile(accept, 99),
      gateway_accept_p50_ms: gwAcceptP50,
      gateway_accept_p99_ms: gwAcceptP99,
      receipt_p50_ms: percentile(toReceipt, 50),
      receipt_p99_ms: percentile(toReceipt, 99),
      gateway_cpu_s: gwCpuS,
      gateway_peak_rss_mb: Math.round(rssPeak),
      gateway_loop_lag_p99_ms: lagP99,
      gateway_loop_lag_max_ms: lagMax,
      store_messages: stored,
      store_final: final,
      store_owed: owed,
      store_states: byState,
      unmatched_receipts: earlyReceiptAt.size,
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:gateway failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
