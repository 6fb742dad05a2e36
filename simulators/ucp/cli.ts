import { cliUsage, exitAfter, logLine, onStopSignal, parseCliOptions, personaOption, portOption, requiredOptions, runCli } from '../cli-args';
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

const usage = cliUsage('sim:ucp -- --port P --user U --password W [--persona NAME] [--host 127.0.0.1] [--mo-every-ms N]');

export function parseArgs(argv: string[]): CliArgs {
  const values = parseCliOptions(argv, OPTIONS, usage);
  const port = portOption(values, 3000, usage);
  const [user, password] = requiredOptions(values, ['user', 'password'], usage) as [string, string];
  const persona = personaOption(values, parseUcpPersona, UcpPersonaParseError, usage);
  const moEveryMs = Number(values.get('mo-every-ms') ?? '0');
  if (!Number.isFinite(moEveryMs) || moEveryMs < 0) usage('--mo-every-ms must be >= 0');
  return {
    port, host: values.get('host') ?? '127.0.0.1', user, password, persona, moEveryMs,
    moFrom: values.get('mo-from') ?? '447700900123', moText: values.get('mo-text') ?? 'Hello from the UCP simulator',
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const line = logLine;
  const sim = await startUcpSimulator({ port: args.port, host: args.host, user: args.user, password: args.password, persona: args.persona, log: line });
  const moTimer = args.moEveryMs > 0
    ? setInterval(() => {
        if ([...sim.sessions].some((s) => s.state === 'logged_in')) {
          sim.injectMo(args.moFrom, args.user, args.moText).catch((err: unknown) => line(`MO failed: ${(err as Error).name}`));
        }
      }, args.moEveryMs)
    : undefined;
  onStopSignal((signal) => {
    if (moTimer) clearInterval(moTimer);
    line(`${signal}: closing ${sim.sessions.size} session(s)`);
    exitAfter(sim.close(), () => {
      const st = sim.stats;
      line(`stopped logins=${st.logins} submits=${st.submits} notifications=${st.notificationsSent} mos=${st.mosSent}`);
    });
  });
}

if (require.main === module) runCli(main);
