/**
 * Signal handling for the daemon process: SIGTERM/SIGINT start a graceful stop (a second one exits at once),
 * SIGHUP reloads. Returns a function that removes the handlers.
 */
export interface SignalTargets {
  stop(): Promise<void>;
  reload(): Promise<unknown>;
  log(msg: string, meta?: Record<string, unknown>): void;
  /** Injected for tests; default process.exit. */
  exit?: (code: number) => void;
}

export function installSignalHandlers(t: SignalTargets, proc: NodeJS.Process = process): () => void {
  const exit = t.exit ?? ((code: number) => proc.exit(code));
  let stopping = false;
  const onStop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      t.log('second signal: exiting now', { signal });
      exit(130);
      return;
    }
    stopping = true;
    t.log('stopping', { signal });
    t.stop().then(
      () => exit(0),
      (err: unknown) => {
        t.log('stop failed', { err: String(err) });
        exit(1);
      },
    );
  };
  const onHup = (): void => {
    void t.reload();
  };
  proc.on('SIGTERM', onStop);
  proc.on('SIGINT', onStop);
  proc.on('SIGHUP', onHup);
  return () => {
    proc.off('SIGTERM', onStop);
    proc.off('SIGINT', onStop);
    proc.off('SIGHUP', onHup);
  };
}
