import { UcpPersonaParseError, parseUcpPersona, type UcpPersona } from './personas';
import { startUcpSimulator } from './simulator';

/**
 * `npm run sim:ucp -- --port P --user U --password W [--persona NAME] [--host H] [--mo-every-ms N --mo-from F --mo-text T]`
 * Listens on 127.0.0.1:P, accepts that login, prints one line per event; SIGINT/SIGTERM close every session and exit.
 * With --mo-every-ms it injects an MO (52) from --mo-from (default 447700900123) to the account that often.
 */
interface CliArgs {
  port: number;
  host: string;
  user: string;
  password: string;
  persona: UcpPersona;
  moEveryMs: number;
  moFrom: string;
  moText: string;
}

const OPTIONS = ['port', 'host', 'user', 'password', 'persona', 'mo-every-ms', 'mo-from', 'mo-text'];

function usage(msg: string): never {
  process.stderr.write(`${msg}\nusage: sim:ucp -- --port P --user U --password W [--persona NAME] [--host 127.0.0.1] [--mo-every-ms N]\n`);
  process.exit(2);
}

export function parseArgs(argv: string[]): CliArgs {
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
  for (const k of values.keys()) if (!OPTIONS.includes(k)) usage(`unknown option --${k}`);
  const port = Number(values.get('port') ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage('--port must be 0..65535');
  const user = values.get('user');
  const password = values.get('password');
  if (user === undefined || password === undefined) usage('--user and --password are required');
  let persona: UcpPersona;
  try {
    persona = parseUcpPersona(values.get('persona') ?? 'happy');
  } catch (err) {
    if (err instanceof UcpPersonaParseError) usage(err.message);
    throw err;
  }
  const moEveryMs = Number(values.get('mo-every-ms') ?? '0');
  if (!Number.isFinite(moEveryMs) || moEveryMs < 0) usage('--mo-every-ms must be >= 0');
  return {
    port, host: values.get('host') ?? '127.0.0.1', user, password, persona, moEveryMs,
    moFrom: values.get('mo-from') ?? '447700900123', moText: values.get('mo-text') ?? 'Hello from the UCP simulator',
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const line = (s: string): void => {
    process.stdout.write(`${new Date().toISOString()} ${s}\n`);
  };
  const sim = await startUcpSimulator({ port: args.port, host: args.host, user: args.user, password: args.password, persona: args.persona, log: line });
  const moTimer = args.moEveryMs > 0
    ? setInterval(() => {
        if ([...sim.sessions].some((s) => s.state === 'logged_in')) {
          sim.injectMo(args.moFrom, args.user, args.moText).catch((err: unknown) => line(`MO failed: ${(err as Error).name}`));
        }
      }, args.moEveryMs)
    : undefined;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    if (moTimer) clearInterval(moTimer);
    line(`${signal}: closing ${sim.sessions.size} session(s)`);
    sim.close().then(
      () => {
        const s = sim.stats;
        line(`stopped logins=${s.logins} submits=${s.submits} notifications=${s.notificationsSent} mos=${s.mosSent}`);
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

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
