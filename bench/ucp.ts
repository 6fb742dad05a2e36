/**
 * UCP session benchmark: one logged-in client session against the UCP simulator over loopback, the simulator in
 * a separate process. OT 51 submits (MT 3, 40 characters) at window 1, 10 and 100 (UCP's TRN allows at most 100).
 *
 *   npm run bench:ucp [-- --count N] [-- --json] [-- --smpp]
 *
 * --count N: messages per run at windows 10 and 100 (default 200,000); window 1 runs N/10 (latency-bound).
 * --smpp: also run `bench/smpp.ts --windows 100` on this machine and print the UCP/SMPP ratio.
 * --port P: use a simulator already listening on 127.0.0.1:P (account 4477009000 / bench), e.g. one started
 *           under `node --cpu-prof --import tsx bench/ucp-sim-runner.ts` for profiling.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { connectUcpClient } from '../protocols/ucp/client';
import { submitsFromText } from '../protocols/ucp/message';
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

const ROOT = path.resolve(__dirname, '..');

async function startSim(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', 'ucp-sim-runner.ts')], {
    cwd: ROOT,
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
  return { port, child };
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

function result(window: number, count: number, r: { lat: Float64Array; errors: number; seconds: number }): RunResult {
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

async function run(windows: number[], counts: Map<number, number>, externalPort?: number): Promise<RunResult[]> {
  const { port, child } = externalPort !== undefined ? { port: externalPort, child: undefined } : await startSim();
  const out: RunResult[] = [];
  try {
    for (const window of windows) {
      const session = await connectUcpClient(
        { host: '127.0.0.1', port, login: { oadc: '4477009000', password: 'bench' } },
        { windowSize: window, keepAliveIntervalMs: 0 },
      );
      const [op] = submitsFromText({ to: '447700900123', from: 'BENCH', text: 'Benchmark message: the quick brown fox 01' });
      const one = (done: (ok: boolean) => void): void => {
        session.send(op!).then(
          () => done(true),
          () => done(false),
        );
      };
      await drive(Math.min(5000, counts.get(window)!), window, one); // warm-up
      out.push(result(window, counts.get(window)!, await drive(counts.get(window)!, window, one)));
      await session.close();
    }
  } finally {
    if (child) await stopSim(child);
  }
  return out;
}

/** msg/s of our SMPP session at window 100 on this machine, from bench/smpp.ts --json. */
function smppFigure(count: number): number | undefined {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('bench', 'smpp.ts'), '--json', '--windows', '100', '--count', String(count)], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
  const last = r.stdout?.trim().split('\n').pop();
  if (!last) return undefined;
  try {
    const v = (JSON.parse(last) as { msg_per_s?: unknown }).msg_per_s;
    return typeof v === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
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
  const windows = [1, 10, 100];
  printMachine();
  process.stdout.write(`OT 51 round trips, one session, simulator in a separate process; window 1 runs ${counts.get(1)} messages\n\n`);
  const portFlag = flagValue('port');
  const runs = await run(windows, counts, portFlag !== undefined ? Number(portFlag) : undefined);
  printTable(
    runs.map((r) => ({
      window: r.window,
      messages: r.count,
      seconds: r.seconds,
      'msg/s': r.msgPerSec,
      'p50 ms': r.p50Ms,
      'p99 ms': r.p99Ms,
      errors: r.errors,
    })),
  );
  const w100 = runs.find((r) => r.window === 100)!;
  let smpp: number | undefined;
  if (hasFlag('smpp')) {
    smpp = smppFigure(big);
    process.stdout.write(
      smpp === undefined ? '\nSMPP figure unavailable (bench/smpp.ts failed)\n' : `\nwindow 100: UCP ${w100.msgPerSec} msg/s vs SMPP ${smpp} msg/s = ${(w100.msgPerSec / smpp).toFixed(2)}x\n`,
    );
  }
  if (json) {
    printJsonLast({
      bench: 'ucp',
      machine: machineInfo(),
      msg_per_s: w100.msgPerSec,
      p50_ms: Number(w100.p50Ms.toFixed(4)),
      p99_ms: Number(w100.p99Ms.toFixed(4)),
      ...(smpp !== undefined ? { smpp_msg_per_s: smpp, vs_smpp_ratio: Number((w100.msgPerSec / smpp).toFixed(3)) } : {}),
      runs: runs.map((r) => ({
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
