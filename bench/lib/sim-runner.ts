/**
 * The child side of bench/lib/session-bench.ts: a simulator in its own process (so client and server do not share
 * one event loop) prints `PORT <n>` once listening and closes when stdin ends or on SIGTERM/SIGINT.
 */
export function serveUntilStdinEnd(port: number, close: () => Promise<void>): void {
  process.stdout.write(`PORT ${port}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void close().finally(() => process.exit(0));
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Starts a runner: a failure to listen prints the stack and exits 1, which the bench reports. */
export function runSimRunner(start: () => Promise<{ port: number; close: () => Promise<void> }>): void {
  start().then(
    (srv) => serveUntilStdinEnd(srv.port, srv.close),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
