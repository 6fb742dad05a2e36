import type { Writable } from 'node:stream';
import winston from 'winston';

/**
 * JSON-lines logging (the only module that imports winston). Secrets never reach the output: the `redact` format
 * replaces any field whose name looks like a password/secret/token, at any depth of the meta, without mutating the
 * caller's objects. Errors in meta become {name, code, message, stack} instead of `{}`.
 */
export type LogLevelName = 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug' | 'silly';
export type LogMeta = Record<string, unknown>;

export interface Logger {
  error(message: string, meta?: LogMeta): void;
  warn(message: string, meta?: LogMeta): void;
  info(message: string, meta?: LogMeta): void;
  debug(message: string, meta?: LogMeta): void;
  /** A logger adding `meta` to every line (e.g. {connector: 'sim'}). */
  child(meta: LogMeta): Logger;
  /** A logger for lines about one message: every line carries `messageId`. */
  forMessage(messageId: string): Logger;
  isLevelEnabled(level: LogLevelName): boolean;
  /** Changes the level at run time (config reload); children follow. */
  setLevel(level: LogLevelName): void;
}

export interface LoggerOptions {
  level: LogLevelName;
  /** Defaults to process.stdout. */
  stream?: Writable;
  /** Extra meta on every line (e.g. {node: 'node1'}). */
  base?: LogMeta;
}

export const REDACTED = '[redacted]';
const SECRET_KEY = /^(pass|pwd)$|passw(or)?d|secret|token|credential|authori[sz]ation|api[-_]?key|private[-_]?key/i;
const MAX_DEPTH = 8;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Copy of `value` with secret fields replaced; returns the same object when nothing needed changing. */
export function redactValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return errorToJson(value, depth, seen);
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[depth]';
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const v = redactValue(value[i], depth + 1, seen);
        if (v !== value[i]) (out ??= value.slice())[i] = v;
      }
      return out ?? value;
    }
    let out: Record<string, unknown> | undefined;
    const src = value as Record<string, unknown>;
    for (const k of Object.keys(src)) {
      const v = isSecretKey(k) ? REDACTED : redactValue(src[k], depth + 1, seen);
      if (v !== src[k]) (out ??= { ...src })[k] = v;
    }
    return out ?? value;
  } finally {
    seen.delete(value);
  }
}

function errorToJson(e: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: e.name, message: e.message };
  const extra = e as unknown as Record<string, unknown>;
  for (const k of Object.keys(extra)) out[k] = isSecretKey(k) ? REDACTED : redactValue(extra[k], depth + 1, seen);
  if (e.stack !== undefined) out['stack'] = e.stack;
  if (e.cause !== undefined && depth < MAX_DEPTH) out['cause'] = redactValue(e.cause, depth + 1, seen);
  return out;
}

/** winston format: redacts secrets in every top-level field of the log record (message and level are kept). */
export const redact = winston.format((info) => {
  const rec = info as Record<string, unknown>;
  for (const k of Object.keys(rec)) {
    if (k === 'level' || k === 'message') continue;
    rec[k] = isSecretKey(k) ? REDACTED : redactValue(rec[k]);
  }
  return info;
});

class WinstonLogger implements Logger {
  constructor(
    private readonly w: winston.Logger,
    private readonly root: winston.Logger,
  ) {}

  error(message: string, meta?: LogMeta): void {
    this.w.error(message, meta);
  }
  warn(message: string, meta?: LogMeta): void {
    this.w.warn(message, meta);
  }
  info(message: string, meta?: LogMeta): void {
    this.w.info(message, meta);
  }
  debug(message: string, meta?: LogMeta): void {
    // Debug lines are the ones on hot paths: skip building the record when the level is off.
    if (this.root.isLevelEnabled('debug')) this.w.debug(message, meta);
  }
  child(meta: LogMeta): Logger {
    return new WinstonLogger(this.w.child(meta), this.root);
  }
  forMessage(messageId: string): Logger {
    return this.child({ messageId });
  }
  isLevelEnabled(level: LogLevelName): boolean {
    return this.root.isLevelEnabled(level);
  }
  setLevel(level: LogLevelName): void {
    this.root.level = level;
  }
}

export function createLogger(opts: LoggerOptions): Logger {
  const w = winston.createLogger({
    level: opts.level,
    levels: winston.config.npm.levels,
    defaultMeta: opts.base,
    format: winston.format.combine(redact(), winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Stream({ stream: opts.stream ?? process.stdout })],
    exitOnError: false,
  });
  return new WinstonLogger(w, w);
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return silentLogger;
  },
  forMessage() {
    return silentLogger;
  },
  isLevelEnabled() {
    return false;
  },
  setLevel() {},
};
