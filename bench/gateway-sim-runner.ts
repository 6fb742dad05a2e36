/**
 * The SMSC of bench/gateway.ts in its own process: `tsx bench/gateway-sim-runner.ts [persona]` prints `PORT <n>`
 * once listening, and on stdin end / SIGTERM prints `STATS {json}` and exits.
 */
import { parsePersona } from '../simulators/smpp/personas';
import { startSmppSimulator } from '../simulators/smpp/simulator';

async function main(): Promise<void> {
  const sim = await startSmppSimulator({
    port: 0,
    host: '127.0.0.1',
    systemId: 'gw',
    password: 'gwpass',
    persona: parsePersona(process.argv[2] ?? 'happy'),
    sessionOptions: { enquireLinkIntervalMs: 0, windowSize: 5000 },
  });
  process.stdout.write(`PORT ${sim.port}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`STATS ${JSON.stringify(sim.stats)}\n`);
    void sim.close().then(() => process.exit(0));
  };
  process.stdin.on('end', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
