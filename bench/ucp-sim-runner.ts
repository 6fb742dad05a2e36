/**
 * The SMSC side of bench/ucp.ts, run in its own process so client and server do not share one event loop.
 * `tsx bench/ucp-sim-runner.ts`: prints `PORT <n>` once listening; exits when stdin closes or on SIGTERM.
 */
import { startUcpSimulator } from '../simulators/ucp/simulator';

async function main(): Promise<void> {
  const sim = await startUcpSimulator({
    port: 0,
    user: '4477009000',
    password: 'bench',
    persona: { kind: 'happy' },
  });
  process.stdout.write(`PORT ${sim.port}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void sim.close().then(() => process.exit(0));
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
