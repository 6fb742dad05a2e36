/**
 * CIMD2 session benchmark: our client against our simulator over loopback, the simulator in a separate process.
 * 03 submit -> 53 round trips at window 1, 10 and 100 (no status reports requested).
 *
 *   npm run bench:cimd2 [-- --count N] [-- --json]
 *
 * --count N: messages per run at windows 10 and 100 (default 200,000); window 1 runs N/10 (latency-bound).
 * --port P: use a simulator already listening on 127.0.0.1:P (user/password bench), e.g. one started under
 *   `node --cpu-prof --import tsx bench/cimd2-sim-runner.ts` for profiling.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { connectCimd2Client } from '../protocols/cimd2/client';
import { submit } from '../protocols/cimd2/message';
import { flagValue, hasFlag, machineInfo, percentile, printJsonLast, printMachine, printTable } from './lib/report';

interface RunResult {
  window: number;
  count: number;
  seconds: number;
  msgPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

const PACKET = submit({
  destinations: ['447700900123'],
  originator: 'BENCH',
  text: 'Benchmark message: the quick brown fox jumps over the lazy dog 0123456789',
});

async function startSim(): Promise<ChildProcess & { port: number }> {
  const root = path.resolve(__dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', 'cimd2-sim-runner.ts')], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return Object.assign(child, { port });
}

async function stopSim(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.stdin!.end();
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

/** Keeps `window` requests outstanding until `count` have completed. */
function drive(count: number, window: number, one: (done: (ok: boolean) => void) => void): Promise<{ lat: Float64Array; errors: number; seconds: number }> {
  const lat = new Float64Array(count);
  let sent = 0;
  let finished = 0;
  let errors = 0;
  const start = performance.now();
  return new Promise((resolve) => {
    const next = (): void => {
      const i = sent++;
      const t0 = performance.now();
      one((ok) => {
        lat[i] = performance.now() - t0;
        if (!ok) errors++;
        finished++;
        if (sent < count) next();
        else if (finished === count) resolve({ lat, errors, seconds: (performance.now() - start) / 1000 });
      });
    };
    for (let k = 0; k < Math.min(window, count); k++) next();
  });
}

async function run(port: number, window: number, count: number): Promise<RunResult> {
  const session = await connectCimd2Client(
    { host: '127.0.0.1', port, login: { user: 'bench', password: 'bench' } },
    { windowSize: window, aliveIntervalMs: 0, responseTimeoutMs: 30_000 },
  );
  const one = (done: (ok: boolean) => void): void => {
    session.send(PACKET).then(
      () => done(true),
      () => done(false),
    );
  };
  await drive(Math.min(5000, count), window, one); // warm-up
  const r = await drive(count, window, one);
  await session.close();
  const sorted = Array.from(r.lat.slice().sort());
  return {
    window,
    count,
    seconds: r.seconds,
    msgPerSec: Math.round(count / r.seconds),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    errors: r.errors,
  };
}

async function main(): Promise<void> {
  const json = hasFlag('json');
  const big = Number(flagValue('count') ?? '200000');
  if (!Number.isInteger(big) || big < 100) throw new Error('--count must be an integer >= 100');
  const counts = new Map<number, number>([
    [1, Math.max(100, Math.round(big / 10))],
    [10, big],
    [100, big],
  ]);
  printMachine();
  process.stdout.write(`03 submit round trips, one login, simulator in a separate process; window 1 runs ${counts.get(1)} messages\n\n`);
  const external = flagValue('port');
  const sim = external === undefined ? await startSim() : undefined;
  const port = sim ? sim.port : Number(external);
  const results: RunResult[] = [];
  try {
    for (const [window, count] of counts) results.push(await run(port, window, count));
  } finally {
    if (sim) await stopSim(sim);
  }
  printTable(
    results.map((r) => ({
      impl: 'tollgate cimd2',
      window: r.window,
      messages: r.count,
      'msg/s': r.msgPerSec,
      'p50 ms': r.p50Ms,
      'p99 ms': r.p99Ms,
      errors: r.errors,
    })),
  );
  const w100 = results.find((r) => r.window === 100)!;
  if (json) {
    printJsonLast({
      bench: 'cimd2',
      machine: machineInfo(),
      msg_per_s: w100.msgPerSec,
      p50_ms: Number(w100.p50Ms.toFixed(4)),
      p99_ms: Number(w100.p99Ms.toFixed(4)),
      runs: results.map((r) => ({
        window: r.window,
        count: r.count,
        msg_per_s: r.msgPerSec,
        p50_ms: Number(r.p50Ms.toFixed(4)),
        p99_ms: Number(r.p99Ms.toFixed(4)),
        errors: r.errors,
      })),
    });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
