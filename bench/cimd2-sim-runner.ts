/**
 * The MC side of bench/cimd2.ts, in its own process so client and server do not share one event loop.
 * `tsx bench/cimd2-sim-runner.ts`: prints `PORT <n>` once listening; exits when stdin closes or on SIGTERM.
 */
import { startCimd2Simulator } from '../simulators/cimd2/simulator';

async function main(): Promise<void> {
  const sim = await startCimd2Simulator({
    port: 0,
    user: 'bench',
    password: 'bench',
    sessionOptions: { aliveIntervalMs: 0, inboundPauseAt: 10_000, inboundResumeAt: 5_000 },
  });
  process.stdout.write(`PORT ${sim.port}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void sim.close().finally(() => process.exit(0));
  };
  process.stdin.on('end', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
