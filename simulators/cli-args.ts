/**
 * What the simulator CLIs (sim:smpp, sim:ucp, sim:cimd2) share: strict `--name value` / `--name=value` parsing
 * (exit 2 with the usage line on anything unexpected), timestamped event lines and a graceful stop on signals.
 */

export type Usage = (msg: string) => never;

/** A usage reporter: prints the problem and the synopsis to stderr and exits 2. */
export function cliUsage(synopsis: string): Usage {
  return (msg) => {
    process.stderr.write(`${msg}\nusage: ${synopsis}\n`);
    process.exit(2);
  };
}

/** Options by name (without dashes); any positional argument, missing value or unknown name is a usage error. */
export function parseCliOptions(argv: readonly string[], known: readonly string[], usage: Usage): Map<string, string> {
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
  for (const k of values.keys()) if (!known.includes(k)) usage(`unknown option --${k}`);
  return values;
}

export function portOption(values: ReadonlyMap<string, string>, fallback: number, usage: Usage): number {
  const port = Number(values.get('port') ?? String(fallback));
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage('--port must be 0..65535');
  return port;
}

/** The values of options that must be given, in the order named. */
export function requiredOptions(values: ReadonlyMap<string, string>, names: readonly string[], usage: Usage): string[] {
  const missing = names.filter((n) => values.get(n) === undefined);
  if (missing.length > 0) usage(`${missing.map((n) => `--${n}`).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required`);
  return names.map((n) => values.get(n)!);
}

/** Parses `--persona` (default `happy`); the persona parser's own error class becomes a usage error. */
export function personaOption<P>(
  values: ReadonlyMap<string, string>,
  parse: (text: string) => P,
  parseError: abstract new (...args: never[]) => Error,
  usage: Usage,
): P {
  try {
    return parse(values.get('persona') ?? 'happy');
  } catch (err) {
    if (err instanceof parseError) usage(err.message);
    throw err;
  }
}

/** One event line on stdout, prefixed with an ISO timestamp. */
export function logLine(s: string): void {
  process.stdout.write(`${new Date().toISOString()} ${s}\n`);
}

/** Calls `stop` once, on the first SIGINT or SIGTERM. */
export function onStopSignal(stop: (signal: 'SIGINT' | 'SIGTERM') => void): void {
  let stopping = false;
  const once = (signal: 'SIGINT' | 'SIGTERM'): void => {
    if (stopping) return;
    stopping = true;
    stop(signal);
  };
  process.on('SIGINT', () => once('SIGINT'));
  process.on('SIGTERM', () => once('SIGTERM'));
}

/** Exits 0 after `close` settles, 1 (with the reason on stderr) if it rejects. */
export function exitAfter(close: Promise<unknown>, onClosed: () => void = () => undefined): void {
  close.then(
    () => {
      onClosed();
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`close failed: ${String(err)}\n`);
      process.exit(1);
    },
  );
}

/** Runs a CLI's main; a startup failure prints its stack and exits 1. */
export function runCli(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  });
}
