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
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { connectUcpClient } from '../protocols/ucp/client';
import { submitsFromText } from '../protocols/ucp/message';
import { flagValue, hasFlag, machineInfo, printJsonLast, printMachine, printTable } from './lib/report';
import { BENCH_ROOT, fromPromise, tsScript, headlineJson, measure, resultJson, resultRow, runBench, startSimRunner, stopSimRunner, windowCounts } from './lib/session-bench';
import type { RunResult } from './lib/session-bench';

async function run(windows: number[], counts: Map<number, number>, externalPort?: number): Promise<RunResult[]> {
  const { port, child } = externalPort !== undefined ? { port: externalPort, child: undefined } : await startSimRunner('ucp-sim-runner.ts');
  const out: RunResult[] = [];
  try {
    for (const window of windows) {
      const session = await connectUcpClient(
        { host: '127.0.0.1', port, login: { oadc: '4477009000', password: 'bench' } },
        { windowSize: window, keepAliveIntervalMs: 0 },
      );
      const [op] = submitsFromText({ to: '447700900123', from: 'BENCH', text: 'Benchmark message: the quick brown fox 01' });
      out.push(await measure(window, counts.get(window)!, fromPromise(() => session.send(op!))));
      await session.close();
    }
  } finally {
    if (child) await stopSimRunner(child);
  }
  return out;
}

/** msg/s of our SMPP session at window 100 on this machine, from bench/smpp.ts --json. */
function smppFigure(count: number): number | undefined {
  const r = spawnSync(process.execPath, tsScript(path.join('bench', 'smpp.ts'), '--json', '--windows', '100', '--count', String(count)), {
    cwd: BENCH_ROOT,
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
  const { big, counts } = windowCounts();
  const windows = [1, 10, 100];
  printMachine();
  process.stdout.write(`OT 51 round trips, one session, simulator in a separate process; window 1 runs ${counts.get(1)} messages\n\n`);
  const portFlag = flagValue('port');
  const runs = await run(windows, counts, portFlag !== undefined ? Number(portFlag) : undefined);
  printTable(runs.map(resultRow));
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
      ...headlineJson(w100),
      ...(smpp !== undefined ? { smpp_msg_per_s: smpp, vs_smpp_ratio: Number((w100.msgPerSec / smpp).toFixed(3)) } : {}),
      runs: runs.map(resultJson),
    });
  }
}

runBench(main);
