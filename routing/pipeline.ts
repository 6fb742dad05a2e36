import type { Message, Verdict } from './message';
import { decideRouteMt } from './operators/route-mt';
import type { MtRouteTable } from './operators/route-mt';

/** What the MT decision reads: today the route table; filters (blacklist, fraud, charging) join here. */
export interface MtDecisionContext {
  routes: MtRouteTable;
  /** Round-robin counter for weighted routes, advanced by the caller. */
  pick: number;
}

/**
 * The MT pipeline as one pure decision, in the order the product describes it: (filters would reject first) then
 * the route by destination prefix. A rejection is a value the responder maps to a wire status.
 */
export function decideMt(msg: Message, ctx: MtDecisionContext): Verdict {
  return decideRouteMt({ partnerId: msg.partnerId, source: msg.source.addr, destination: msg.destination.addr }, ctx.routes, ctx.pick);
}
