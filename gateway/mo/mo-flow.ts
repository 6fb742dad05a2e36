/**
 * The MO flow: inbound MO (Message, direction 'mo') -> store (then the link acknowledges) -> reassembly of long MOs ->
 * service match -> partner handler -> sync reply as an MT on the same operator (through the injected `submitMt`).
 *
 * Durability: `accept` resolves once the MO (or, for a part of a long MO, the part) is durable; only then does the link
 * answer the SMSC. On `start`, stored parts go back into the reassembler and unfinished MOs (state accepted/routed)
 * are dispatched again, so a crash loses nothing (at-least-once to the partner).
 * MO states: accepted (stored) -> routed (service matched, handler pending/queued/dead-lettered) -> delivered (partner
 * took it) | rejected (no service) | expired (SMPP pass-through queue older than maxAgeMs).
 */
import type { Clock, TimerHandle } from '../../protocols/wire/clock';
import type { TextOptions } from '../../protocols/wire/text';
import type { Message, MessageId } from '../../routing/message';
import type { MoDeliveryRecord, MoDeliveryStore, MoPartStore } from '../../routing/mo-ports';
import { MoReassembler, groupKeyOf, type ExpiredGroup, type MoPartInput, type ReassembledMo } from '../../routing/mo-reassembly';
import { decideNoMatch, matchMoService, type MoServiceTable, type NoMatchPolicy } from '../../routing/operators/route-mo';
import type { MessageStore } from '../../routing/ports';
import type { MoDelivery } from '../partners/handler';
import type { RetryingHandler } from '../partners/with-retries';
import { moText, moUserData, reassembledMessage, replyMessage, type MoUserData } from './mo-message';
import { TaskTracker } from './task-tracker';
import { nullMoObserver, type MoObserver } from './observer';
import type { SubmitMt } from './submit-mt';

export interface MoService {
  id: string;
  shortNumber: string;
  keyword?: string;
  regex?: string;
  operator?: string;
  partner: string;
  handler: { kind: RetryingHandler['kind']; maxAgeMs?: number };
}

export type { SubmitMtResult } from './submit-mt';

export interface MoFlowDeps {
  store: MessageStore;
  parts: MoPartStore;
  deliveries: MoDeliveryStore;
  services: MoServiceTable<MoService>;
  handlers: { get(serviceId: string): RetryingHandler | undefined };
  /** Routes, stores durably and queues an MT; resolves after the store has it. */
  submitMt: SubmitMt;
  noMatch: NoMatchPolicy;
  settings: { reassemblyTimeoutMs: number; partialPolicy: 'deliver' | 'drop'; maxOpenGroups: number; redriveIntervalMs?: number; replyValidityMs?: number };
  clock: Clock;
  observer?: MoObserver;
  /** What data_coding 0 means per connector (default gsm7). */
  textOptions?(connectorId: string): TextOptions | undefined;
}

interface Extra {
  partial: boolean;
  /** A delivery record (pending/dead) may exist for this MO: remove it when done. */
  fromRecord?: boolean;
  missing?: number[];
  text?: string;
  /** The user data already split off the UDH at accept (not recomputed). */
  ud?: MoUserData;
}

export class MoFlow {
  private readonly reassembler: MoReassembler;
  private readonly obs: MoObserver;
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;
  private redriveTimer: TimerHandle | undefined;
  private closed = false;
  private readonly tasks = new TaskTracker((e) => this.obs.log('error', 'MO task failed', { error: e instanceof Error ? e.message : String(e) }));
  /** MOs being dispatched now: a replay or redrive of the same MO waits for the next round. */
  private readonly active = new Set<MessageId>();

  constructor(private readonly d: MoFlowDeps) {
    this.reassembler = new MoReassembler({
      timeoutMs: d.settings.reassemblyTimeoutMs,
      partialPolicy: d.settings.partialPolicy,
      maxGroups: d.settings.maxOpenGroups,
    });
    this.obs = d.observer ?? nullMoObserver;
  }

