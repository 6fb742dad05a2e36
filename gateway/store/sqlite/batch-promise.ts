/**
 * The one promise every write of the current batch returns: made on the first write, handed over (resolve and
 * reject) when the batch is taken for commit, after which the next write starts a new one. A promise per batch
 * instead of per write keeps the hot path to one allocation per commit.
 */
export class BatchPromise {
  private promise: Promise<void> | undefined;
  private resolveFn: (() => void) | undefined;
  private rejectFn: ((e: unknown) => void) | undefined;

  /** The current batch's promise, made on first use. */
  get(): Promise<void> {
    let p = this.promise;
    if (p === undefined) {
      p = new Promise<void>((resolve, reject) => {
        this.resolveFn = resolve;
        this.rejectFn = reject;
      });
      this.promise = p;
    }
    return p;
  }

  /** Hands over the current batch's settle functions (undefined when no write asked for the promise) and resets. */
  take(): { resolve: (() => void) | undefined; reject: ((e: unknown) => void) | undefined } {
    const t = { resolve: this.resolveFn, reject: this.rejectFn };
    this.promise = this.resolveFn = this.rejectFn = undefined;
    return t;
  }
}
