/**
 * UCP session states and what each side may send or accept in them. UCP has no bind/unbind operations: a
 * client logs in with OT 60 and the session ends with the TCP connection.
 */
export type UcpSessionState = 'open' | 'logging_in' | 'logged_in' | 'closing' | 'closed';
export type UcpRole = 'client' | 'server';

const TRANSITIONS: Readonly<Record<UcpSessionState, readonly UcpSessionState[]>> = {
  open: ['logging_in', 'logged_in', 'closing', 'closed'],
  logging_in: ['logged_in', 'open', 'closing', 'closed'],
  logged_in: ['closing', 'closed'],
  closing: ['closed'],
  closed: [],
};

export function nextState(from: UcpSessionState, to: UcpSessionState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** OTs each side originates once logged in (ucp.md section 2). 31 is allowed both ways. */
const ORIGINATES: Readonly<Record<UcpRole, ReadonlySet<string>>> = {
  client: new Set(['01', '02', '03', '30', '31', '51', '54', '55', '56', '60', '61']),
  server: new Set(['01', '31', '52', '53', '57', '58']),
};

/** OTs each side handles from its peer (through requests$); everything else is answered NACK 03. */
const HANDLES: Readonly<Record<UcpRole, ReadonlySet<string>>> = {
  client: new Set(['01', '52', '53']),
  server: new Set(['01', '51']),
};

export function canOriginate(role: UcpRole, state: UcpSessionState, ot: string): boolean {
  return state === 'logged_in' && ORIGINATES[role].has(ot);
}

/**
 * 'ok' to hand the operation to the application, 'unsupported' for NACK 03 (this side never takes that OT), or
 * 'state' for NACK 04 (allowed, but not before login / while closing).
 */
export function canReceive(role: UcpRole, state: UcpSessionState, ot: string): 'ok' | 'unsupported' | 'state' {
  if (!HANDLES[role].has(ot)) return role === 'server' && state !== 'logged_in' ? 'state' : 'unsupported';
  return state === 'logged_in' ? 'ok' : 'state';
}