  /** Restores stored parts and re-dispatches unfinished MOs. Call once before traffic. */
  async start(): Promise<{ parts: number; resumed: number }> {
    const parts = await this.d.parts.loadAll();
    for (const p of parts) this.afterPart(p);
    let resumed = 0;
    let after: MessageId | undefined;
    for (let guard = 0; guard < 1_000_000; guard++) {
      const batch = await this.d.store.unfinished('mo', 500, after);
      if (batch.length === 0) break;
      for (const m of batch) {
        resumed++;
        this.track(this.process(m, { partial: m.extras?.['partial'] !== undefined, fromRecord: true }));
      }
      after = batch[batch.length - 1]!.id;
    }
    this.scheduleRedrive();
    return { parts: parts.length, resumed };
  }

  /**
   * Takes an MO from an operator link. Resolves when it is durable: the link acknowledges then. Rejects only when the
   * store fails (the link answers a temporary error and the SMSC retries).
   */
  async accept(msg: Message): Promise<void> {
    const connectorId = msg.connectorId ?? '';
    this.obs.received(connectorId);
    if (msg.id === '') msg.id = this.d.store.nextId();
    const ud = moUserData(msg);
    if (ud.concat) {
      const part: MoPartInput = {
        partId: msg.id,
        connectorId,
        source: msg.source.addr,
        destination: msg.destination.addr,
        sourceTon: msg.source.ton,
        sourceNpi: msg.source.npi,
        destTon: msg.destination.ton,
        destNpi: msg.destination.npi,
        refKind: ud.concat.refKind,
        ref: ud.concat.ref,
        total: ud.concat.total,
        seq: ud.concat.seq,
        payload: Buffer.from(ud.payload),
        dataCoding: msg.dataCoding,
        receivedAt: msg.createdAt,
      };
      await this.d.parts.save(groupKeyOf(part), part);
      this.afterPart(part, msg);
      return;
    }
    msg.direction = 'mo';
    msg.state = 'accepted';
    await this.d.store.insert(msg);
    this.track(this.process(msg, { partial: false, ud }));
  }

  /** A partner's SMPP bind came up: its queued MOs go out, those older than the service's maxAgeMs expire. */
  async partnerBound(partnerId: string): Promise<number> {
    return this.redrive({ state: 'pending', partnerId });
  }

  listDeadLetters(filter: { partnerId?: string; limit: number; afterMoId?: MessageId }): Promise<MoDeliveryRecord[]> {
    return this.d.deliveries.list({ state: 'dead', ...filter });
  }

  /** Replays one dead-lettered (or queued) MO now. False when there is no such record. */
  async replay(moId: MessageId): Promise<boolean> {
    const rec = await this.d.deliveries.get(moId);
    if (!rec) return false;
    const msg = await this.d.store.get(moId);
    if (!msg) {
      await this.d.deliveries.remove(moId);
      return false;
    }
    if (this.active.has(moId)) return true;
    this.track(this.process(msg, { partial: msg.extras?.['partial'] !== undefined, fromRecord: true }));
    return true;
  }

  /** Replays dead letters (all, or one partner's); returns how many were started. */
  async replayAll(partnerId?: string): Promise<number> {
    return this.redrive({ state: 'dead', partnerId });
  }

  /** Resolves when no MO is being processed (tests, shutdown). */
  idle(): Promise<void> {
    return this.tasks.idle();
  }

