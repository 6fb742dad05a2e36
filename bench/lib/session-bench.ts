import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChildProcess } from 'node:child_process';
import { exited, spawnUntil } from './child';
import { flagValue, percentile } from './report';

/**
 * The shared shape of the per-protocol session benches (bench/smpp.ts, ucp.ts, cimd2.ts): a simulator child
 * process, N requests kept outstanding per window, latency per request, one result row per window.
 */

/** The checkout's root: found upward from here, since a bundled bench sees its entry's __dirname, not this file's. */
export const BENCH_ROOT = findRoot(__dirname);

function findRoot(from: string): string {
  let dir = from;
  for (let i = 0; i < 6 && !existsSync(path.join(dir, 'package.json')); i++) dir = path.dirname(dir);
  return dir;
}

/** Node arguments that run a TypeScript file the way the benches run: bundled in memory by bin/run-ts.js. */
export function tsScript(file: string, ...args: string[]): string[] {
  return [path.join(BENCH_ROOT, 'bin', 'run-ts.js'), path.resolve(BENCH_ROOT, file), ...args];
}

/** Issues one request and calls `done` once with whether it succeeded. */
export type OneRequest = (done: (ok: boolean) => void) => void;

export interface DriveResult {
  lat: Float64Array;
  errors: number;
  seconds: number;
}

export interface RunResult {
  impl?: string;
  window: number;
  count: number;
  seconds: number;
  msgPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** Keeps `window` requests outstanding until `count` have completed. */
export function drive(count: number, window: number, one: OneRequest): Promise<DriveResult> {
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

export function summarize(window: number, count: number, r: DriveResult, impl?: string): RunResult {
  // Float64Array sorts numerically, so the copy is sorted once and percentile() sees it in order.
  const sorted = Array.from(r.lat.slice().sort());
  return {
    ...(impl !== undefined ? { impl } : {}),
    window,
    count,
    seconds: r.seconds,
    msgPerSec: Math.round(count / r.seconds),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    errors: r.errors,
  };
}

/** A warm-up of up to 5,000 requests, then the measured run. */
export async function measure(window: number, count: number, one: OneRequest, impl?: string): Promise<RunResult> {
  await drive(Math.min(5000, count), window, one);
  return summarize(window, count, await drive(count, window, one), impl);
}

/** Adapts a promise-returning send to a OneRequest. */
export function fromPromise(send: () => Promise<unknown>): OneRequest {
  return (done) => {
    send().then(
      () => done(true),
      () => done(false),
    );
  };
}

/**
 * `--count N` (default 200,000): messages per run at windows 10 and 100; window 1 runs N/10 (latency-bound).
 * Returns the count and the per-window message counts in window order 1, 10, 100.
 */
export function windowCounts(): { big: number; counts: Map<number, number> } {
  const big = Number(flagValue('count') ?? '200000');
  if (!Number.isInteger(big) || big < 100) throw new Error('--count must be an integer >= 100');
  const counts = new Map<number, number>([
    [1, Math.max(100, Math.round(big / 10))],
    [10, big],
    [100, big],
  ]);
  return { big, counts };
}

/** Starts `bench/<runner>` (bundled, see tsScript) and waits for its `PORT <n>` line. */
export async function startSimRunner(runner: string, args: string[] = []): Promise<{ port: number; child: ChildProcess }> {
  const { child, match } = await spawnUntil(process.execPath, tsScript(path.join('bench', runner), ...args), /PORT (\d+)/, {
    cwd: BENCH_ROOT,
  });
  return { port: Number(match[1]), child };
}

/** Closes the runner's stdin (its stop signal) and kills it if it has not exited within 5 s. */
export async function stopSimRunner(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = exited(child);
  child.stdin!.end();
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await done;
  clearTimeout(t);
}

export function resultRow(r: RunResult): Record<string, string | number> {
  return {
    ...(r.impl !== undefined ? { impl: r.impl } : {}),
    window: r.window,
    messages: r.count,
    seconds: r.seconds,
    'msg/s': r.msgPerSec,
    'p50 ms': r.p50Ms,
    'p99 ms': r.p99Ms,
    errors: r.errors,
  };
}

export function resultJson(r: RunResult): Record<string, string | number> {
  return {
    ...(r.impl !== undefined ? { impl: r.impl } : {}),
    window: r.window,
    count: r.count,
    msg_per_s: r.msgPerSec,
    p50_ms: Number(r.p50Ms.toFixed(4)),
    p99_ms: Number(r.p99Ms.toFixed(4)),
    errors: r.errors,
  };
}

/** The headline figures of the `--json` line: the window 100 run. */
export function headlineJson(r: RunResult): { msg_per_s: number; p50_ms: number; p99_ms: number } {
  return { msg_per_s: r.msgPerSec, p50_ms: Number(r.p50Ms.toFixed(4)), p99_ms: Number(r.p99Ms.toFixed(4)) };
}

/** Runs a bench's main: exit 0 when done (open handles must not keep it alive), 1 with the stack on failure. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
