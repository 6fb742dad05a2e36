import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { ZodIssue } from 'zod';
import { GatewayError } from '../protocols/wire/errors';
import { ConfigSchema, formatPath, type Config } from './schema';

/** A config that failed to load; `issues` are `<path>: <message>` lines, one per problem. */
export class ConfigError extends GatewayError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super('CONFIG', `invalid configuration (${issues.length} issue${issues.length === 1 ? '' : 's'})`);
    this.issues = issues;
  }
}

/** Deeply readonly view of a value: the loaded config is frozen and typed so. */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type FrozenConfig = DeepReadonly<Config>;

export type LoadResult = { ok: true; config: FrozenConfig } | { ok: false; issues: string[] };

/** Reads, parses and validates a YAML config file. Never throws. */
export function loadConfig(path: string): LoadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    // Duck-typed: errors from node:fs may come from another realm (e.g. under jest), where instanceof fails.
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'unknown error';
    return { ok: false, issues: [`${path}: cannot read file (${code})`] };
  }
  return parseConfigText(text, path);
}

/** The same as `loadConfig`, throwing `ConfigError`: for callers that refuse to start on a bad file. */
export function loadConfigOrThrow(path: string): FrozenConfig {
  const r = loadConfig(path);
  if (!r.ok) throw new ConfigError(r.issues);
  return r.config;
}

/** Parses YAML text; `source` names the file in YAML syntax issues (`<source>:<line>:<col>: ...`). */
export function parseConfigText(text: string, source = 'config'): LoadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
        const where = pos ? `${source}:${pos.line}:${pos.col}` : source;
        return `${where}: YAML ${e.code}: ${firstLine(e.message)}`;
      }),
    };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, issues: [`${source}: YAML: ${err instanceof Error ? firstLine(err.message) : String(err)}`] };
  }
  return validateConfig(raw);
}

/** Validates an already-parsed document (e.g. from an admin reload call). */
export function validateConfig(raw: unknown): LoadResult {
  if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw))) {
    return { ok: false, issues: ['(root): expected a mapping of sections (node, store, connectors, ...)'] };
  }
  const r = ConfigSchema.safeParse(raw);
  if (!r.success) return { ok: false, issues: formatIssues(r.error.issues) };
  return { ok: true, config: deepFreeze(r.data) };
}

/** `<path>: <message>` per issue, unknown keys one line each, duplicates removed, in document order of discovery. */
export function formatIssues(issues: readonly ZodIssue[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const push = (path: readonly (string | number)[], message: string): void => {
    const line = `${path.length === 0 ? '(root)' : formatPath(path)}: ${message}`;
    if (!seen.has(line)) {
      seen.add(line);
      out.push(line);
    }
  };
  const visit = (i: ZodIssue): void => {
    switch (i.code) {
      case 'unrecognized_keys':
        for (const k of i.keys) push([...i.path, k], 'unknown key');
        return;
      case 'invalid_type':
        if (i.received === 'undefined') push(i.path, `required (expected ${i.expected})`);
        else if (!i.message.startsWith('Expected ')) push(i.path, i.message); // the schema's own wording
        else push(i.path, `expected ${i.expected}, received ${i.received}`);
        return;
      case 'invalid_enum_value':
        push(i.path, `expected one of ${i.options.map((o) => `'${String(o)}'`).join(' | ')}, received '${String(i.received)}'`);
        return;
      case 'invalid_literal':
        push(i.path, `expected '${String(i.expected)}'`);
        return;
      case 'invalid_union': {
        // A union member that got past the type check (e.g. the object form of `tls`) explains the problem best.
        const deeper = i.unionErrors.filter((e) =>
          e.issues.every((x) => !(x.code === 'invalid_type' && x.path.length === i.path.length)),
        );
        if (deeper.length === 1) for (const x of deeper[0]!.issues) visit(x);
        else push(i.path, 'expected true, false or a mapping of TLS options');
        return;
      }
      default:
        push(i.path, i.message);
    }
  };
  for (const i of issues) visit(i);
  return out;
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : s.slice(0, nl);
}

function deepFreeze<T>(v: T): DeepReadonly<T> {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v as DeepReadonly<T>;
}
