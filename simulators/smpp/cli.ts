import { startSmppSimulator } from './simulator';
import { PersonaParseError, parsePersona } from './personas';
import type { Persona } from './personas';

/**
 * `npm run sim:smpp -- --port 2775 --system-id U --password W [--persona "dlrAfter(500,delivered)"] [--host H]`
 * One line per event on stdout; SIGINT/SIGTERM unbind every client, then exit.
 */
interface CliArgs {
  port: number;
  host: string;
  systemId: string;
  password: string;
  persona: Persona;
}

function usage(msg: string): never {
  process.stderr.write(`${msg}\nusage: sim:smpp -- --port P --system-id U --password W [--persona NAME] [--host 127.0.0.1]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): CliArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) usage(`unexpected argument '${a}'`);
    const eq = a.indexOf('=');
    if (eq > 0) values.set(a.slice(2, eq), a.slice(eq + 1));
    else {
      const v = argv[i + 1];
      if (v === undefined) usage(`${a} needs a value`);
      values.set(a.slice(2), v);
      i++;
    }
  }
  for (const k of values.keys()) {
    if (!['port', 'host', 'system-id', 'password', 'persona'].includes(k)) usage(`unknown option --${k}`);
  }
  const port = Number(values.get('port') ?? '2775');
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage('--port must be 0..65535');
  const systemId = values.get('system-id');
  const password = values.get('password');
  if (systemId === undefined || password === undefined) usage('--system-id and --password are required');
  let persona: Persona;
  try {
    persona = parsePersona(values.get('persona') ?? 'happy');
  } catch (err) {
    if (err instanceof PersonaParseError) usage(err.message);
    throw err;
  }
  return { port, host: values.get('host') ?? '127.0.0.1', systemId, password, persona };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const line = (s: string): void => {
    process.stdout.write(`${new Date().toISOString()} ${s}\n`);
  };
  const sim = await startSmppSimulator({ ...args, log: line });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    line(`${signal}: unbinding ${sim.sessions.size} session(s)`);
    sim.close().then(
      () => {
        line(`stopped submits=${sim.stats.submits} receipts=${sim.stats.receiptsSent} binds=${sim.stats.binds}`);
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`close failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
