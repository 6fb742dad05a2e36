import { isIP } from 'node:net';
import { z } from 'zod';
import { MoConfigShape, moCrossFieldIssues } from './mo-schema';

/**
 * The one configuration schema. Types are inferred from it (never written twice); every limit has an explicit
 * default and every duration/size carries its unit in the name. Objects are strict so a misspelt key is reported
 * instead of silently falling back to a default. Relative paths (dataDir, store.path, certificate files) are
 * relative to the daemon's working directory.
 */

const intAtLeast = (min: number, max?: number) => {
  const msg = max === undefined ? `expected integer >= ${min}` : `expected integer in ${min}..${max}`;
  const base = z.number({ invalid_type_error: msg }).int({ message: msg }).min(min, { message: msg });
  return max === undefined ? base : base.max(max, { message: msg });
};

const port = () => intAtLeast(0, 65535);
const nonEmpty = (what = 'string') => z.string().min(1, { message: `expected non-empty ${what}` });
/** SMPP C-Octet strings: system_id max 16 and password max 9 octets including the terminating NUL. */
const smppSystemId = () => nonEmpty().max(15, { message: 'expected at most 15 characters (SMPP system_id)' });
const smppPassword = () => z.string().max(8, { message: 'expected at most 8 characters (SMPP password)' });

export const PERSONA_NAMES = [
  'happy',
  'blackHole',
  'nackOnSubmit',
  'noResponseOnSubmit',
  'unbindOnSubmit',
  'slow',
  'dropAfterBind',
  'corruptLength',
  'dlrAfter',
] as const;

