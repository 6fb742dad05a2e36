import type { Message, MessageId, RejectCode } from '../../routing/message';
import { compileMtRoutes } from '../../routing/operators/route-mt';
import type { MtRouteRule, MtRouteTable } from '../../routing/operators/route-mt';
import type { MessageStore } from '../../routing/ports';
import { decideMt } from '../../routing/pipeline';
import type { Connector } from '../binders/connector';
import type { MtDispatcher } from '../binders/dispatcher';
import type { RuntimeObserver } from '../binders/observer';

export type IntakeResult = { ok: true; id: MessageId } | { ok: false; code: RejectCode; reason: string };

/**
 * The MT entry shared by the partner SMPP server and the HTTP send API: decide (route), store, and only once the
 * store has it durably, resolve (the caller acknowledges) and queue it for its connector. A rejected message is
 * not stored.
 */
export class MtIntake {
  private table: MtRouteTable;
  private pick = 0;

  constructor(
    private readonly store: MessageStore,
    private readonly dispatcher: MtDispatcher,
    routes: readonly MtRouteRule[],
    private readonly obs: RuntimeObserver,
  ) {
    this.table = compileMtRoutes(routes);
  }

  setRoutes(routes: readonly MtRouteRule[]): void {
    this.table = compileMtRoutes(routes);
  }

  /** `msg` as an adapter built it (state accepted, id from store.nextId()). */
  submit(msg: Message): Promise<IntakeResult> {
    const verdict = decideMt(msg, { routes: this.table, pick: this.pick++ });
    if (verdict.kind === 'rejected') {
      this.obs.message('rejected', msg.partnerId, undefined);
      return Promise.resolve({ ok: false, code: verdict.code, reason: verdict.reason });
    }
    if (verdict.kind !== 'routed') return Promise.resolve({ ok: false, code: 'system_error', reason: 'unrouted verdict' });
    const connector = this.dispatcher.choose(verdict.targets);
    if (!connector) return Promise.resolve({ ok: false, code: 'no_route', reason: 'route has no known connector' });
    return this.enqueue(msg, connector, verdict.targets, verdict.routeId);
  }

  /**
   * An MT for one given connector, without a route decision: an MO reply goes back on the operator link the MO
   * came in on (issue 6). Same store-then-queue path as `submit`.
   */
  submitOn(msg: Message, connectorId: string): Promise<IntakeResult> {
    const connector = this.dispatcher.choose([connectorId]);
    if (!connector) return Promise.resolve({ ok: false, code: 'no_route', reason: `unknown connector ${connectorId}` });
    // routeId 'mo-reply' keeps a resumed reply on its own link (see resume).
    return this.enqueue(msg, connector, [connectorId], 'mo-reply');
  }

  private enqueue(msg: Message, connector: Connector, targets: string[], routeId: string): Promise<IntakeResult> {
    if (!connector.hasRoom) {
      this.obs.throttled('connector', connector.id);
      return Promise.resolve({ ok: false, code: 'throttled', reason: `queue of ${connector.id} is full` });
    }
    msg.state = 'routed';
    msg.connectorId = connector.id;
    msg.routeId = routeId;
    for (let i = 0; i < msg.parts.length; i++) msg.parts[i]!.state = 'routed';
    return this.store.insert(msg).then(
      () => {
        this.obs.message('routed', msg.partnerId, connector.id);
        // Queued after the caller's acknowledgement is written (same turn: the ack goes out in the same batch).
        queueMicrotask(() => this.dispatcher.dispatch(msg, targets));
        return { ok: true as const, id: msg.id };
      },
      (err: unknown) => {
        this.obs.log('error', 'store insert failed', { messageId: msg.id, err: String(err) });
        return { ok: false as const, code: 'system_error' as const, reason: 'store unavailable' };
      },
    );
  }

  /** Resume after restart: a stored unfinished MT goes back on its connector's queue. */
  resume(msg: Message): boolean {
    // The connector chosen at intake first (an MO reply must leave on its own link), the current route's
    // targets after it as failover.
    const verdict = decideMt(msg, { routes: this.table, pick: this.pick++ });
    const routed = verdict.kind === 'routed' && msg.routeId !== 'mo-reply' ? verdict.targets : [];
    const targets = msg.connectorId !== undefined ? [msg.connectorId, ...routed.filter((t) => t !== msg.connectorId)] : routed;
    if (targets.length === 0) return false;
    this.dispatcher.dispatch(msg, targets);
    return true;
  }
}
