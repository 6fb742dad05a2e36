/**
 * Request signing for partners: `X-Tollgate-Signature: sha256=<hex HMAC-SHA256(secret, content)>` and
 * `X-Tollgate-Timestamp: <epoch ms>`. The signed content is the raw request body for POST, and the raw query string
 * (everything after '?', as sent) for GET, which has no body. Partners recompute the HMAC over the bytes they
 * received and compare in constant time; the timestamp lets them refuse stale requests.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-tollgate-signature';
export const TIMESTAMP_HEADER = 'x-tollgate-timestamp';

export function signContent(secret: string, content: Buffer | string): string {
  return 'sha256=' + createHmac('sha256', secret).update(content).digest('hex');
}

export function verifySignature(secret: string, content: Buffer | string, header: string | undefined): boolean {
  if (header === undefined || !header.startsWith('sha256=')) return false;
  const expected = Buffer.from(signContent(secret, content), 'latin1');
  const got = Buffer.from(header, 'latin1');
  return got.length === expected.length && timingSafeEqual(got, expected);
}
