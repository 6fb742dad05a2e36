/**
 * Reassembly of long MOs (pure: no timers, no I/O; the caller passes `now` and persists parts through MoPartStore).
 *
 * The adapter has already taken the concatenation info out of the wire form: UDH IE 0x00 (8-bit ref) or 0x08 (16-bit
 * ref), or the SMPP SAR TLVs. A message_payload MO is whole and never comes here. Parts of one message share a group
 * key: (connector, source, destination, reference kind, reference, total). An 8-bit ref 5 and a 16-bit ref 5 are
 * different messages, as are two messages with the same ref but a different total.
 *
 * Parts arrive in any order; a repeated seq is a duplicate (the first copy is kept). A group that is not complete
 * `timeoutMs` after its FIRST part is expired: per policy delivered as partial (present parts in order, the missing
 * seqs listed) or dropped. The number of open groups is bounded: past `maxGroups` the oldest group is expired early.
 * A completed group's key is remembered for `timeoutMs` so that a part the SMSC repeats after completion is a
 * duplicate rather than the first part of a new (forever partial) message.
 */

export type RefKind = 'udh8' | 'udh16' | 'sar';

export interface MoPartInput {
  /** Id of the stored part (its own MO message id), kept so the caller can finish the part rows. */
  partId: string;
  connectorId: string;
  source: string;
  destination: string;
  /** TON/NPI of both addresses, carried so the reassembled MO (and its reply) keeps them. */
  sourceTon: number;
  sourceNpi: number;
  destTon: number;
  destNpi: number;
  refKind: RefKind;
  ref: number;
  total: number;
  /** 1-based */
  seq: number;
  /** User data of this part without its UDH. */
  payload: Buffer;
  dataCoding: number;
  receivedAt: number;
}

export interface ReassembledMo {
  groupKey: string;
  /** Present parts in seq order. */
  parts: MoPartInput[];
  /** Payloads of the present parts joined in seq order. */
  payload: Buffer;
  partial: boolean;
  /** Missing seqs (partial only). */
  missing: number[];
}

export type AddPartResult =
  | { kind: 'incomplete'; groupKey: string; have: number; total: number }
  | { kind: 'duplicate'; groupKey: string }
  | { kind: 'invalid'; reason: 'seq_out_of_range' | 'bad_total' }
  | { kind: 'complete'; message: ReassembledMo };

export type ExpiredGroup =
  | { kind: 'deliver'; message: ReassembledMo }
  | { kind: 'drop'; groupKey: string; parts: MoPartInput[]; missing: number[] };

export interface ReassemblyOptions {
  timeoutMs: number;
  partialPolicy: 'deliver' | 'drop';
  /** Open groups kept at most (bounded memory). */
  maxGroups: number;
}

interface Group {
  key: string;
  total: number;
  firstAt: number;
  parts: (MoPartInput | undefined)[];
  have: number;
}

export function groupKeyOf(p: Pick<MoPartInput, 'connectorId' | 'source' | 'destination' | 'refKind' | 'ref' | 'total'>): string {
  return `${p.connectorId}|${p.source}|${p.destination}|${p.refKind}|${p.ref}|${p.total}`;
}

export class MoReassembler {
  // Map iteration order is insertion order: the first group is the oldest (groups are created in arrival order).
  private readonly groups = new Map<string, Group>();
  // Recently completed groups (key -> completedAt): a part repeated after completion is a duplicate, not a new message.
  private readonly done = new Map<string, number>();

  constructor(private readonly opts: ReassemblyOptions) {}

  get openGroups(): number {
    return this.groups.size;
  }

  /**
   * Adds one part. `evicted` lists groups expired early because `maxGroups` was reached; the caller handles them
   * exactly like `expire()` output.
   */
  add(part: MoPartInput): { result: AddPartResult; evicted: ExpiredGroup[] } {
    const evicted: ExpiredGroup[] = [];
    if (!Number.isInteger(part.total) || part.total < 1 || part.total > 255) {
      return { result: { kind: 'invalid', reason: 'bad_total' }, evicted };
    }
    if (!Number.isInteger(part.seq) || part.seq < 1 || part.seq > part.total) {
      return { result: { kind: 'invalid', reason: 'seq_out_of_range' }, evicted };
    }
    const key = groupKeyOf(part);
    if (this.done.has(key)) return { result: { kind: 'duplicate', groupKey: key }, evicted };
    let g = this.groups.get(key);
    if (!g) {
      while (this.groups.size >= this.opts.maxGroups) {
        const oldest = this.groups.values().next().value as Group | undefined;
        if (!oldest) break;
        this.groups.delete(oldest.key);
        evicted.push(this.expireGroup(oldest));
      }
      g = { key, total: part.total, firstAt: part.receivedAt, parts: new Array<MoPartInput | undefined>(part.total), have: 0 };
      this.groups.set(key, g);
    }
    if (g.parts[part.seq - 1] !== undefined) return { result: { kind: 'duplicate', groupKey: key }, evicted };
    g.parts[part.seq - 1] = part;
    g.have++;
    if (g.have < g.total) return { result: { kind: 'incomplete', groupKey: key, have: g.have, total: g.total }, evicted };
    this.groups.delete(key);
    this.rememberDone(key, part.receivedAt);
    return { result: { kind: 'complete', message: assemble(g) }, evicted };
  }

  /** Groups whose deadline (first part + timeoutMs) is at or before `now`, removed and decided per policy. */
  expire(now: number): ExpiredGroup[] {
    const out: ExpiredGroup[] = [];
    for (const [key, at] of this.done) {
      if (at + this.opts.timeoutMs > now) break; // insertion order is completion order
      this.done.delete(key);
    }
    for (const g of this.groups.values()) {
      if (g.firstAt + this.opts.timeoutMs > now) continue;
      this.groups.delete(g.key);
      out.push(this.expireGroup(g));
    }
    return out;
  }

  /** Earliest deadline of the open groups, for the caller's single timer. */
  nextDeadline(): number | undefined {
    let min: number | undefined;
    for (const g of this.groups.values()) {
      const d = g.firstAt + this.opts.timeoutMs;
      if (min === undefined || d < min) min = d;
    }
    return min;
  }

  private rememberDone(key: string, at: number): void {
    this.done.delete(key);
    this.done.set(key, at);
    if (this.done.size > this.opts.maxGroups) {
      const oldest = this.done.keys().next().value as string | undefined;
      if (oldest !== undefined) this.done.delete(oldest);
    }
  }

  private expireGroup(g: Group): ExpiredGroup {
    const m = assemble(g);
    if (this.opts.partialPolicy === 'deliver') return { kind: 'deliver', message: m };
    return { kind: 'drop', groupKey: g.key, parts: m.parts, missing: m.missing };
  }
}

function assemble(g: Group): ReassembledMo {
  const parts: MoPartInput[] = [];
  const missing: number[] = [];
  let len = 0;
  for (let i = 0; i < g.total; i++) {
    const p = g.parts[i];
    if (p) {
      parts.push(p);
      len += p.payload.length;
    } else {
      missing.push(i + 1);
    }
  }
  const payload = Buffer.allocUnsafe(len);
  let o = 0;
  for (const p of parts) o += p.payload.copy(payload, o);
  return { groupKey: g.key, parts, payload, partial: missing.length > 0, missing };
}
