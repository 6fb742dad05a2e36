/**
 * Request signing for partners: `X-Tollgate-Signature: sha256=<hex HMAC-SHA256(secret, content)>` and
 * `X-Tollgate-Timestamp: <epoch ms>`. The signed content is the raw request body for POST, and the raw query string
 * (everything after '?', as sent) for GET, which has no body. Partners recompute the HMAC over the bytes they
 * received and compare in constant time; the timestamp lets them refuse stale requests.
 * A string content is signed as its UTF-8 bytes (what goes on the wire).
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-tollgate-signature';
export const TIMESTAMP_HEADER = 'x-tollgate-timestamp';

/** Signs with one secret; the key is encoded once, not per request. */
export type Signer = (content: Buffer | string) => string;

export function createSigner(secret: string): Signer {
  const key: KeyObject = createSecretKey(Buffer.from(secret, 'utf8'));
  return (content) => 'sha256=' + createHmac('sha256', key).update(content).digest('hex');
}

export function signContent(secret: string, content: Buffer | string): string {
  return 'sha256=' + createHmac('sha256', secret).update(content).digest('hex');
}

/** Verifier bound to one secret (the key encoded once). */
export function createVerifier(secret: string): (content: Buffer | string, header: string | undefined) => boolean {
  const sign = createSigner(secret);
  return (content, header) => checkHeader(sign(content), header);
}

export function verifySignature(secret: string, content: Buffer | string, header: string | undefined): boolean {
  return checkHeader(signContent(secret, content), header);
}

function checkHeader(expectedHeader: string, header: string | undefined): boolean {
  if (header === undefined || !header.startsWith('sha256=')) return false;
  const expected = Buffer.from(expectedHeader, 'latin1');
  const got = Buffer.from(header, 'latin1');
  return got.length === expected.length && timingSafeEqual(got, expected);
}
