/** Counts background tasks so that `idle()` (tests, shutdown) resolves once every task has settled. */
export class TaskTracker {
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  // Bound once: tracking a task allocates nothing but the `then` itself.
  private readonly ok = (): void => this.done();
  private readonly failed = (e: unknown): void => {
    this.onError(e);
    this.done();
  };

  constructor(private readonly onError: (e: unknown) => void = () => undefined) {}

  track(p: Promise<unknown>): void {
    this.inFlight++;
    p.then(this.ok, this.failed);
  }

  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private done(): void {
    if (--this.inFlight === 0) {
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    }
  }
}
