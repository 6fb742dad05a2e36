import { ErrorCode } from '../../protocols/cimd2/constants';

/** Status-report outcomes the simulator can produce (061 status code). */
export type Cimd2DlrOutcome = 'delivered' | 'undeliverable' | 'expired' | 'deleted';

/** 061 status code and the 056 bit that asks for it. */
export const CIMD2_DLR_OUTCOMES: Readonly<Record<Cimd2DlrOutcome, { statusCode: number; requestBit: number; errorCode?: number }>> = {
  delivered: { statusCode: 4, requestBit: 8 },
  undeliverable: { statusCode: 3, requestBit: 4, errorCode: 1 },
  expired: { statusCode: 2, requestBit: 2 },
  deleted: { statusCode: 8, requestBit: 32 },
};

/**
 * How the simulated MC behaves:
 * - happy: answer 03 with 021 + 060; when 056 asks for the outcome, a 23 "delivered" right after the 53.
 * - dlrAfter(ms, outcome): as happy, but the 23 comes `ms` later with `outcome`.
 * - nackOnSubmit(code): answer every 03 with 53 carrying 900:code.
 * - noResponseOnSubmit: take submits and never answer them.
 * - slow(perSec): answer at most perSec submits per second, 900:10 (temporary congestion) above.
 * - dropAfterLogin: close the socket right after a successful 51.
 */
export type Cimd2Persona =
  | { kind: 'happy' }
  | { kind: 'dlrAfter'; ms: number; outcome: Cimd2DlrOutcome }
  | { kind: 'nackOnSubmit'; code: number }
  | { kind: 'noResponseOnSubmit' }
  | { kind: 'slow'; perSec: number }
  | { kind: 'dropAfterLogin' };

export const Cimd2Personas = {
  happy: { kind: 'happy' } as Cimd2Persona,
  dlrAfter: (ms: number, outcome: Cimd2DlrOutcome = 'delivered'): Cimd2Persona => ({ kind: 'dlrAfter', ms, outcome }),
  nackOnSubmit: (code: number = ErrorCode.INCORRECT_DESTINATION_ADDRESS): Cimd2Persona => ({ kind: 'nackOnSubmit', code }),
  noResponseOnSubmit: { kind: 'noResponseOnSubmit' } as Cimd2Persona,
  slow: (perSec: number): Cimd2Persona => ({ kind: 'slow', perSec }),
  dropAfterLogin: { kind: 'dropAfterLogin' } as Cimd2Persona,
} as const;

export class Cimd2PersonaParseError extends Error {}

/** Parses `happy`, `dlrAfter(500,delivered)`, `nackOnSubmit(300)`, `noResponseOnSubmit`, `slow(100)`, `dropAfterLogin`. */
export function parseCimd2Persona(text: string): Cimd2Persona {
  const m = /^\s*([A-Za-z]+)\s*(?:\(([^)]*)\))?\s*$/.exec(text);
  if (!m) throw new Cimd2PersonaParseError(`cannot parse persona '${text}'`);
  const name = m[1]!;
  const args = m[2] === undefined ? [] : m[2].split(',').map((a) => a.trim()).filter((a) => a.length > 0);
  const want = (min: number, max = min): void => {
    if (args.length < min || args.length > max) throw new Cimd2PersonaParseError(`persona ${name} takes ${min}-${max} argument(s)`);
  };
  const int = (s: string, min: number): number => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < min) throw new Cimd2PersonaParseError(`persona ${name}: '${s}' is not an integer >= ${min}`);
    return n;
  };
  switch (name) {
    case 'happy':
    case 'noResponseOnSubmit':
    case 'dropAfterLogin':
      want(0);
      return { kind: name };
    case 'nackOnSubmit':
      want(0, 1);
      return { kind: 'nackOnSubmit', code: args[0] === undefined ? ErrorCode.INCORRECT_DESTINATION_ADDRESS : int(args[0], 1) };
    case 'slow':
      want(1);
      return { kind: 'slow', perSec: int(args[0]!, 1) };
    case 'dlrAfter': {
      want(1, 2);
      const outcome = (args[1] ?? 'delivered') as Cimd2DlrOutcome;
      if (!(outcome in CIMD2_DLR_OUTCOMES)) throw new Cimd2PersonaParseError(`unknown outcome '${outcome}'`);
      return { kind: 'dlrAfter', ms: int(args[0]!, 0), outcome };
    }
    default:
      throw new Cimd2PersonaParseError(`unknown persona '${name}'`);
  }
}
