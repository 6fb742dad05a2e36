import { CommandStatus } from './constants';
import { isBindCommand, isBound, mayRequest, peerOf } from './states';
import type { SmppRole, SmppSessionState } from './states';

/**
 * What a session does with a request from its peer, by command, role and state (smpp.md sections 3 and 11). Pure,
 * so the rules read as one table and are tested without a session.
 */
export type InboundRoute =
  /** enquire_link: answer ESME_ROK at once, in any live state. */
  | { kind: 'answer' }
  /** unbind while bound: answer ESME_ROK, stop sending, drain and close. */
  | { kind: 'peer_unbind' }
  /** unbind while we are unbinding too: answer ESME_ROK; our own unbind finishes the close. */
  | { kind: 'agree_unbind' }
  /** alert_notification: report it (it has no response). */
  | { kind: 'alert' }
  /** alert_notification in a state where it is not allowed: report as refused; still no response exists. */
  | { kind: 'drop'; status: number }
  /** outbind to an ESME waiting for one: bind back. */
  | { kind: 'outbind' }
  /** bind to an SMSC session in open state: authenticate. */
  | { kind: 'bind' }
  /** Everything else allowed in this state: hand to the application. */
  | { kind: 'application' }
  /** Refused with its own *_resp (or generic_nack when it has none) carrying `status`. */
  | { kind: 'reject'; status: number };

export interface InboundContext {
  role: SmppRole;
  state: SmppSessionState;
  closing: boolean;
  /** An SMSC session has a bind handler; an ESME session from acceptOutbind waits for an outbind. */
  acceptsBind: boolean;
  acceptsOutbind: boolean;
}

const ANSWER: InboundRoute = { kind: 'answer' };
const APPLICATION: InboundRoute = { kind: 'application' };
const WRONG_STATE: InboundRoute = { kind: 'reject', status: CommandStatus.ESME_RINVBNDSTS };

export function routeInbound(command: string, c: InboundContext): InboundRoute {
  switch (command) {
    case 'enquire_link':
      return ANSWER;
    case 'unbind':
      if (isBound(c.state)) return { kind: 'peer_unbind' };
      return c.state === 'unbinding' ? { kind: 'agree_unbind' } : WRONG_STATE;
    case 'alert_notification':
      return mayRequest(command, peerOf(c.role), c.state) ? { kind: 'alert' } : { kind: 'drop', status: CommandStatus.ESME_RINVBNDSTS };
    case 'outbind':
      // outbind has no response of its own: one we do not wait for is refused with generic_nack, not left to time out.
      return c.role === 'esme' && c.state === 'open' && c.acceptsOutbind && !c.closing ? { kind: 'outbind' } : WRONG_STATE;
    default:
      break;
  }
  if (isBindCommand(command) && c.role === 'smsc') {
    if (c.state === 'open' && c.acceptsBind && !c.closing) return { kind: 'bind' };
    // A second bind while bound or binding is "already bound"; while unbinding or closing the state is wrong.
    return isBound(c.state) || c.state === 'binding' ? { kind: 'reject', status: CommandStatus.ESME_RALYBND } : WRONG_STATE;
  }
  return c.closing || !mayRequest(command, peerOf(c.role), c.state) ? WRONG_STATE : APPLICATION;
}
