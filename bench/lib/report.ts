import * as os from 'node:os';

/** Shared helpers for bench/*.ts scripts: machine info, percentiles, a plain table and the `--json` last line. */

export function machineInfo(): { cpu: string; cores: number; node: string; platform: string } {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

/** p in [0, 100], nearest rank. The input is never mutated: an unsorted input is sorted as a typed-array copy. */
export function percentile(sortedOrUnsorted: number[], p: number): number {
  const n = sortedOrUnsorted.length;
  if (n === 0) return NaN;
  let sorted: ArrayLike<number> = sortedOrUnsorted;
  for (let i = 1; i < n; i++) {
    if (sortedOrUnsorted[i - 1]! > sortedOrUnsorted[i]!) {
      sorted = Float64Array.from(sortedOrUnsorted).sort();
      break;
    }
  }
  const clamped = Math.min(100, Math.max(0, p));
  const rank = Math.ceil((clamped / 100) * n);
  return sorted[Math.min(n - 1, Math.max(0, rank - 1))]!;
}

/** Prints rows as an aligned text table; columns are the union of the rows' keys in first-seen order. */
export function printTable(rows: Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  const cell = (v: string | number | undefined): string =>
    v === undefined ? '' : typeof v === 'number' ? formatNumber(v) : v;
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]): string =>
    vals.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  process.stdout.write(line(cols) + '\n');
  process.stdout.write(widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
  for (const r of rows) process.stdout.write(line(cols.map((c) => cell(r[c]))) + '\n');
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3);
}

/** One JSON object on the last line of stdout, for scripts that collect results. */
export function printJsonLast(obj: unknown): void {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

/** True when `--name` (or `name` given with its dashes) is on the command line. */
export function hasFlag(name: string): boolean {
  const flag = name.startsWith('--') ? name : `--${name}`;
  return process.argv.includes(flag);
}

/** Value after `--name` (`--name 5` or `--name=5`), or undefined. */
export function flagValue(name: string): string | undefined {
  const flag = name.startsWith('--') ? name : `--${name}`;
  const args = process.argv;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === flag) return args[i + 1];
    if (a.startsWith(flag + '=')) return a.slice(flag.length + 1);
  }
  return undefined;
}

export function printMachine(): void {
  const m = machineInfo();
  process.stdout.write(`machine: ${m.cpu}, ${m.cores} cores, node ${m.node}, ${m.platform}\n`);
}
