/** Counts background tasks so that `idle()` (tests, shutdown) resolves once every task has settled. */
export class TaskTracker {
  private inFlight = 0;
  private waiters: (() => void)[] = [];

  track(p: Promise<unknown>, onError: (e: unknown) => void): void {
    this.inFlight++;
    p.then(
      () => this.done(),
      (e: unknown) => {
        onError(e);
        this.done();
      },
    );
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