const persona = z
  .string()
  .regex(/^[A-Za-z]+(\(.*\))?$/, { message: 'expected a persona like happy or dlrAfter(200,delivered)' })
  .refine((p) => (PERSONA_NAMES as readonly string[]).includes(p.replace(/\(.*$/, '')), {
    message: `expected a persona name among ${PERSONA_NAMES.join(', ')}`,
  });

const ipOrCidr = z.string().refine(
  (s) => {
    const slash = s.indexOf('/');
    if (slash < 0) return isIP(s) !== 0;
    const family = isIP(s.slice(0, slash));
    const bitsText = s.slice(slash + 1);
    if (family === 0 || !/^\d{1,3}$/.test(bitsText)) return false;
    return Number(bitsText) <= (family === 4 ? 32 : 128);
  },
  { message: 'expected an IP address or CIDR block (e.g. 10.0.0.0/8)' },
);

export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;

export const NodeSchema = z
  .object({
    id: nonEmpty().default('node1'),
    dataDir: nonEmpty().default('./data'),
  })
  .strict();

export const StoreSchema = z
  .object({
    kind: z.literal('sqlite').default('sqlite'),
    /** Defaults to `<node.dataDir>/tollgate.sqlite` (filled in by the top-level transform). */
    path: nonEmpty().optional(),
    /**
     * FULL: a write is acknowledged only after the WAL holding its commit is fsync'd (nothing acknowledged is lost
     * on power loss). NORMAL: acknowledged at commit; survives a process crash, a power loss may lose the last commits.
     */
    synchronous: z.enum(['FULL', 'NORMAL']).default('FULL'),
    /**
     * How long the first queued write waits for company (0 = until the end of the event-loop turn). Main-thread
     * store: before the commit, when no fsync is in flight. Worker store: before the ops are posted to the worker,
     * which commits everything posted since its last commit anyway, so any wait only adds latency.
     */
    groupCommitMaxDelayMs: intAtLeast(0).default(0),
    /** A batch reaching this many operations is committed at once. */
    groupCommitMaxBatch: intAtLeast(1).default(2000),
    /**
     * true: the connection, statements, commits and fsyncs run in a worker thread, off the event loop that moves
     * messages. false: all on the main thread (WAL checkpoints still in a small worker).
     */
    worker: z.boolean().default(true),
    retentionHours: intAtLeast(1).default(72),
    purgeIntervalMs: intAtLeast(1000).default(600_000),
  })
  .strict();

export const AdminSchema = z
  .object({
    host: nonEmpty().default('127.0.0.1'),
    port: port().default(8080),
  })
  .strict();

export const LogSchema = z
  .object({
    level: z.enum(LOG_LEVELS).default('info'),
  })
  .strict();

const TlsClientSchema = z.union([
  z.boolean(),
  z
    .object({
      rejectUnauthorized: z.boolean().default(true),
      /** Path of a PEM CA bundle. */
      ca: nonEmpty().optional(),
      servername: nonEmpty().optional(),
    })
    .strict(),
]);

export const ConnectorSchema = z
  .object({
    id: nonEmpty(),
    protocol: z.enum(['smpp', 'ucp', 'cimd2']),
    host: nonEmpty(),
    port: intAtLeast(1, 65535),
    /** SMPP system_id; for UCP the OAdC/user and for CIMD2 the user identity (`user` is accepted as an alias). */
    systemId: nonEmpty().optional(),
    user: nonEmpty().optional(),
    password: z.string().default(''),
    systemType: z.string().max(12, { message: 'expected at most 12 characters' }).optional(),
    bindType: z.enum(['transmitter', 'receiver', 'transceiver']).default('transceiver'),
    binds: intAtLeast(1, 64).default(1),
    windowSize: intAtLeast(1, 10_000).default(100),
    /** 0 = unlimited. Shared by all binds of the connector. */
    maxSubmitPerSec: intAtLeast(0).default(0),
    enquireLinkIntervalMs: intAtLeast(1000).default(30_000),
    responseTimeoutMs: intAtLeast(100).default(30_000),
    reconnectMinMs: intAtLeast(10).default(1000),
    reconnectMaxMs: intAtLeast(10).default(60_000),
    tls: TlsClientSchema.default(false),
    sourceAddrTon: intAtLeast(0, 255).default(1),
    sourceAddrNpi: intAtLeast(0, 255).default(1),
    destAddrTon: intAtLeast(0, 255).default(1),
    destAddrNpi: intAtLeast(0, 255).default(1),
    /** How the SMSC writes message ids (submit_sm_resp vs receipt); 'auto' normalises hex/decimal/leading zeros. */
    receiptIdFormat: z.enum(['auto', 'hex', 'decimal']).default('auto'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.systemId === undefined && c.user === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['systemId'], message: 'required (systemId or user)' });
    }
    if (c.systemId !== undefined && c.user !== undefined && c.systemId !== c.user) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['user'], message: 'conflicts with systemId: give one of them' });
    }
    if (c.protocol === 'smpp') {
      const sid = c.systemId ?? c.user ?? '';
      if (sid.length > 15) {
        const key = c.systemId !== undefined ? 'systemId' : 'user';
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: 'expected at most 15 characters (SMPP system_id)' });
      }
      if (c.password.length > 8) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['password'], message: 'expected at most 8 characters (SMPP password)' });
      }
    }
    if (c.reconnectMinMs > c.reconnectMaxMs) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['reconnectMinMs'], message: 'expected <= reconnectMaxMs' });
    }
  })
  .transform(({ user, ...rest }) => ({ ...rest, systemId: rest.systemId ?? user ?? '' }));

export const PartnerSmppSchema = z
  .object({
    systemId: smppSystemId(),
    password: smppPassword(),
    /** Empty = any source address. */
    allowedIps: z.array(ipOrCidr).default([]),
    maxBinds: intAtLeast(1, 1000).default(4),
    /** 0 = unlimited; above it submits are answered ESME_RTHROTTLED. */
    maxSubmitPerSec: intAtLeast(0).default(0),
  })
  .strict();

export const PartnerSchema = z
  .object({
    id: nonEmpty(),
    smpp: PartnerSmppSchema.optional(),
    receiptMode: z.enum(['perPart', 'whole']).default('perPart'),
    receiptMaxAgeHours: intAtLeast(1).default(72),
    defaultValidityHours: intAtLeast(1).default(48),
  })
  .strict();

export const SmppServerSchema = z
  .object({
    host: nonEmpty().default('0.0.0.0'),
    port: port().default(2775),
    tls: z
      .object({
        port: port(),
        certFile: nonEmpty(),
        keyFile: nonEmpty(),
      })
      .strict()
      .optional(),
    enquireLinkIntervalMs: intAtLeast(1000).default(30_000),
    responseTimeoutMs: intAtLeast(100).default(30_000),
    windowSize: intAtLeast(1, 10_000).default(100),
  })
  .strict();

