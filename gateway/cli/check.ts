import { loadConfig, type FrozenConfig } from '../../config/load';

/**
 * `tollgate check --config FILE`: validates the file and prints every problem, one per line with its path.
 * Exit code 0 when valid, 1 when not.
 */
export interface CheckResult {
  ok: boolean;
  issues: string[];
  config?: FrozenConfig;
}

export interface TextOut {
  write(s: string): unknown;
}

export function checkConfig(path: string): CheckResult {
  const r = loadConfig(path);
  return r.ok ? { ok: true, issues: [], config: r.config } : { ok: false, issues: r.issues };
}

/** Prints the verdict to `out` (issues to `err`, default `out`) and returns the process exit code. */
export function runCheck(path: string, out: TextOut = process.stdout, err: TextOut = out): number {
  const r = checkConfig(path);
  if (r.ok && r.config) {
    const c = r.config;
    out.write(
      `${path}: ok (${c.connectors.length} connector(s), ${c.partners.length} partner(s), ${c.routes.length} route(s), ` +
        `store ${c.store.path} synchronous=${c.store.synchronous})\n`,
    );
    return 0;
  }
  for (const issue of r.issues) err.write(`${issue}\n`);
  err.write(`${path}: invalid, ${r.issues.length} issue(s)\n`);
  return 1;
}
