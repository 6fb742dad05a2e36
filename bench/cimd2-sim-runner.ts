/**
 * The MC side of bench/cimd2.ts, in its own process so client and server do not share one event loop.
 * `tsx bench/cimd2-sim-runner.ts`: prints `PORT <n>` once listening; exits when stdin closes or on SIGTERM.
 */
import { startCimd2Simulator } from '../simulators/cimd2/simulator';
import { runSimRunner } from './lib/sim-runner';

runSimRunner(async () => {
  const sim = await startCimd2Simulator({
    port: 0,
    user: 'bench',
    password: 'bench',
    sessionOptions: { aliveIntervalMs: 0, inboundPauseAt: 10_000, inboundResumeAt: 5_000 },
  });
  return { port: sim.port, close: () => sim.close() };
});
