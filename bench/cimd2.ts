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
import { connectCimd2Client } from '../protocols/cimd2/client';
import { submit } from '../protocols/cimd2/message';
import { flagValue, hasFlag, machineInfo, printJsonLast, printMachine, printTable } from './lib/report';
import { fromPromise, headlineJson, measure, resultJson, resultRow, runBench, startSimRunner, stopSimRunner, windowCounts } from './lib/session-bench';
import type { RunResult } from './lib/session-bench';

const PACKET = submit({
  destinations: ['447700900123'],
  originator: 'BENCH',
  text: 'Benchmark message: the quick brown fox jumps over the lazy dog 0123456789',
});

async function run(port: number, window: number, count: number): Promise<RunResult> {
  const session = await connectCimd2Client(
    { host: '127.0.0.1', port, login: { user: 'bench', password: 'bench' } },
    { windowSize: window, aliveIntervalMs: 0, responseTimeoutMs: 30_000 },
  );
  const result = await measure(window, count, fromPromise(() => session.send(PACKET)), 'tollgate cimd2');
  await session.close();
  return result;
}

async function main(): Promise<void> {
  const json = hasFlag('json');
  const { counts } = windowCounts();
  printMachine();
  process.stdout.write(`03 submit round trips, one login, simulator in a separate process; window 1 runs ${counts.get(1)} messages\n\n`);
  const external = flagValue('port');
  const sim = external === undefined ? await startSimRunner('cimd2-sim-runner.ts') : undefined;
  const port = sim ? sim.port : Number(external);
  const results: RunResult[] = [];
  try {
    for (const [window, count] of counts) results.push(await run(port, window, count));
  } finally {
    if (sim) await stopSimRunner(sim.child);
  }
  printTable(results.map(resultRow));
  const w100 = results.find((r) => r.window === 100)!;
  if (json) {
    printJsonLast({
      bench: 'cimd2',
      machine: machineInfo(),
      ...headlineJson(w100),
      runs: results.map(resultJson),
    });
  }
}

runBench(main);
