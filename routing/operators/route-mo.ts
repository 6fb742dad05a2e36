/**
 * MO service matching (pure): which partner service gets a mobile-originated message.
 *
 * A service is (short number, optional keyword or regex on the first word, optional operator). Rules, in order:
 * 1. Only services of the MO's short number (destination address, compared after dropping a leading '+') and whose
 *    operator filter is absent or equals the MO's operator (connector id) are candidates.
 * 2. Keyword services: the text, with leading whitespace dropped and whitespace runs read as one space, starts with the
 *    keyword (case-insensitive) followed by the end of the text or whitespace. The LONGEST matching keyword wins
 *    ("TOP 10" beats "TOP"); "JOKE" does not match "JOKES".
 * 3. Regex services: the regex is tested, case-insensitive and anchored, against the first word; first in config order.
 * 4. The default service of the short number (neither keyword nor regex).
 * At each step an operator-specific service beats a generic one. No candidate: `noMatch` (the caller replies or drops,
 * and counts it).
 */

export interface MoServiceRule {
  id: string;
  shortNumber: string;
  keyword?: string;
  /** Source of a regular expression tested against the first word (anchored, case-insensitive). */
  regex?: string;
  /** Operator (connector id) filter. */
  operator?: string;
}

interface CompiledRule<S extends MoServiceRule> {
  service: S;
  /** Upper-cased, whitespace-collapsed keyword. */
  keyword?: string;
  regex?: RegExp;
  index: number;
}

export interface MoServiceTable<S extends MoServiceRule = MoServiceRule> {
  readonly byShortNumber: ReadonlyMap<string, readonly CompiledRule<S>[]>;
}

export interface MoMatchInput {
  shortNumber: string;
  text: string;
  operator?: string;
}

export type MoMatch<S extends MoServiceRule = MoServiceRule> =
  | {
      kind: 'matched';
      service: S;
      matchedBy: 'keyword' | 'regex' | 'default';
      /** The keyword as configured, when matched by keyword. */
      keyword?: string;
      /** The text after the keyword (keyword services) or the whole trimmed text. */
      rest: string;
    }
  | { kind: 'noMatch'; reason: 'unknown_short_number' | 'no_service' };

export type MoServiceTableResult<S extends MoServiceRule> =
  | { ok: true; table: MoServiceTable<S> }
  | { ok: false; issues: string[] };

const WS_RUN = /\s+/g;

export function normaliseShortNumber(addr: string): string {
  const t = addr.trim();
  return t.startsWith('+') ? t.slice(1) : t;
}

function normaliseKeyword(k: string): string {
  return k.trim().replace(WS_RUN, ' ').toUpperCase();
}

/** Compiles services once (at config load / reload); reports bad regexes and ambiguous duplicates with their index. */
export function compileMoServices<S extends MoServiceRule>(services: readonly S[]): MoServiceTableResult<S> {
  const issues: string[] = [];
  const map = new Map<string, CompiledRule<S>[]>();
  const seen = new Set<string>();
  services.forEach((service, index) => {
    const rule: CompiledRule<S> = { service, index };
    if (service.keyword !== undefined && service.regex !== undefined) {
      issues.push(`services[${index}]: keyword and regex are exclusive`);
      return;
    }
    if (service.keyword !== undefined) {
      const k = normaliseKeyword(service.keyword);
      if (k === '') {
        issues.push(`services[${index}].keyword: must not be blank`);
        return;
      }
      rule.keyword = k;
    }
    if (service.regex !== undefined) {
      try {
        rule.regex = new RegExp(`^(?:${service.regex})$`, 'i');
      } catch {
        issues.push(`services[${index}].regex: invalid regular expression`);
        return;
      }
    }
    const sn = normaliseShortNumber(service.shortNumber);
    const sig = `${sn}\u0000${rule.keyword ?? ''}\u0000${service.regex ?? ''}\u0000${service.operator ?? ''}`;
    if (seen.has(sig)) {
      issues.push(`services[${index}]: same short number, keyword/regex and operator as an earlier service`);
      return;
    }
    seen.add(sig);
    let list = map.get(sn);
    if (!list) map.set(sn, (list = []));
    list.push(rule);
  });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, table: { byShortNumber: map } };
}

function firstWord(trimmed: string): string {
  const m = /\s/.exec(trimmed);
  return m ? trimmed.slice(0, m.index) : trimmed;
}

/** Better candidate at the same step: operator-specific first, then config order. */
function better<S extends MoServiceRule>(a: CompiledRule<S>, b: CompiledRule<S> | undefined): boolean {
  if (!b) return true;
  const ao = a.service.operator !== undefined;
  const bo = b.service.operator !== undefined;
  if (ao !== bo) return ao;
  return a.index < b.index;
}

export function matchMoService<S extends MoServiceRule>(table: MoServiceTable<S>, mo: MoMatchInput): MoMatch<S> {
  const rules = table.byShortNumber.get(normaliseShortNumber(mo.shortNumber));
  if (!rules) return { kind: 'noMatch', reason: 'unknown_short_number' };
  const trimmed = mo.text.trimStart();
  const collapsed = trimmed.replace(WS_RUN, ' ').toUpperCase();
  let kw: CompiledRule<S> | undefined;
  let rx: CompiledRule<S> | undefined;
  let def: CompiledRule<S> | undefined;
  let word: string | undefined;
  for (const r of rules) {
    if (r.service.operator !== undefined && r.service.operator !== mo.operator) continue;
    if (r.keyword !== undefined) {
      const k = r.keyword;
      if (collapsed.startsWith(k) && (collapsed.length === k.length || collapsed.charCodeAt(k.length) === 0x20)) {
        if (!kw || k.length > kw.keyword!.length || (k.length === kw.keyword!.length && better(r, kw))) kw = r;
      }
    } else if (r.regex !== undefined) {
      word ??= firstWord(trimmed);
      if (r.regex.test(word) && better(r, rx)) rx = r;
    } else if (better(r, def)) {
      def = r;
    }
  }
  if (kw) return { kind: 'matched', service: kw.service, matchedBy: 'keyword', keyword: kw.service.keyword, rest: restAfterWords(trimmed, kw.keyword!) };
  if (rx) return { kind: 'matched', service: rx.service, matchedBy: 'regex', rest: trimmed.trimEnd() };
  if (def) return { kind: 'matched', service: def.service, matchedBy: 'default', rest: trimmed.trimEnd() };
  return { kind: 'noMatch', reason: 'no_service' };
}

/** Drops as many words from the original text as the keyword has, keeping the rest's own spacing. */
function restAfterWords(trimmed: string, keyword: string): string {
  let words = keyword.split(' ').length;
  let i = 0;
  const n = trimmed.length;
  while (words > 0 && i < n) {
    while (i < n && !/\s/.test(trimmed[i]!)) i++;
    while (i < n && /\s/.test(trimmed[i]!)) i++;
    words--;
  }
  return trimmed.slice(i).trimEnd();
}

export interface NoMatchPolicy {
  /** Text answered to the subscriber; absent: the MO is dropped. */
  reply?: string;
}

export type NoMatchDecision = { kind: 'reply'; text: string } | { kind: 'drop' };

export function decideNoMatch(policy: NoMatchPolicy): NoMatchDecision {
  return policy.reply !== undefined && policy.reply !== '' ? { kind: 'reply', text: policy.reply } : { kind: 'drop' };
}