export const RouteSchema = z
  .object({
    id: nonEmpty(),
    /** Destination prefix, digits only; '' matches every destination (the default route). Longest prefix wins. */
    prefix: z.string().regex(/^[0-9]*$/, { message: "expected digits only ('' = default route)" }),
    partners: z.array(nonEmpty()).min(1, { message: 'expected at least one partner id (omit the key for any)' }).optional(),
    /** Prefixes of the source address. */
    sources: z.array(z.string()).min(1, { message: 'expected at least one source prefix (omit the key for any)' }).optional(),
    /** Connector ids: ordered failover, or weighted round robin when `weights` is given. */
    targets: z.array(nonEmpty()).min(1, { message: 'expected at least one connector id' }),
    weights: z.array(intAtLeast(1)).optional(),
  })
  .strict();

export const RetrySchema = z
  .object({
    maxAttempts: intAtLeast(1).default(10),
    backoffMinMs: intAtLeast(1).default(1000),
    backoffMaxMs: intAtLeast(1).default(300_000),
  })
  .strict();

export const SimulatorSchema = z
  .object({
    protocol: z.literal('smpp'),
    host: nonEmpty().default('127.0.0.1'),
    port: intAtLeast(1, 65535),
    systemId: smppSystemId(),
    password: smppPassword(),
    persona: persona.default('happy'),
  })
  .strict();

const BaseConfigSchema = z
  .object({
    node: NodeSchema.default({}),
    store: StoreSchema.default({}),
    admin: AdminSchema.default({}),
    log: LogSchema.default({}),
    connectors: z.array(ConnectorSchema).default([]),
    partners: z.array(PartnerSchema).default([]),
    smppServer: SmppServerSchema.default({}),
    routes: z.array(RouteSchema).default([]),
    retry: RetrySchema.default({}),
    simulators: z.array(SimulatorSchema).default([]),
    // MO services, partner HTTP handlers and the send API (issue 6): services, noMatch, partnerHttp, mo, sendApi.
    ...MoConfigShape,
  })
  .strict();

type Path = (string | number)[];
type Issue = { path: Path; message: string };

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const field = (o: unknown, k: string): unknown =>
  o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>)[k] : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown, dflt: number): number | undefined => (v === undefined ? dflt : typeof v === 'number' ? v : undefined);

/**
 * Checks across sections (unique ids, route targets naming connectors, ...). Runs on the raw document, reading only
 * the values that are well-typed, so a file with a type error elsewhere still gets every cross-field issue reported.
 */
