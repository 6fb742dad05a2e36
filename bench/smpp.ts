/**
 * SMPP session benchmark: one client bind against one simulator bind over loopback, the simulator in a separate
 * process. submit_sm round trips at window 1, 10 and 100 for our session, and the npm `smpp` package (its client
 * against its server) at the same windows for comparison (it has no window: we keep N requests outstanding).
 *
 *   npm run bench:smpp [-- --count N] [-- --json]
 *
 * --count N: messages per run at windows 10 and 100 (default 200,000); window 1 runs N/10 (latency-bound).
 * --windows 1,10,100: which windows to run (100 is always needed for the summary).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { connectClient } from '../protocols/smpp/client-session';
import type { SubmitSm } from '../protocols/smpp/pdu';
import { flagValue, hasFlag, machineInfo, percentile, printJsonLast, printMachine, printTable } from './lib/report';
import { npmSmpp } from './lib/npm-smpp';
import type { NpmPdu, NpmSession } from './lib/npm-smpp';

interface RunResult {
  impl: 'tollgate' | 'npm smpp';
  window: number;
  count: number;
  seconds: number;
  msgPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

const TEXT = Buffer.from('Benchmark message: the quick brown fox jumps over the lazy dog 0123456789', 'latin1');

function submit(): SubmitSm {
  return {
    command: 'submit_sm',
    commandStatus: 0,
    sequenceNumber: 0,
    serviceType: '',
    sourceAddrTon: 5,
    sourceAddrNpi: 0,
    sourceAddr: 'BENCH',
    destAddrTon: 1,
    destAddrNpi: 1,
    destinationAddr: '447700900123',
    esmClass: 0,
    protocolId: 0,
    priorityFlag: 0,
    scheduleDeliveryTime: '',
    validityPeriod: '',
    registeredDelivery: 0,
    replaceIfPresentFlag: 0,
    dataCoding: 0,
    smDefaultMsgId: 0,
    shortMessage: TEXT,
  };
}

async function startSim(mode: 'ours' | 'npm'): Promise<{ port: number; child: ChildProcess }> {
  const root = path.resolve(__dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', 'smpp-sim-runner.ts'), mode], {
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

/** Keeps `window` requests outstanding until `count` have completed; `one(i, done)` issues request i. */
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

function result(impl: RunResult['impl'], window: number, count: number, r: { lat: Float64Array; errors: number; seconds: number }): RunResult {
  const sorted = r.lat.slice().sort();
  return {
    impl,
    window,
    count,
    seconds: r.seconds,
    msgPerSec: Math.round(count / r.seconds),
    p50Ms: percentile(Array.from(sorted), 50),
    p99Ms: percentile(Array.from(sorted), 99),
    errors: r.errors,
  };
}

async function runOurs(windows: number[], counts: Map<number, number>): Promise<RunResult[]> {
  const { port, child } = await startSim('ours');
  const out: RunResult[] = [];
  try {
    for (const window of windows) {
      const session = await connectClient(
        { host: '127.0.0.1', port, systemId: 'bench', password: 'bench', bindType: 'transceiver' },
        { windowSize: window, enquireLinkIntervalMs: 0 },
      );
      const pdu = submit();
      const one = (done: (ok: boolean) => void): void => {
        session.send(pdu).then(
          () => done(true),
          () => done(false),
        );
      };
      await drive(Math.min(5000, counts.get(window)!), window, one); // warm-up
      out.push(result('tollgate', window, counts.get(window)!, await drive(counts.get(window)!, window, one)));
      await session.close();
    }
  } finally {
    await stopSim(child);
  }
  return out;
}

async function runNpm(windows: number[], counts: Map<number, number>): Promise<RunResult[]> {
  const { port, child } = await startSim('npm');
  const out: RunResult[] = [];
  try {
    for (const window of windows) {
      const session: NpmSession = npmSmpp.connect({ url: `smpp://127.0.0.1:${port}` });
      session.on('error', () => undefined);
      await new Promise<void>((r) => session.on('connect', () => r()));
      await new Promise<NpmPdu>((r) => session.bind_transceiver({ system_id: 'bench', password: 'bench' }, r));
      const opts = {
        source_addr_ton: 5,
        source_addr: 'BENCH',
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: '447700900123',
        short_message: TEXT,
      };
      const one = (done: (ok: boolean) => void): void => {
        session.submit_sm(opts, (pdu) => done(pdu.command_status === 0));
      };
      await drive(Math.min(5000, counts.get(window)!), window, one);
      out.push(result('npm smpp', window, counts.get(window)!, await drive(counts.get(window)!, window, one)));
      await new Promise<void>((r) => {
        session.once('close', () => r());
        session.unbind({}, () => session.close());
      });
    }
  } finally {
    await stopSim(child);
  }
  return out;
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
  const windows = (flagValue('windows') ?? '1,10,100').split(',').map(Number);
  if (!windows.includes(100) || windows.some((w) => !counts.has(w))) throw new Error('--windows: a subset of 1,10,100 that includes 100');
  printMachine();
  process.stdout.write(`submit_sm round trips, one bind, simulator in a separate process; window 1 runs ${counts.get(1)} messages\n\n`);
  const ours = await runOurs(windows, counts);
  const npm = await runNpm(windows, counts);
  const all = [...ours, ...npm];
  printTable(
    all.map((r) => ({
      impl: r.impl,
      window: r.window,
      messages: r.count,
      'msg/s': r.msgPerSec,
      'p50 ms': r.p50Ms,
      'p99 ms': r.p99Ms,
      errors: r.errors,
    })),
  );
  const o100 = ours.find((r) => r.window === 100)!;
  const n100 = npm.find((r) => r.window === 100)!;
  const ratio = o100.msgPerSec / n100.msgPerSec;
  process.stdout.write(`\nwindow 100: tollgate ${o100.msgPerSec} msg/s vs npm smpp ${n100.msgPerSec} msg/s = ${ratio.toFixed(2)}x\n`);
  if (json) {
    printJsonLast({
      bench: 'smpp',
      machine: machineInfo(),
      msg_per_s: o100.msgPerSec,
      p50_ms: Number(o100.p50Ms.toFixed(4)),
      p99_ms: Number(o100.p99Ms.toFixed(4)),
      npm_msg_per_s: n100.msgPerSec,
      vs_npm_ratio: Number(ratio.toFixed(3)),
      runs: all.map((r) => ({
        impl: r.impl,
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
