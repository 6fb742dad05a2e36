import { CommandStatus } from '../../protocols/smpp/constants';
import type { CommandStatusName } from '../../protocols/smpp/constants';

/** Receipt outcomes the simulator can produce (stat text and message_state it uses). */
export type DlrOutcome = 'delivered' | 'undeliverable' | 'expired' | 'rejected';

export const DLR_OUTCOMES: Readonly<Record<DlrOutcome, { stat: string; state: number; err: string }>> = {
  delivered: { stat: 'DELIVRD', state: 2, err: '000' },
  expired: { stat: 'EXPIRED', state: 3, err: '000' },
  undeliverable: { stat: 'UNDELIV', state: 5, err: '001' },
  rejected: { stat: 'REJECTD', state: 8, err: '002' },
};

/**
 * How the simulated SMSC behaves. Values, so tests build them directly and the CLI parses them from strings.
 * - happy: answer submit_sm/data_sm with a fresh hex message id; a DELIVRD receipt right after when asked for.
 * - dlrAfter: as happy, but the receipt comes `ms` later with `outcome`.
 * - nackOnSubmit: answer every submit_sm/data_sm with `status`.
 * - noResponseOnSubmit: take submits and never answer them (the client must time out).
 * - slow: answer at most `perSec` submits per second (per simulator), ESME_RTHROTTLED above.
 * - dropAfterBind: close the socket right after a successful bind_resp.
 * - blackHole: bind, then read and never answer anything, enquire_link included.
 * - unbindOnSubmit: instead of answering a submit, send unbind (the submit stays unanswered).
 * - corruptLength: answer the first submit with a header whose command_length is 8 (a fatal framing error: the
 *   client answers generic_nack ESME_RINVCMDLEN with that sequence number and closes).
 */
export type Persona =
  | { kind: 'happy' }
  | { kind: 'dlrAfter'; ms: number; outcome: DlrOutcome }
  | { kind: 'nackOnSubmit'; status: number }
  | { kind: 'noResponseOnSubmit' }
  | { kind: 'slow'; perSec: number }
  | { kind: 'dropAfterBind' }
  | { kind: 'blackHole' }
  | { kind: 'unbindOnSubmit' }
  | { kind: 'corruptLength' };

export const Personas = {
  happy: { kind: 'happy' } as Persona,
  dlrAfter: (ms: number, outcome: DlrOutcome): Persona => ({ kind: 'dlrAfter', ms, outcome }),
  nackOnSubmit: (status: number | CommandStatusName): Persona => ({
    kind: 'nackOnSubmit',
    status: typeof status === 'number' ? status : CommandStatus[status],
  }),
  noResponseOnSubmit: { kind: 'noResponseOnSubmit' } as Persona,
  slow: (perSec: number): Persona => ({ kind: 'slow', perSec }),
  dropAfterBind: { kind: 'dropAfterBind' } as Persona,
  blackHole: { kind: 'blackHole' } as Persona,
  unbindOnSubmit: { kind: 'unbindOnSubmit' } as Persona,
  corruptLength: { kind: 'corruptLength' } as Persona,
} as const;

export class PersonaParseError extends Error {}

/** Parses `happy`, `blackHole`, `nackOnSubmit(ESME_RTHROTTLED)`, `nackOnSubmit(0x58)`, `slow(100)`, `dlrAfter(500,delivered)`. */
export function parsePersona(text: string): Persona {
  const m = /^\s*([A-Za-z]+)\s*(?:\(([^)]*)\))?\s*$/.exec(text);
  if (!m) throw new PersonaParseError(`cannot parse persona '${text}'`);
  const name = m[1]!;
  const args = m[2] === undefined ? [] : m[2].split(',').map((a) => a.trim()).filter((a) => a.length > 0);
  const want = (n: number): void => {
    if (args.length !== n) throw new PersonaParseError(`persona ${name} takes ${n} argument(s), got ${args.length}`);
  };
  switch (name) {
    case 'happy':
    case 'noResponseOnSubmit':
    case 'dropAfterBind':
    case 'blackHole':
    case 'unbindOnSubmit':
    case 'corruptLength':
      want(0);
      return { kind: name };
    case 'nackOnSubmit':
      want(1);
      return { kind: 'nackOnSubmit', status: parseStatus(args[0]!) };
    case 'slow': {
      want(1);
      const perSec = Number(args[0]);
      if (!Number.isInteger(perSec) || perSec < 1) throw new PersonaParseError(`slow(perSec) needs an integer >= 1`);
      return { kind: 'slow', perSec };
    }
    case 'dlrAfter': {
      want(2);
      const ms = Number(args[0]);
      const outcome = args[1]!;
      if (!Number.isFinite(ms) || ms < 0) throw new PersonaParseError(`dlrAfter(ms, outcome) needs ms >= 0`);
      if (!isDlrOutcome(outcome)) {
        throw new PersonaParseError(`dlrAfter outcome must be one of ${Object.keys(DLR_OUTCOMES).join(', ')}`);
      }
      return { kind: 'dlrAfter', ms, outcome };
    }
    default:
      throw new PersonaParseError(`unknown persona '${name}'`);
  }
}

function isDlrOutcome(s: string): s is DlrOutcome {
  return Object.prototype.hasOwnProperty.call(DLR_OUTCOMES, s);
}

/** A command_status by name (`ESME_RTHROTTLED`) or number (`88`, `0x58`). */
export function parseStatus(s: string): number {
  if (Object.prototype.hasOwnProperty.call(CommandStatus, s)) return CommandStatus[s as CommandStatusName];
  const n = /^0x[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : /^\d+$/.test(s) ? parseInt(s, 10) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new PersonaParseError(`unknown command_status '${s}'`);
  return n;
}

export function personaName(p: Persona): string {
  switch (p.kind) {
    case 'dlrAfter':
      return `dlrAfter(${p.ms},${p.outcome})`;
    case 'nackOnSubmit':
      return `nackOnSubmit(0x${p.status.toString(16)})`;
    case 'slow':
      return `slow(${p.perSec})`;
    default:
      return p.kind;
  }
}
