import { loadConfig } from '../../config/load';
import { startDaemon } from '../daemon';
import { moObserverFromMetrics } from '../mo/metrics-observer';
import { credentialsFromConfig, startMoRuntime, type MoRuntime } from '../mo/mo-runtime';
import { createLogger } from '../logging';
import { installSignalHandlers } from '../shutdown';
import { runCheck } from './check';

const USAGE = `usage: tollgate start [--config FILE]   run the gateway (default config/demo.yaml)
       tollgate check --config FILE     validate a configuration file`;

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

/** Entry for bin/tollgate. Returns the exit code for commands that finish; `start` runs until a signal. */
export async function main(args: readonly string[]): Promise<number | undefined> {
  const [command, ...rest] = args;
  if (command === 'check') {
    const path = flag(rest, '--config');
    if (!path) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    return runCheck(path, process.stdout, process.stderr);
  }
  if (command === 'start' || command === undefined) {
    const path = flag(rest, '--config') ?? 'config/demo.yaml';
    const loaded = loadConfig(path);
    if (!loaded.ok) {
      for (const issue of loaded.issues) process.stderr.write(`${issue}\n`);
      process.stderr.write(`${path}: invalid, refusing to start\n`);
      return 1;
    }
    const logger = createLogger({ level: loaded.config.log.level, base: { node: loaded.config.node.id } });
    const cfg = loaded.config;
    let mo: MoRuntime | undefined;
    const daemon = await startDaemon({
      config: cfg,
      configPath: path,
      logger,
      adminExtra: (req, res) => mo?.adminRoutes(req, res) ?? false,
    });
    // The MO side (services, partner handlers, send API) shares the daemon's store file and its MO hook.
    mo = await startMoRuntime({
      host: daemon,
      config: cfg,
      database: cfg.store.path!,
      synchronous: cfg.store.synchronous,
      credentials: credentialsFromConfig(cfg.partners, cfg.partnerHttp),
      observer: moObserverFromMetrics(daemon.metrics, logger),
    });
    if (mo.sendApiPort !== undefined) logger.info('send API listening', { port: mo.sendApiPort });
    const moRuntime = mo;
    installSignalHandlers({
      stop: async () => {
        await moRuntime.close();
        await daemon.stop();
      },
      reload: () => daemon.reload(),
      log: (msg, meta) => logger.info(msg, meta),
    });
    return undefined;
  }
  process.stderr.write(`${USAGE}\n`);
  return command === '--help' || command === 'help' ? 0 : 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`tollgate: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
