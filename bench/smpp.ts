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
import { connectClient } from '../protocols/smpp/client-session';
import { flagValue, hasFlag, machineInfo, printJsonLast, printMachine, printTable } from './lib/report';
import { fromPromise, headlineJson, measure, resultJson, resultRow, runBench, startSimRunner, stopSimRunner, windowCounts } from './lib/session-bench';
import type { OneRequest, RunResult } from './lib/session-bench';
import { npmSmpp } from './lib/npm-smpp';
import { benchSubmitSm } from './lib/smpp-submit';
import type { NpmPdu, NpmSession } from './lib/npm-smpp';

async function runOurs(windows: number[], counts: Map<number, number>): Promise<RunResult[]> {
  const { port, child } = await startSimRunner('smpp-sim-runner.ts', ['ours']);
  const out: RunResult[] = [];
  try {
    for (const window of windows) {
      const session = await connectClient(
        { host: '127.0.0.1', port, systemId: 'bench', password: 'bench', bindType: 'transceiver' },
        { windowSize: window, enquireLinkIntervalMs: 0 },
      );
      const pdu = benchSubmitSm();
      out.push(await measure(window, counts.get(window)!, fromPromise(() => session.send(pdu)), 'tollgate'));
      await session.close();
    }
  } finally {
    await stopSimRunner(child);
  }
  return out;
}

async function runNpm(windows: number[], counts: Map<number, number>): Promise<RunResult[]> {
  const { port, child } = await startSimRunner('smpp-sim-runner.ts', ['npm']);
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
        short_message: benchSubmitSm().shortMessage,
      };
      const one: OneRequest = (done) => {
        session.submit_sm(opts, (pdu) => done(pdu.command_status === 0));
      };
      out.push(await measure(window, counts.get(window)!, one, 'npm smpp'));
      await new Promise<void>((r) => {
        session.once('close', () => r());
        session.unbind({}, () => session.close());
      });
    }
  } finally {
    await stopSimRunner(child);
  }
  return out;
}

async function main(): Promise<void> {
  const json = hasFlag('json');
  const { counts } = windowCounts();
  const windows = (flagValue('windows') ?? '1,10,100').split(',').map(Number);
  if (!windows.includes(100) || windows.some((w) => !counts.has(w))) throw new Error('--windows: a subset of 1,10,100 that includes 100');
  printMachine();
  process.stdout.write(`submit_sm round trips, one bind, simulator in a separate process; window 1 runs ${counts.get(1)} messages\n\n`);
  const ours = await runOurs(windows, counts);
  const npm = await runNpm(windows, counts);
  const all = [...ours, ...npm];
  printTable(all.map(resultRow));
  const o100 = ours.find((r) => r.window === 100)!;
  const n100 = npm.find((r) => r.window === 100)!;
  const ratio = o100.msgPerSec / n100.msgPerSec;
  process.stdout.write(`\nwindow 100: tollgate ${o100.msgPerSec} msg/s vs npm smpp ${n100.msgPerSec} msg/s = ${ratio.toFixed(2)}x\n`);
  if (json) {
    printJsonLast({
      bench: 'smpp',
      machine: machineInfo(),
      ...headlineJson(o100),
      npm_msg_per_s: n100.msgPerSec,
      vs_npm_ratio: Number(ratio.toFixed(3)),
      runs: all.map(resultJson),
    });
  }
}

runBench(main);
