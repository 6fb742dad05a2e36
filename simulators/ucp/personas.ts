/**
 * How the simulated UCP SMSC behaves. Values, so tests build them directly and the CLI parses them from strings.
 * - happy: ACK every 51 with `AdC:SCTS`; a 53 "delivered" right after when NRq=1 (and NT asks for it).
 * - dlrAfter(ms, outcome): as happy, the 53 comes `ms` later with `outcome` (Dst/Rsn below).
 * - nackOnSubmit(ec): NACK every 51 with the two-digit EC.
 * - noResponseOnSubmit: take 51s and never answer them (the client must time out).
 * - slow(perSec): answer 51s no faster than perSec per second per session (results are delayed, not refused:
 *   UCP has no standard throttling EC).
 * - dropAfterLogin: close the connection right after the login ACK.
 * - blackHole: log in, then read and never answer anything, OT 31 included.
 * - corruptChecksum: answer the first 51 with a result whose checksum is wrong.
 */
export type UcpDlrOutcome = 'delivered' | 'buffered' | 'undeliverable' | 'rejected';

export const UCP_DLR_OUTCOMES: Readonly<Record<UcpDlrOutcome, { dst: '0' | '1' | '2'; rsn: string; ntBit: number; word: string }>> = {
  delivered: { dst: '0', rsn: '000', ntBit: 1, word: 'delivered' },
  buffered: { dst: '1', rsn: '107', ntBit: 4, word: 'buffered' },
  undeliverable: { dst: '2', rsn: '108', ntBit: 2, word: 'not delivered' },
  rejected: { dst: '2', rsn: '103', ntBit: 2, word: 'not delivered' },
};

export type UcpPersona =
  | { kind: 'happy' }
  | { kind: 'dlrAfter'; ms: number; outcome: UcpDlrOutcome }
  | { kind: 'nackOnSubmit'; ec: string }
  | { kind: 'noResponseOnSubmit' }
  | { kind: 'slow'; perSec: number }
  | { kind: 'dropAfterLogin' }
  | { kind: 'blackHole' }
  | { kind: 'corruptChecksum' };

export const UcpPersonas = {
  happy: { kind: 'happy' } as UcpPersona,
  dlrAfter: (ms: number, outcome: UcpDlrOutcome): UcpPersona => ({ kind: 'dlrAfter', ms, outcome }),
  nackOnSubmit: (ec: string | number): UcpPersona => ({ kind: 'nackOnSubmit', ec: String(ec).padStart(2, '0') }),
  noResponseOnSubmit: { kind: 'noResponseOnSubmit' } as UcpPersona,
  slow: (perSec: number): UcpPersona => ({ kind: 'slow', perSec }),
  dropAfterLogin: { kind: 'dropAfterLogin' } as UcpPersona,
  blackHole: { kind: 'blackHole' } as UcpPersona,
  corruptChecksum: { kind: 'corruptChecksum' } as UcpPersona,
} as const;

export class UcpPersonaParseError extends Error {}

/** Parses `happy`, `nackOnSubmit(06)`, `slow(100)`, `dlrAfter(500,delivered)`, `dropAfterLogin`, ... */
export function parseUcpPersona(text: string): UcpPersona {
  const m = /^\s*([A-Za-z]+)\s*(?:\(([^)]*)\))?\s*$/.exec(text);
  if (!m) throw new UcpPersonaParseError(`cannot parse persona '${text}'`);
  const name = m[1]!;
  const args = m[2] === undefined ? [] : m[2].split(',').map((a) => a.trim()).filter((a) => a.length > 0);
  const want = (n: number): void => {
    if (args.length !== n) throw new UcpPersonaParseError(`persona ${name} takes ${n} argument(s), got ${args.length}`);
  };
  switch (name) {
    case 'happy':
    case 'noResponseOnSubmit':
    case 'dropAfterLogin':
    case 'blackHole':
    case 'corruptChecksum':
      want(0);
      return { kind: name };
    case 'nackOnSubmit': {
      want(1);
      const ec = args[0]!;
      if (!/^\d{1,2}$/.test(ec)) throw new UcpPersonaParseError('nackOnSubmit(ec) needs a one- or two-digit EC');
      return { kind: 'nackOnSubmit', ec: ec.padStart(2, '0') };
    }
    case 'slow': {
      want(1);
      const perSec = Number(args[0]);
      if (!Number.isInteger(perSec) || perSec < 1) throw new UcpPersonaParseError('slow(perSec) needs an integer >= 1');
      return { kind: 'slow', perSec };
    }
    case 'dlrAfter': {
      want(2);
      const ms = Number(args[0]);
      const outcome = args[1]!;
      if (!Number.isFinite(ms) || ms < 0) throw new UcpPersonaParseError('dlrAfter(ms, outcome) needs ms >= 0');
      if (!Object.prototype.hasOwnProperty.call(UCP_DLR_OUTCOMES, outcome)) {
        throw new UcpPersonaParseError(`dlrAfter outcome must be one of ${Object.keys(UCP_DLR_OUTCOMES).join(', ')}`);
      }
      return { kind: 'dlrAfter', ms, outcome: outcome as UcpDlrOutcome };
    }
    default:
      throw new UcpPersonaParseError(`unknown persona '${name}'`);
  }
}

export function ucpPersonaName(p: UcpPersona): string {
  switch (p.kind) {
    case 'dlrAfter':
      return `dlrAfter(${p.ms},${p.outcome})`;
    case 'nackOnSubmit':
      return `nackOnSubmit(${p.ec})`;
    case 'slow':
      return `slow(${p.perSec})`;
    default:
      return p.kind;
  }
}
