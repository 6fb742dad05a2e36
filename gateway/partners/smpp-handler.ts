/**
 * SMPP pass-through: the MO goes to the partner's receiver/transceiver bind as deliver_sm. The runtime's partner
 * SMPP server implements `SmppPartnerLink`; when the partner is not bound the outcome is `queued` and the MO flow
 * keeps the MO in the store until `partnerBound(partnerId)` (then drops what is older than maxAgeMs).
 */
import type { HandlerOutcome, MoDelivery, PartnerHandler } from './handler';

export interface SmppPartnerLink {
  /** A receiver or transceiver bind of this partner is up. */
  isBound(partnerId: string): boolean;
  /** Sends the MO as deliver_sm on one of the partner's rx/trx binds; resolves on a deliver_sm_resp with status 0. */
  deliverMo(mo: MoDelivery): Promise<void>;
}

export function createSmppHandler(link: SmppPartnerLink): PartnerHandler {
  return {
    kind: 'smpp',
    async handle(mo: MoDelivery): Promise<HandlerOutcome> {
      if (!link.isBound(mo.partnerId)) return { kind: 'queued' };
      try {
        await link.deliverMo(mo);
        return { kind: 'accepted' };
      } catch (e) {
        // The bind may have dropped mid-flight: keep it queued for the next bind rather than burning retries.
        if (!link.isBound(mo.partnerId)) return { kind: 'queued' };
        return { kind: 'failed', retryable: true, error: e instanceof Error ? e.name : 'error' };
      }
    },
  };
}
