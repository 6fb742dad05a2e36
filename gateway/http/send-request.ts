/**
 * The send API's request shape and its validation: every problem reported with its field
 * (`{"errors": [{"field": "to", "message": "..."}]}`), never just the first one.
 */
import { z } from 'zod';
import { chooseEncoding, dataCodingFor, encodeText } from '../../protocols/wire/text';
import type { Message, MessageId, MessagePart } from '../../routing/message';
import { fitsOneSms, splitPayload } from '../adapters/split-payload';

const addr = z.string().trim().min(1, 'required').max(21, 'at most 21 characters');
const msisdn = z
  .string()
  .trim()
  .regex(/^\+?[0-9]{3,20}$/, 'expected an international number (digits, optional +)');

export const SendRequestSchema = z
  .object({
    from: addr.optional(),
    to: msisdn,
    text: z.string().min(1, 'must not be empty').max(10_000, 'at most 10000 characters').optional(),
    hex: z
      .string()
      .regex(/^(?:[0-9a-fA-F]{2})+$/, 'expected an even number of hex digits')
      .max(20_000, 'at most 10000 bytes')
      .optional(),
    dataCoding: z.number().int().min(0).max(255).optional(),
    reference: z.string().min(1).max(64).optional(),
    callbackUrl: z.string().url().refine((u) => /^https?:/i.test(u), 'expected an http(s) URL').optional(),
    idempotencyKey: z.string().min(1).max(128).optional(),
    registeredDelivery: z.boolean().optional(),
    validityMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
  })
  .strict();

export type SendRequest = z.infer<typeof SendRequestSchema>;

export interface FieldError {
  field: string;
  message: string;
}

/** Cross-field rules, checked on the raw object so they are reported together with the per-field ones. */
function crossFieldErrors(body: unknown): FieldError[] {
  if (typeof body !== 'object' || body === null) return [];
  const o = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  if (o['text'] === undefined && o['hex'] === undefined) errors.push({ field: 'text', message: 'text or hex is required' });
  if (o['text'] !== undefined && o['hex'] !== undefined) errors.push({ field: 'hex', message: 'give text or hex, not both' });
  if (o['hex'] !== undefined && o['dataCoding'] === undefined) errors.push({ field: 'dataCoding', message: 'required with hex' });
  return errors;
}

export function validateSendRequest(body: unknown): { ok: true; req: SendRequest } | { ok: false; errors: FieldError[] } {
  const r = SendRequestSchema.safeParse(body);
  const errors = r.success
    ? []
    : r.error.issues.map((i) => ({
        field: i.path.length > 0 ? i.path.join('.') : i.code === 'unrecognized_keys' ? i.keys.join(',') : '(body)',
        message: i.code === 'invalid_type' && i.received === 'undefined' ? 'required' : i.message,
      }));
  errors.push(...crossFieldErrors(body));
  if (r.success && errors.length === 0) return { ok: true, req: r.data };
  return { ok: false, errors };
}

export interface MtContext {
  id: MessageId;
  partnerId: string;
  source: string;
  now: number;
  defaultValidityMs: number;
  /** Ask the SMSC for a receipt (a callback URL is known for this message). */
  receipt: boolean;
}

/** A validated request as an MT Message (state 'accepted'); long texts become concatenated parts. */
export function mtFromRequest(req: SendRequest, ctx: MtContext): Message {
  let body: Buffer;
  let dataCoding: number;
  if (req.text !== undefined) {
    const enc = chooseEncoding(req.text);
    body = encodeText(req.text, enc);
    dataCoding = dataCodingFor(enc);
  } else {
    body = Buffer.from(req.hex!, 'hex');
    dataCoding = req.dataCoding!;
  }
  let parts: MessagePart[];
  if (fitsOneSms(body, dataCoding)) parts = [{ seq: 1, body, udhi: false, state: 'accepted' }];
  else parts = splitPayload(body, dataCoding, Number(ctx.id) & 0xff).map((b, i) => ({ seq: i + 1, body: b, udhi: true, state: 'accepted' }));
  const to = req.to.startsWith('+') ? req.to.slice(1) : req.to;
  const alnum = !/^\+?[0-9]+$/.test(ctx.source);
  const msg: Message = {
    id: ctx.id,
    direction: 'mt',
    partnerId: ctx.partnerId,
    // TON/NPI: alphanumeric sender 5/0, international number 1/1, short number 0/1.
    source: { addr: ctx.source.replace(/^\+/, ''), ton: alnum ? 5 : ctx.source.length > 8 ? 1 : 0, npi: alnum ? 0 : 1 },
    destination: { addr: to, ton: 1, npi: 1 },
    dataCoding,
    esmClass: 0,
    protocolId: 0,
    priority: 0,
    registeredDelivery: req.registeredDelivery ?? ctx.receipt ? 1 : 0,
    body,
    parts,
    state: 'accepted',
    createdAt: ctx.now,
    updatedAt: ctx.now,
    validUntil: ctx.now + (req.validityMinutes !== undefined ? req.validityMinutes * 60_000 : ctx.defaultValidityMs),
    attempts: 0,
    possibleDuplicate: false,
    receiptOwed: false,
  };
  if (req.reference !== undefined) msg.partnerRef = req.reference;
  return msg;
}
