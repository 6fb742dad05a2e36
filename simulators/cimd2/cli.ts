/**
 * `npm run sim:cimd2 -- --port P --user U --password W [--persona NAME] [--host H]`
 * e.g. `--persona "dlrAfter(500,delivered)"`. One line per event on stdout; SIGINT/SIGTERM close the sessions first.
 */
import { parseCimd2Persona } from './personas';
import { startCimd2Simulator } from './simulator';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(arg('port') ?? '0');
  const user = arg('user');
  const password = arg('password');
  if (!Number.isInteger(port) || port < 0 || port > 65535 || user === undefined || password === undefined) {
    process.stderr.write('usage: sim:cimd2 -- --port P --user U --password W [--persona NAME] [--host H]\n');
    process.exit(2);
  }
  const persona = parseCimd2Persona(arg('persona') ?? 'happy');
  const sim = await startCimd2Simulator({
    port,
    host: arg('host') ?? '127.0.0.1',
    user,
    password,
    persona,
    log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`sim:cimd2 failed: ${(e as Error).message}\n`);
  process.exit(1);
});
