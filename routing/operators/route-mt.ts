import type { Verdict } from '../message';

/** One MT route rule as configured (the shape of config `routes[]`). */
export interface MtRouteRule {
  id: string;
  /** Destination prefix, digits only; '' matches everything. */
  prefix: string;
  /** Only for these partners (any when absent or empty). */
  partners?: readonly string[];
  /** Only for source addresses starting with one of these (any when absent or empty). */
  sources?: readonly string[];
  /** Connector ids: an ordered failover list, or weighted round robin when `weights` is given. */
  targets: readonly string[];
  weights?: readonly number[];
}

interface CompiledRule {
  rule: MtRouteRule;
  partners: ReadonlySet<string> | undefined;
  weightSum: number;
}

/** Rules sorted once for lookup: longest prefix first, then the more specific filter, then config order. */
export interface MtRouteTable {
  readonly rules: readonly CompiledRule[];
}

export interface MtRouteInput {
  partnerId: string | undefined;
  source: string;
  destination: string;
}

export function compileMtRoutes(rules: readonly MtRouteRule[]): MtRouteTable {
  const compiled = rules.map((rule, index) => ({
    index,
    rule,
    partners: rule.partners && rule.partners.length > 0 ? new Set(rule.partners) : undefined,
    weightSum: rule.weights ? rule.weights.reduce((a, w) => a + Math.max(0, w), 0) : 0,
  }));
  // Longest prefix first; at equal prefix a rule with filters is more specific than one without; then config order.
  const specificity = (r: MtRouteRule): number =>
    (r.partners && r.partners.length > 0 ? 2 : 0) + (r.sources && r.sources.length > 0 ? 1 : 0);
  compiled.sort(
    (a, b) =>
      b.rule.prefix.length - a.rule.prefix.length || specificity(b.rule) - specificity(a.rule) || a.index - b.index,
  );
  return { rules: compiled.map(({ rule, partners, weightSum }) => ({ rule, partners, weightSum })) };
}

/** '+44..' and '0044..' are the same number for prefix matching; other characters are left alone. */
export function routableDigits(addr: string): string {
  if (addr.startsWith('+')) return addr.slice(1);
  if (addr.startsWith('00')) return addr.slice(2);
  return addr;
}

function sourceMatches(rule: MtRouteRule, source: string): boolean {
  const sources = rule.sources;
  if (!sources || sources.length === 0) return true;
  for (let i = 0; i < sources.length; i++) if (source.startsWith(sources[i]!)) return true;
  return false;
}

/**
 * Picks the route for an MT: the longest matching prefix among rules whose partner and source filters accept it.
 * `pick` is a counter the caller advances per message: with weights it selects the round-robin slot (so the
 * decision stays a pure function of its inputs). The targets come back in the order to try them: the chosen one
 * first, the rest as failover.
 */
export function decideRouteMt(input: MtRouteInput, table: MtRouteTable, pick = 0): Verdict {
  const dest = routableDigits(input.destination);
  const rules = table.rules;
  for (let i = 0; i < rules.length; i++) {
    const c = rules[i]!;
    const r = c.rule;
    if (!dest.startsWith(r.prefix)) continue;
    if (c.partners && (input.partnerId === undefined || !c.partners.has(input.partnerId))) continue;
    if (!sourceMatches(r, input.source)) continue;
    if (r.targets.length === 0) continue;
    return { kind: 'routed', routeId: r.id, targets: orderTargets(c, pick) };
  }
  return { kind: 'rejected', code: 'no_route', reason: `no route for destination ${input.destination}` };
}

function orderTargets(c: CompiledRule, pick: number): string[] {
  const { targets, weights } = c.rule;
  if (!weights || c.weightSum <= 0) return targets.slice();
  let slot = ((pick % c.weightSum) + c.weightSum) % c.weightSum;
  let chosen = 0;
  for (let i = 0; i < targets.length; i++) {
    const w = Math.max(0, weights[i] ?? 0);
    if (slot < w) {
      chosen = i;
      break;
    }
    slot -= w;
  }
  const out = [targets[chosen]!];
  for (let i = 0; i < targets.length; i++) if (i !== chosen) out.push(targets[i]!);
  return out;
}

/**
 * Of the ordered targets, the first one `isUp` accepts; when none is up, the first (the message waits for it).
 */
export function firstAvailable(targets: readonly string[], isUp: (connectorId: string) => boolean): string | undefined {
  for (let i = 0; i < targets.length; i++) if (isUp(targets[i]!)) return targets[i];
  return targets[0];
}
