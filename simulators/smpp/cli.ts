import { cliUsage, exitAfter, logLine, onStopSignal, parseCliOptions, personaOption, portOption, requiredOptions, runCli } from '../cli-args';
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

const usage = cliUsage('sim:smpp -- --port P --system-id U --password W [--persona NAME] [--host 127.0.0.1]');

function parseArgs(argv: string[]): CliArgs {
  const values = parseCliOptions(argv, ['port', 'host', 'system-id', 'password', 'persona'], usage);
  const port = portOption(values, 2775, usage);
  const [systemId, password] = requiredOptions(values, ['system-id', 'password'], usage) as [string, string];
  const persona = personaOption(values, parsePersona, PersonaParseError, usage);
  return { port, host: values.get('host') ?? '127.0.0.1', systemId, password, persona };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sim = await startSmppSimulator({ ...args, log: logLine });
  onStopSignal((signal) => {
    logLine(`${signal}: unbinding ${sim.sessions.size} session(s)`);
    exitAfter(sim.close(), () => logLine(`stopped submits=${sim.stats.submits} receipts=${sim.stats.receiptsSent} binds=${sim.stats.binds}`));
  });
}

runCli(main);
