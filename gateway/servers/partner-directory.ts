import { BlockList, isIP } from 'node:net';
import { CommandStatus } from '../../protocols/smpp/constants';
import { TokenBucket } from '../binders/token-bucket';

export interface PartnerSettings {
  id: string;
  smpp?: { systemId: string; password: string; allowedIps: readonly string[]; maxBinds: number; maxSubmitPerSec: number };
  receiptMode: 'perPart' | 'whole';
  receiptMaxAgeHours: number;
  defaultValidityHours: number;
}

/** A partner as the running server sees it: settings plus the live limiter and the address filter. */
export class PartnerEntry {
  readonly bucket: TokenBucket;
  private allow: BlockList | undefined;

  constructor(
    public settings: PartnerSettings,
    now: number,
  ) {
    this.bucket = new TokenBucket(settings.smpp?.maxSubmitPerSec ?? 0, now, 1);
    this.allow = buildAllowList(settings.smpp?.allowedIps ?? []);
  }

  get id(): string {
    return this.settings.id;
  }

  update(settings: PartnerSettings, now: number): void {
    this.settings = settings;
    this.bucket.setRate(settings.smpp?.maxSubmitPerSec ?? 0, now);
    this.allow = buildAllowList(settings.smpp?.allowedIps ?? []);
  }

  ipAllowed(remote: string | undefined): boolean {
    if (!this.allow) return true;
    if (remote === undefined) return false;
    const addr = remote.startsWith('::ffff:') && isIP(remote.slice(7)) === 4 ? remote.slice(7) : remote;
    const family = isIP(addr);
    if (family === 0) return false;
    return this.allow.check(addr, family === 4 ? 'ipv4' : 'ipv6');
  }
}

function buildAllowList(cidrs: readonly string[]): BlockList | undefined {
  if (cidrs.length === 0) return undefined;
  const list = new BlockList();
  for (const c of cidrs) {
    const slash = c.indexOf('/');
    const addr = slash < 0 ? c : c.slice(0, slash);
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (slash < 0) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(c.slice(slash + 1)), type);
  }
  return list;
}

export type PartnerAuthResult = { ok: true; partner: PartnerEntry } | { ok: false; status: number; reason: string };

/** Partners by id and by SMPP system_id; replaced in place on reload so live binds keep their entry. */
export class PartnerDirectory {
  private byId = new Map<string, PartnerEntry>();
  private bySystemId_ = new Map<string, PartnerEntry>();

  constructor(partners: readonly PartnerSettings[], now: number) {
    this.load(partners, now);
  }

  load(partners: readonly PartnerSettings[], now: number): void {
    const byId = new Map<string, PartnerEntry>();
    const bySystemId = new Map<string, PartnerEntry>();
    for (const p of partners) {
      const existing = this.byId.get(p.id);
      const entry = existing ?? new PartnerEntry(p, now);
      if (existing) existing.update(p, now);
      byId.set(p.id, entry);
      if (p.smpp) bySystemId.set(p.smpp.systemId, entry);
    }
    this.byId = byId;
    this.bySystemId_ = bySystemId;
  }

  get(id: string): PartnerEntry | undefined {
    return this.byId.get(id);
  }

  bySystemId(systemId: string): PartnerEntry | undefined {
    return this.bySystemId_.get(systemId);
  }

  all(): IterableIterator<PartnerEntry> {
    return this.byId.values();
  }

  /** Bind check: system_id, password, source address, bind count. Statuses per smpp.md §5. */
  authenticate(systemId: string, password: string, remote: string | undefined, bound: (id: string) => number): PartnerAuthResult {
    const p = this.bySystemId_.get(systemId);
    if (!p || !p.settings.smpp) return { ok: false, status: CommandStatus.ESME_RINVSYSID, reason: 'unknown system_id' };
    if (p.settings.smpp.password !== password) return { ok: false, status: CommandStatus.ESME_RINVPASWD, reason: 'wrong password' };
    if (!p.ipAllowed(remote)) return { ok: false, status: CommandStatus.ESME_RBINDFAIL, reason: 'address not allowed' };
    if (bound(p.id) >= p.settings.smpp.maxBinds) return { ok: false, status: CommandStatus.ESME_RBINDFAIL, reason: 'too many binds' };
    return { ok: true, partner: p };
  }
}
