/**
 * The SMSC side of bench/ucp.ts, run in its own process so client and server do not share one event loop.
 * `tsx bench/ucp-sim-runner.ts`: prints `PORT <n>` once listening; exits when stdin closes or on SIGTERM.
 */
import { startUcpSimulator } from '../simulators/ucp/simulator';
import { runSimRunner } from './lib/sim-runner';

runSimRunner(async () => {
  const sim = await startUcpSimulator({
    port: 0,
    user: '4477009000',
    password: 'bench',
    persona: { kind: 'happy' },
  });
  return { port: sim.port, close: () => sim.close() };
});