  get openGroups(): number {
    return this.reassembler.openGroups;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) this.d.clock.clearTimeout(this.timer);
    if (this.redriveTimer) this.d.clock.clearTimeout(this.redriveTimer);
    this.timer = this.redriveTimer = undefined;
    await this.idle();
  }

  // ---- reassembly ----

  private afterPart(part: MoPartInput, msg?: Message): void {
    const { result, evicted } = this.reassembler.add(part);
    for (const e of evicted) this.track(this.onExpired(e));
    switch (result.kind) {
      case 'duplicate':
        this.obs.part(part.connectorId, 'duplicate');
        break;
      case 'invalid':
        this.obs.part(part.connectorId, 'invalid');
        // A part that can never complete: handle it as a whole message of its own rather than lose it.
        if (msg) this.track(this.storeWhole(msg, undefined, { partial: true }));
        break;
      case 'incomplete':
        this.obs.part(part.connectorId, 'stored');
        break;
      case 'complete':
        this.obs.part(part.connectorId, 'stored');
        this.track(this.storeWhole(undefined, result.message, { partial: false }));
        break;
    }
    this.armTimer();
  }

  private armTimer(): void {
    if (this.closed) return;
    const next = this.reassembler.nextDeadline();
    if (next === undefined || next >= this.timerAt) return;
    if (this.timer) this.d.clock.clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = this.d.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      for (const e of this.reassembler.expire(this.d.clock.now())) this.track(this.onExpired(e));
      this.armTimer();
    }, Math.max(0, next - this.d.clock.now()));
  }

  private async onExpired(e: ExpiredGroup): Promise<void> {
    if (e.kind === 'drop') {
      this.obs.partial('dropped');
      this.obs.log('info', 'partial MO dropped', { groupKey: e.groupKey, missing: e.missing });
      await this.d.parts.deleteGroup(e.groupKey);
      return;
    }
    this.obs.partial('delivered');
    await this.storeWhole(undefined, e.message, { partial: true, missing: e.message.missing });
  }

  /** Stores the reassembled (or stray) message as one MO, then drops its parts and processes it. */
  private async storeWhole(single: Message | undefined, r: ReassembledMo | undefined, extra: Extra): Promise<void> {
    const msg = r
      ? reassembledMessage(r, this.d.store.nextId(), this.d.clock.now(), extra.partial ? (extra.missing ?? []) : undefined)
      : { ...single!, direction: 'mo' as const, state: 'accepted' as const, extras: { ...single!.extras, partial: '' } };
    await this.d.store.insert(msg);
    if (r) await this.d.parts.deleteGroup(r.groupKey);
    await this.process(msg, extra);
  }

  // ---- routing and dispatch ----

  private async process(msg: Message, extra: Extra): Promise<void> {
    if (this.active.has(msg.id)) return;
    this.active.add(msg.id);
    try {
      await this.processOnce(msg, extra);
    } catch (e) {
      // A bug or a store failure: the MO stays unfinished in the store and is retried on redrive/restart.
      this.obs.log('error', 'MO processing failed', { messageId: msg.id, error: e instanceof Error ? e.message : String(e) });
    } finally {
      this.active.delete(msg.id);
    }
  }

  private async processOnce(msg: Message, extra: Extra): Promise<void> {
    const connectorId = msg.connectorId ?? '';
    const ud = extra.ud ?? moUserData(msg);
    const text = extra.text ?? moText(ud.payload, msg.dataCoding, this.d.textOptions?.(connectorId));
    const m = matchMoService(this.d.services, { shortNumber: msg.destination.addr, text, operator: msg.connectorId });
    const now = this.d.clock.now();
    if (m.kind === 'noMatch') {
      const decision = decideNoMatch(this.d.noMatch);
      this.obs.noMatch(decision.kind);
      if (decision.kind === 'reply') await this.sendReply(msg, decision.text, '', undefined);
      await this.d.store.update(msg.id, { state: 'rejected', lastError: m.reason, updatedAt: now });
      return;
    }
    const svc = m.service;
    this.obs.matched(svc.id, svc.partner);
    // The service and partner are recorded with the outcome (one store write per MO on the happy path); a crash before
    // that leaves the MO 'accepted', and it is matched again on restart.
    const handler = this.d.handlers.get(svc.id);
    if (!handler) {
      await this.deadLetter(msg, svc.id, svc.partner, 'no_handler', 0);
      return;
    }
    if (svc.handler.kind === 'smpp' && svc.handler.maxAgeMs !== undefined && now - msg.createdAt > svc.handler.maxAgeMs) {
      this.obs.expired(svc.partner);
      await Promise.all([
        this.d.store.update(msg.id, { state: 'expired', partnerId: svc.partner, routeId: svc.id, updatedAt: now }),
        this.d.deliveries.remove(msg.id),
      ]);
      return;
    }
    const delivery: MoDelivery = {
      id: msg.id,
      from: msg.source.addr,
      to: msg.destination.addr,
      text,
      hex: ud.payload.toString('hex'),
      dataCoding: msg.dataCoding,
      serviceId: svc.id,
      partnerId: svc.partner,
      operator: connectorId,
      receivedAt: msg.createdAt,
      partial: extra.partial,
    };
    if (m.keyword !== undefined) delivery.keyword = m.keyword;
    if (extra.missing && extra.missing.length > 0) delivery.missingParts = extra.missing;
    const started = this.d.clock.now();
    const out = await handler.handle(delivery);
    const ended = this.d.clock.now();
    const latency = ended - started;
    const since = ended - msg.createdAt;
    switch (out.kind) {
      case 'reply':
        this.obs.handled(svc.id, 'reply', latency, since, svc.partner, connectorId);
        await this.sendReply(msg, out.text, svc.id, svc.partner);
        await this.finish(msg.id, svc.id, svc.partner, extra);
        return;
      case 'accepted':
        this.obs.handled(svc.id, 'accepted', latency, since, svc.partner, connectorId);
        await this.finish(msg.id, svc.id, svc.partner, extra);
        return;
      case 'queued':
        this.obs.handled(svc.id, 'queued', latency, since, svc.partner, connectorId);
        await Promise.all([
          this.d.deliveries.put({ moId: msg.id, partnerId: svc.partner, serviceId: svc.id, state: 'pending', attempts: out.attempts, queuedAt: msg.createdAt, updatedAt: this.d.clock.now() }),
          this.d.store.update(msg.id, { state: 'routed', partnerId: svc.partner, routeId: svc.id, updatedAt: this.d.clock.now() }),
        ]);
        return;
      case 'failed':
        this.obs.handled(svc.id, 'dead', latency, since, svc.partner, connectorId);
        await this.deadLetter(msg, svc.id, svc.partner, out.error, out.attempts);
        return;
    }
  }

  private async finish(moId: MessageId, serviceId: string, partnerId: string, extra: Extra): Promise<void> {
    const done = this.d.store.update(moId, { state: 'delivered', partnerId, routeId: serviceId, updatedAt: this.d.clock.now() });
    await (extra.fromRecord ? Promise.all([done, this.d.deliveries.remove(moId)]) : done);
  }

  private async deadLetter(msg: Message, serviceId: string, partnerId: string, error: string, attempts: number): Promise<void> {
    this.obs.deadLettered(partnerId);
    this.obs.log('warn', 'MO dead-lettered', { messageId: msg.id, partnerId, error });
    const now = this.d.clock.now();
    const prev = await this.d.deliveries.get(msg.id);
    await Promise.all([
      this.d.deliveries.put({ moId: msg.id, partnerId, serviceId, state: 'dead', attempts: (prev?.attempts ?? 0) + attempts, lastError: error, queuedAt: prev?.queuedAt ?? msg.createdAt, updatedAt: now }),
      this.d.store.update(msg.id, { state: 'routed', partnerId, routeId: serviceId, lastError: error, updatedAt: now }),
    ]);
  }

  private async sendReply(mo: Message, text: string, serviceId: string, partnerId: string | undefined): Promise<void> {
    const now = this.d.clock.now();
    const reply = replyMessage(mo, text, {
      id: this.d.store.nextId(),
      partnerId: partnerId ?? '',
      serviceId,
      now,
      validityMs: this.d.settings.replyValidityMs ?? 24 * 3600_000,
    });
    if (partnerId === undefined) delete reply.partnerId;
    // The reply's partnerRef is the MO id: that is the link (no extra write per MO on the hot path).
    const res = await this.d.submitMt(reply);
    this.obs.replySubmitted(serviceId, res.ok);
    if (!res.ok) this.obs.log('warn', 'reply MT refused', { messageId: mo.id, code: res.code });
  }

  private async redrive(filter: { state: 'pending' | 'dead'; partnerId?: string }): Promise<number> {
    let started = 0;
    let after: MessageId | undefined;
    for (let guard = 0; guard < 100_000; guard++) {
      const recs = await this.d.deliveries.list({ ...filter, limit: 500, afterMoId: after });
      if (recs.length === 0) break;
      for (const r of recs) if (await this.replay(r.moId)) started++;
      after = recs[recs.length - 1]!.moId;
    }
    return started;
  }

  private scheduleRedrive(): void {
    const every = this.d.settings.redriveIntervalMs;
    if (!every || this.closed) return;
    this.redriveTimer = this.d.clock.setTimeout(() => {
      this.track(
        this.redrive({ state: 'dead' }).then(
          () => undefined,
          () => undefined,
        ),
      );
      this.scheduleRedrive();
    }, every);
  }

  private track(p: Promise<unknown>): void {
    this.tasks.track(p);
  }
}
