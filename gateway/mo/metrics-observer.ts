/**
 * MoObserver onto the daemon's Metrics (tollgate_mo_*) and its logger. Every call is a cached labelled child
 * increment: nothing is allocated per MO once a label set has been seen.
 */
import type { LoggerLike } from '../daemon-observer';
import type { Metrics } from '../metrics';
import type { MoObserver, MoOutcome } from './observer';

export function moObserverFromMetrics(metrics: Metrics, log?: LoggerLike): MoObserver {
  return {
    received: (connectorId) => metrics.moReceivedInc(connectorId),
    part: (connectorId, result) => metrics.moPartInc(connectorId, result),
    partial: (action) => metrics.moReassemblyTimeout(action),
    matched: () => undefined, // counted with the outcome in tollgate_mo_handled_total
    noMatch: (action) => metrics.moNoMatchInc(action),
    handled: (serviceId: string, outcome: MoOutcome, _handlerMs: number, _sinceMs: number, partnerId: string, connectorId: string) =>
      metrics.moHandledInc(outcome, serviceId, partnerId, connectorId),
    replySubmitted: (serviceId, ok) => metrics.moReply(serviceId, ok),
    deadLettered: (partnerId) => metrics.moDeadLetter(partnerId),
    expired: (partnerId) => metrics.moExpiredInc(partnerId),
    partnerCall: (partnerId, ok, ms) => metrics.moPartnerRequestSeconds(partnerId, ok, ms / 1000),
    sendApiResponse: (status) => metrics.moSendApiInc(status),
    watchPartnerInFlight: (provider) => metrics.observeMoPartnerInFlight(provider),
    log: (level, msg, meta) => {
      log?.[level](msg, meta);
    },
  };
}
