/**
 * SMPP session states and the rules that depend on them: which transitions exist, and which side may send which
 * request in which state (smpp.md §3). Pure tables, so the session, the simulator and the tests share one truth.
 */
export type SmppSessionState = 'open' | 'binding' | 'bound_tx' | 'bound_rx' | 'bound_trx' | 'unbinding' | 'closed';

/** The side of the link a session plays: the ESME binds, the SMSC (message centre) accepts binds. */
export type SmppRole = 'esme' | 'smsc';

export type BindType = 'transmitter' | 'receiver' | 'transceiver';

export const TRANSITIONS: Readonly<Record<SmppSessionState, readonly SmppSessionState[]>> = {
  open: ['binding', 'closed'],
  // A failed bind goes straight to closed: a session is never re-bound after a refusal.
  binding: ['bound_tx', 'bound_rx', 'bound_trx', 'closed'],
  bound_tx: ['unbinding', 'closed'],
  bound_rx: ['unbinding', 'closed'],
  bound_trx: ['unbinding', 'closed'],
  unbinding: ['closed'],
  closed: [],
};

export function canTransition(from: SmppSessionState, to: SmppSessionState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isBound(s: SmppSessionState): s is 'bound_tx' | 'bound_rx' | 'bound_trx' {
  return s === 'bound_tx' || s === 'bound_rx' || s === 'bound_trx';
}

export const BIND_COMMAND = {
  transmitter: 'bind_transmitter',
  receiver: 'bind_receiver',
  transceiver: 'bind_transceiver',
} as const;

export type BindCommand = (typeof BIND_COMMAND)[BindType];

export const BOUND_STATE_FOR: Readonly<Record<BindCommand, 'bound_tx' | 'bound_rx' | 'bound_trx'>> = {
  bind_transmitter: 'bound_tx',
  bind_receiver: 'bound_rx',
  bind_transceiver: 'bound_trx',
};

export function isBindCommand(c: string): c is BindCommand {
  return c === 'bind_transmitter' || c === 'bind_receiver' || c === 'bind_transceiver';
}

type StateSet = readonly SmppSessionState[];
const OPEN: StateSet = ['open'];
const TX: StateSet = ['bound_tx', 'bound_trx'];
const RX: StateSet = ['bound_rx', 'bound_trx'];
const BOUND: StateSet = ['bound_tx', 'bound_rx', 'bound_trx'];
const ANY_LIVE: StateSet = ['open', 'binding', 'bound_tx', 'bound_rx', 'bound_trx', 'unbinding'];

/**
 * Request command -> the states in which each sender may issue it. Missing sender = that side never sends it.
 * Responses are not listed: they are matched by sequence number in any live state.
 */
export const REQUEST_RULES: Readonly<Record<string, Partial<Record<SmppRole, StateSet>>>> = {
  bind_transmitter: { esme: OPEN },
  bind_receiver: { esme: OPEN },
  bind_transceiver: { esme: OPEN },
  outbind: { smsc: OPEN },
  submit_sm: { esme: TX },
  submit_multi: { esme: TX },
  query_sm: { esme: TX },
  cancel_sm: { esme: TX },
  replace_sm: { esme: TX },
  broadcast_sm: { esme: TX },
  query_broadcast_sm: { esme: TX },
  cancel_broadcast_sm: { esme: TX },
  deliver_sm: { smsc: RX },
  alert_notification: { smsc: RX },
  data_sm: { esme: TX, smsc: RX },
  unbind: { esme: BOUND, smsc: BOUND },
  // smpp.md §11: answer enquire_link at once in any state, so either side may send it whenever the link is up.
  enquire_link: { esme: ANY_LIVE, smsc: ANY_LIVE },
};

/** Whether `sender` may issue request `command` while the session is in `state`. Unknown commands: never. */
export function mayRequest(command: string, sender: SmppRole, state: SmppSessionState): boolean {
  const rule = REQUEST_RULES[command];
  const states = rule?.[sender];
  return states !== undefined && states.includes(state);
}

export function peerOf(role: SmppRole): SmppRole {
  return role === 'esme' ? 'smsc' : 'esme';
}

/** Whether `role` may send its message-carrying requests (submit/deliver) in `state`: the session's canSend rule. */
export function maySendMessages(role: SmppRole, state: SmppSessionState): boolean {
  return role === 'esme' ? state === 'bound_tx' || state === 'bound_trx' : state === 'bound_rx' || state === 'bound_trx';
}
