/** The `<path>` part of a `<path>: <message>` issue line. */
export function formatPath(issue: string): string {
  const i = issue.indexOf(': ');
  return i < 0 ? issue : issue.slice(0, i);
}

/** A plain, unfrozen deep copy of a loaded config (as a YAML dump and reload would give). */
export function normaliseDefaults(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
