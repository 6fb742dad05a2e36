import { CommandStatus as S } from '../../../protocols/smpp/constants';
import { routeInbound } from '../../../protocols/smpp/inbound-rules';
import type { InboundContext, InboundRoute } from '../../../protocols/smpp/inbound-rules';

const smsc = (state: InboundContext['state'], more: Partial<InboundContext> = {}): InboundContext => ({
  role: 'smsc', state, closing: false, acceptsBind: true, acceptsOutbind: false, ...more,
});
const esme = (state: InboundContext['state'], more: Partial<InboundContext> = {}): InboundContext => ({
  role: 'esme', state, closing: false, acceptsBind: false, acceptsOutbind: false, ...more,
});

describe('routeInbound (smpp.md sections 3 and 11)', () => {
  const rows: Array<[string, string, InboundContext, InboundRoute]> = [
    ['enquire_link before bind', 'enquire_link', smsc('open'), { kind: 'answer' }],
    ['enquire_link while unbinding', 'enquire_link', esme('unbinding'), { kind: 'answer' }],
    ['unbind in open state', 'unbind', smsc('open'), { kind: 'reject', status: S.ESME_RINVBNDSTS }],
    ['unbind while bound', 'unbind', esme('bound_rx'), { kind: 'peer_unbind' }],
    ['unbind while both unbind', 'unbind', smsc('unbinding'), { kind: 'agree_unbind' }],
    ['bind in open state', 'bind_transceiver', smsc('open'), { kind: 'bind' }],
    ['second bind while bound', 'bind_transmitter', smsc('bound_trx'), { kind: 'reject', status: S.ESME_RALYBND }],
    ['bind while binding', 'bind_receiver', smsc('binding'), { kind: 'reject', status: S.ESME_RALYBND }],
    ['bind while unbinding', 'bind_receiver', smsc('unbinding'), { kind: 'reject', status: S.ESME_RINVBNDSTS }],
    ['bind to an ESME', 'bind_receiver', esme('open'), { kind: 'reject', status: S.ESME_RINVBNDSTS }],
    ['submit_sm bound_tx', 'submit_sm', smsc('bound_tx'), { kind: 'application' }],
    ['submit_sm bound_rx', 'submit_sm', smsc('bound_rx'), { kind: 'reject', status: S.ESME_RINVBNDSTS }],
    ['submit_sm while closing', 'submit_sm', smsc('bound_trx', { closing: true }), { kind: 'reject', status: S.ESME_RINVBNDSTS }],
    ['deliver_sm to bound_rx ESME', 'deliver_sm', esme('bound_rx'), { kind: 'application' }],
    ['deliver_sm to bound_tx ESME', 'deliver_sm', esme('bound_tx'), { kind: 'reject', status: S.ESME_RINVBNDSTS }],
    ['deliver_sm from an ESME', 'deliver_sm', smsc('bound_trx'), { kind: 'reject', status: S.ESME_RINVBNDSTS }],
    ['data_sm both ways', 'data_sm', esme('bound_trx'), { kind: 'application' }],
    ['alert_notification bound_rx', 'alert_notification', esme('bound_rx'), { kind: 'alert' }],
    ['alert_notification bound_tx', 'alert_notification', esme('bound_tx'), { kind: 'drop', status: S.ESME_RINVBNDSTS }],
    ['outbind awaited', 'outbind', esme('open', { acceptsOutbind: true }), { kind: 'outbind' }],
    ['outbind not awaited', 'outbind', esme('open'), { kind: 'reject', status: S.ESME_RINVBNDSTS }],
    ['outbind to an SMSC', 'outbind', smsc('open', { acceptsOutbind: true }), { kind: 'reject', status: S.ESME_RINVBNDSTS }],
  ];
  it.each(rows)('%s', (_name, command, ctx, route) => {
    expect(routeInbound(command, ctx)).toEqual(route);
  });
});
