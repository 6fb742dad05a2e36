/**
 * Config fragment for MO services, partner HTTP handlers and the send API (issue 6). The foundation's ConfigSchema
 * spreads `MoConfigShape` into its top-level object and adds `refineMoConfig` to its cross-field checks.
 */
import { z } from 'zod';

const HandlerBase = {
  timeoutMs: z.number().int().min(1).default(5000),
  concurrency: z.number().int().min(1).max(10_000).default(32),
  /** Extra attempts after the first one. */
  retries: z.number().int().min(0).max(100).default(3),
  backoffMinMs: z.number().int().min(0).default(500),
  backoffMaxMs: z.number().int().min(0).default(30_000),
  /** Requests waiting for a concurrency slot at most; above it the MO waits in the store (dead-letter on failure). */
  maxQueued: z.number().int().min(0).default(10_000),
  /**
   * 1: one request per connection at a time (pooled http.Agent). > 1: HTTP/1.1 pipelining, this many requests in flight
   * per connection (about 6x less CPU per request; the partner's server must handle pipelined requests).
   */
  pipelineDepth: z.number().int().min(1).max(1000).default(1),
};

export const HandlerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('httpGet'), url: z.string().url(), ...HandlerBase }).strict(),
  z.object({ kind: z.literal('httpPost'), url: z.string().url(), ...HandlerBase }).strict(),
  z.object({ kind: z.literal('httpPostAsync'), url: z.string().url(), ...HandlerBase }).strict(),
  z
    .object({
      kind: z.literal('smpp'),
      ...HandlerBase,
      /** Queued MOs older than this when the partner binds are expired, not delivered. */
      maxAgeMs: z.number().int().min(1).default(24 * 3600_000),
    })
    .strict(),
]);

export const ServiceSchema = z
  .object({
    id: z.string().min(1),
    shortNumber: z.string().regex(/^\+?[0-9A-Za-z]{1,21}$/, 'expected a short number (digits or alphanumeric, <= 21)'),
    keyword: z.string().min(1).optional(),
    regex: z.string().min(1).optional(),
    operator: z.string().min(1).optional(),
    partner: z.string().min(1),
    handler: HandlerSchema,
    tariff: z.string().optional(),
  })
  .strict();

export const PartnerHttpSchema = z
  .object({
    partner: z.string().min(1),
    /** HMAC-SHA256 key for X-Tollgate-Signature on requests to the partner. */
    secret: z.string().min(16, 'expected at least 16 characters'),
    /** Keys accepted in the X-Api-Key header (or as the basic-auth / sendsms password with the partner id). */
    apiKeys: z.array(z.string().min(16)).default([]),
    /** Default receipt callback URL (a message may give its own). */
    callbackUrl: z.string().url().optional(),
    callbackRetries: z.number().int().min(0).max(100).default(5),
    callbackTimeoutMs: z.number().int().min(1).default(5000),
    /** Default sender when a send request has no `from`. */
    defaultSource: z.string().optional(),
  })
  .strict();

export const MoSettingsSchema = z
  .object({
    reassemblyTimeoutMs: z.number().int().min(1000).default(120_000),
    partialPolicy: z.enum(['deliver', 'drop']).default('deliver'),
    maxOpenGroups: z.number().int().min(1).default(100_000),
    /** Dead-lettered MOs are tried again this often (0 = only by the admin replay). */
    redriveIntervalMs: z.number().int().min(0).default(60_000),
    /** Validity of reply MTs. */
    replyValidityMs: z.number().int().min(60_000).default(24 * 3600_000),
  })
  .strict();

export const SendApiSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8081),
    maxBodyBytes: z.number().int().min(256).default(65_536),
    idempotencyTtlMs: z.number().int().min(1).default(24 * 3600_000),
  })
  .strict();

/** Spread into the top-level z.object({...}) of ConfigSchema. */
export const MoConfigShape = {
  services: z.array(ServiceSchema).default([]),
  noMatch: z.object({ reply: z.string().min(1).optional() }).strict().default({}),
  partnerHttp: z.array(PartnerHttpSchema).default([]),
  mo: MoSettingsSchema.default({}),
  sendApi: SendApiSchema.default({}),
};

export const MoConfigSchema = z.object(MoConfigShape);
export type MoConfig = z.infer<typeof MoConfigSchema>;
export type ServiceConfig = z.infer<typeof ServiceSchema>;
export type HandlerConfig = z.infer<typeof HandlerSchema>;
export type PartnerHttpConfig = z.infer<typeof PartnerHttpSchema>;

export interface MoIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Cross-field checks on the parsed MO sections, with the known partner and connector ids; each issue carries its path
 * (`services[2].partner`). Use from the top-level cross-field pass, or `refineMoConfig` inside a zod superRefine.
 */
export function moCrossFieldIssues(
  cfg: Pick<MoConfig, 'services' | 'partnerHttp'>,
  known: { partners: ReadonlySet<string>; connectors: ReadonlySet<string> },
): MoIssue[] {
  const issues: MoIssue[] = [];
  const add = (path: (string | number)[], message: string): void => void issues.push({ path, message });
  const ids = new Set<string>();
  cfg.services.forEach((s, i) => {
    if (ids.has(s.id)) add(['services', i, 'id'], `duplicate service id '${s.id}'`);
    ids.add(s.id);
    if (!known.partners.has(s.partner)) add(['services', i, 'partner'], `unknown partner '${s.partner}'`);
    if (s.operator !== undefined && !known.connectors.has(s.operator)) add(['services', i, 'operator'], `unknown connector '${s.operator}'`);
    if (s.keyword !== undefined && s.regex !== undefined) add(['services', i, 'regex'], 'keyword and regex are exclusive');
    if (s.regex !== undefined) {
      try {
        new RegExp(s.regex);
      } catch {
        add(['services', i, 'regex'], 'invalid regular expression');
      }
    }
    if (s.handler.kind !== 'smpp' && !cfg.partnerHttp.some((p) => p.partner === s.partner)) {
      add(['services', i, 'handler'], `HTTP handler needs a partnerHttp entry for '${s.partner}' (signing secret)`);
    }
  });
  const ph = new Set<string>();
  cfg.partnerHttp.forEach((p, i) => {
    if (ph.has(p.partner)) add(['partnerHttp', i, 'partner'], `duplicate partnerHttp entry '${p.partner}'`);
    ph.add(p.partner);
    if (!known.partners.has(p.partner)) add(['partnerHttp', i, 'partner'], `unknown partner '${p.partner}'`);
  });
  return issues;
}

export function refineMoConfig(
  cfg: Pick<MoConfig, 'services' | 'partnerHttp'>,
  known: { partners: ReadonlySet<string>; connectors: ReadonlySet<string> },
  ctx: z.RefinementCtx,
): void {
  for (const i of moCrossFieldIssues(cfg, known)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: i.path, message: i.message });
}