export function crossFieldIssues(raw: unknown): Issue[] {
  const issues: Issue[] = [];
  const issue = (path: Path, message: string): void => {
    issues.push({ path, message });
  };
  const uniq = (items: unknown[], key: (t: unknown) => string | undefined, path: (i: number) => Path, what: string): void => {
    const seen = new Map<string, number>();
    items.forEach((it, i) => {
      const k = key(it);
      if (k === undefined) return;
      const first = seen.get(k);
      if (first === undefined) seen.set(k, i);
      else issue(path(i), `duplicate ${what} '${k}' (first at index ${first})`);
    });
  };
  const connectors = asArray(field(raw, 'connectors'));
  const partners = asArray(field(raw, 'partners'));
  const routes = asArray(field(raw, 'routes'));
  const simulators = asArray(field(raw, 'simulators'));
  uniq(connectors, (x) => str(field(x, 'id')), (i) => ['connectors', i, 'id'], 'connector id');
  uniq(partners, (x) => str(field(x, 'id')), (i) => ['partners', i, 'id'], 'partner id');
  uniq(partners, (x) => str(field(field(x, 'smpp'), 'systemId')), (i) => ['partners', i, 'smpp', 'systemId'], 'partner systemId');
  uniq(routes, (x) => str(field(x, 'id')), (i) => ['routes', i, 'id'], 'route id');

  const connectorIds = new Set(connectors.map((x) => str(field(x, 'id'))));
  const partnerIds = new Set(partners.map((x) => str(field(x, 'id'))));
  routes.forEach((r, i) => {
    const targets = asArray(field(r, 'targets'));
    targets.forEach((t, j) => {
      if (typeof t === 'string' && t !== '' && !connectorIds.has(t)) issue(['routes', i, 'targets', j], `unknown connector '${t}'`);
    });
    uniq(targets, str, (j) => ['routes', i, 'targets', j], 'target');
    asArray(field(r, 'partners')).forEach((p, j) => {
      if (typeof p === 'string' && p !== '' && !partnerIds.has(p)) issue(['routes', i, 'partners', j], `unknown partner '${p}'`);
    });
    const weights = field(r, 'weights');
    if (Array.isArray(weights) && Array.isArray(field(r, 'targets')) && weights.length !== targets.length) {
      issue(['routes', i, 'weights'], `expected ${targets.length} weights (one per target), got ${weights.length}`);
    }
  });

  const retry = field(raw, 'retry');
  const bMin = num(field(retry, 'backoffMinMs'), 1000);
  const bMax = num(field(retry, 'backoffMaxMs'), 300_000);
  if (bMin !== undefined && bMax !== undefined && bMin > bMax) issue(['retry', 'backoffMinMs'], 'expected <= retry.backoffMaxMs');

  // Listening ports of this process must not collide (0 = ephemeral, never a collision).
  const admin = field(raw, 'admin');
  const server = field(raw, 'smppServer');
  const ports: { port: number | undefined; path: Path }[] = [
    { port: num(field(admin, 'port'), 8080), path: ['admin', 'port'] },
    { port: num(field(server, 'port'), 2775), path: ['smppServer', 'port'] },
    { port: num(field(field(raw, 'sendApi'), 'port'), 8081), path: ['sendApi', 'port'] },
  ];
  const tls = field(server, 'tls');
  if (tls !== undefined) ports.push({ port: num(field(tls, 'port'), -1), path: ['smppServer', 'tls', 'port'] });
  simulators.forEach((s, i) => ports.push({ port: num(field(s, 'port'), -1), path: ['simulators', i, 'port'] }));
  const taken = new Map<number, string>();
  for (const p of ports) {
    if (p.port === undefined || p.port <= 0) continue;
    const prev = taken.get(p.port);
    if (prev !== undefined) issue(p.path, `port ${p.port} already used by ${prev}`);
    else taken.set(p.port, formatPath(p.path));
  }
  return issues;
}

/** `connectors[2].windowSize` from ['connectors', 2, 'windowSize']. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? p : `.${p}`;
  }
  return out;
}

/**
 * The whole document: field-level validation and the cross-field checks both run, so every problem is reported at
 * once. The output has every default applied and `store.path` resolved.
 */
export const ConfigSchema = z.unknown().transform((raw, ctx) => {
  const parsed = BaseConfigSchema.safeParse(raw === null || raw === undefined ? {} : raw);
  if (!parsed.success) for (const i of parsed.error.issues) ctx.addIssue(i);
  const cross = crossFieldIssues(raw);
  for (const i of cross) ctx.addIssue({ code: z.ZodIssueCode.custom, path: i.path, message: i.message });
  if (!parsed.success || cross.length > 0) return z.NEVER;
  const c = parsed.data;
  const moIssues = moCrossFieldIssues(c, {
    partners: new Set(c.partners.map((p) => p.id)),
    connectors: new Set(c.connectors.map((x) => x.id)),
  });
  for (const i of moIssues) ctx.addIssue({ code: z.ZodIssueCode.custom, path: i.path, message: i.message });
  if (moIssues.length > 0) return z.NEVER;
  return { ...c, store: { ...c.store, path: c.store.path ?? joinPath(c.node.dataDir, 'tollgate.sqlite') } };
});

function joinPath(dir: string, file: string): string {
  return dir.endsWith('/') ? dir + file : `${dir}/${file}`;
}

export type Config = z.infer<typeof ConfigSchema>;
/** What a YAML file may contain (defaults not yet applied). */
export type ConfigInput = z.input<typeof BaseConfigSchema>;
export type ConnectorConfig = Config['connectors'][number];
export type PartnerConfig = Config['partners'][number];
export type RouteConfig = Config['routes'][number];
export type SimulatorConfig = Config['simulators'][number];
export type StoreConfig = Config['store'];
export type SmppServerConfig = Config['smppServer'];
export type RetryConfig = Config['retry'];
export type LogLevel = (typeof LOG_LEVELS)[number];
