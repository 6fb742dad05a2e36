/**
 * `npm run sim:cimd2 -- --port P --user U --password W [--persona NAME] [--host H]`
 * e.g. `--persona "dlrAfter(500,delivered)"`. One line per event on stdout; SIGINT/SIGTERM close the sessions first.
 */
import { cliUsage, exitAfter, logLine, onStopSignal, parseCliOptions, personaOption, portOption, requiredOptions, runCli } from '../cli-args';
import { Cimd2PersonaParseError, parseCimd2Persona } from './personas';
import { startCimd2Simulator } from './simulator';

const usage = cliUsage('sim:cimd2 -- --port P --user U --password W [--persona NAME] [--host H]');

async function main(): Promise<void> {
  const values = parseCliOptions(process.argv.slice(2), ['port', 'host', 'user', 'password', 'persona'], usage);
  const port = portOption(values, 0, usage);
  const [user, password] = requiredOptions(values, ['user', 'password'], usage) as [string, string];
  const persona = personaOption(values, parseCimd2Persona, Cimd2PersonaParseError, usage);
  const sim = await startCimd2Simulator({ port, host: values.get('host') ?? '127.0.0.1', user, password, persona, log: logLine });
  onStopSignal(() => exitAfter(sim.close()));
}

runCli(main);
