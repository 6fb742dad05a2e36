/**
 * `npm run sim:partner -- [--port 9090] [--host 127.0.0.1] [--secret S] [--mode sync|sync-text|async|fail|failFirst:N|timeout]
 *   [--async-delay-ms 500] [--send-api http://127.0.0.1:8081 --api-key K] [--require-signature] [--quiet]`
 * Prints one line per request received (unless --quiet) and a count every 5 s.
 */
import { startPartnerSimulator, type PartnerMode } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function parseMode(s: string, asyncDelayMs: number): PartnerMode {
  if (s === 'sync') return { kind: 'sync', format: 'json' };
  if (s === 'sync-text') return { kind: 'sync', format: 'text' };
  if (s === 'async') return { kind: 'async', delayMs: asyncDelayMs };
  if (s === 'fail') return { kind: 'fail' };
  if (s === 'timeout') return { kind: 'timeout' };
  const m = /^failFirst:(\d+)$/.exec(s);
  if (m) return { kind: 'failFirst', count: Number(m[1]), format: 'json' };
  throw new Error(`unknown mode '${s}'`);
}

async function main(): Promise<void> {
  const quiet = process.argv.includes('--quiet');
  const sendApiUrl = arg('send-api');
  const sim = await startPartnerSimulator({
    host: arg('host') ?? '127.0.0.1',
    port: Number(arg('port') ?? 9090),
    secret: arg('secret'),
    mode: parseMode(arg('mode') ?? 'sync', Number(arg('async-delay-ms') ?? 500)),
    sendApi: sendApiUrl ? { url: sendApiUrl, apiKey: arg('api-key') ?? '' } : undefined,
    requireSignature: process.argv.includes('--require-signature'),
    recordNothing: quiet,
    maxRecords: 1000,
  });
  process.stdout.write(`partner simulator listening on ${sim.url}\n`);
  let shown = 0;
  const t = setInterval(() => {
    if (!quiet) {
      for (; shown < sim.received.length; shown++) {
        const r = sim.received[shown]!;
        process.stdout.write(`${r.method} ${r.path} sig=${r.signatureOk ? 'ok' : 'BAD'} ${JSON.stringify(r.fields)}\n`);
      }
      if (sim.received.length >= 1000) shown = sim.received.length;
    }
  }, 200);
  const s = setInterval(() => process.stdout.write(`requests=${sim.stats.requests} badSignatures=${sim.stats.badSignatures} asyncSent=${sim.stats.asyncSent}\n`), 5000);
  const stop = (): void => {
    clearInterval(t);
    clearInterval(s);
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
