/**
 * Partner authentication for the HTTP send API: `X-Api-Key: <key>`, or HTTP basic auth / sendsms username+password
 * over the SMPP credentials (system_id + password) or the partner id + an API key. Comparisons are constant-time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface PartnerAuth {
  byApiKey(key: string): string | undefined;
  byPassword(username: string, password: string): string | undefined;
}

export interface PartnerCredentials {
  partnerId: string;
  apiKeys: readonly string[];
  smpp?: { systemId: string; password: string };
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

function same(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so timingSafeEqual never leaks the length of the secret.
  return timingSafeEqual(digest(a), digest(b));
}

export function partnerAuthFrom(creds: readonly PartnerCredentials[]): PartnerAuth {
  const byKey = new Map<string, string>();
  for (const c of creds) for (const k of c.apiKeys) byKey.set(digest(k).toString('hex'), c.partnerId);
  return {
    byApiKey(key) {
      // Lookup by digest: constant work per request whatever the number of keys.
      return byKey.get(digest(key).toString('hex'));
    },
    byPassword(username, password) {
      for (const c of creds) {
        if (c.smpp && c.smpp.systemId === username && same(c.smpp.password, password)) return c.partnerId;
        if (c.partnerId === username) {
          for (const k of c.apiKeys) if (same(k, password)) return c.partnerId;
        }
      }
      return undefined;
    },
  };
}

/** Parses `Authorization: Basic ...`; undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): { username: string; password: string } | undefined {
  if (header === undefined) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
