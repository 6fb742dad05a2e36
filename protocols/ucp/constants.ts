/** UCP/EMI constants (ucp.md sections 1-3). */

export const STX = 0x02;
export const ETX = 0x03;
export const SLASH = 0x2f;

/** Default cap on one frame including STX/ETX: real frames stay well under 1 KB. */
export const DEFAULT_MAX_FRAME_BYTES = 4096;

/** TRN runs 00-99, so at most 100 operations can be outstanding on one session. */
export const MAX_TRN = 99;
export const MAX_WINDOW = 100;

/** Operation types decoded into typed PDUs. */
export const TYPED_OTS = ['01', '31', '51', '52', '53', '60', '61'] as const;
/** Operation types decoded only into a generic field list so that they can be answered (NACK 03) cleanly. */
export const GENERIC_OTS = ['02', '03', '30', '54', '55', '56', '57', '58'] as const;

export type UcpTypedOt = (typeof TYPED_OTS)[number];
export type UcpGenericOt = (typeof GENERIC_OTS)[number];
export type UcpOt = UcpTypedOt | UcpGenericOt;

export const OT = {
  CALL_INPUT: '01',
  CALL_INPUT_MULTI: '02',
  CALL_INPUT_SUPPLEMENTARY: '03',
  SMS_TRANSFER: '30',
  ALERT: '31',
  SUBMIT: '51',
  DELIVER: '52',
  NOTIFICATION: '53',
  MODIFY: '54',
  INQUIRY: '55',
  DELETE: '56',
  RESPONSE_INQUIRY: '57',
  RESPONSE_DELETE: '58',
  SESSION: '60',
  PROVISIONING: '61',
} as const;

/** Results of these OTs carry A/MVP/SM; all others A/SM (ucp.md section 3). */
const MVP_RESULT_OTS: ReadonlySet<string> = new Set(['30', '51', '52', '53', '54', '55', '56', '57', '58']);

export function resultHasMvp(ot: string): boolean {
  return MVP_RESULT_OTS.has(ot);
}

const KNOWN_OTS: ReadonlySet<string> = new Set<string>([...TYPED_OTS, ...GENERIC_OTS]);

export function isKnownOt(ot: string): ot is UcpOt {
  return KNOWN_OTS.has(ot);
}

export function isTypedOt(ot: string): ot is UcpTypedOt {
  return (TYPED_OTS as readonly string[]).includes(ot);
}

/** Error codes (EC) used by this implementation; any two-digit code is accepted on the wire. */
export const UcpEc = {
  CHECKSUM_ERROR: '01',
  SYNTAX_ERROR: '02',
  OPERATION_NOT_SUPPORTED: '03',
  OPERATION_NOT_ALLOWED: '04',
  CALL_BARRING_ACTIVE: '05',
  ADC_INVALID: '06',
  AUTHENTICATION_FAILURE: '07',
  MESSAGE_TYPE_NOT_SUPPORTED: '23',
  MESSAGE_TOO_LONG: '24',
  MESSAGE_NOT_FOUND: '27',
  INVALID_CHARACTER_SET: '28',
  LOW_NETWORK_STATUS: '50',
  SYSTEM_ERROR: '55',
} as const;

export type UcpEcCode = (typeof UcpEc)[keyof typeof UcpEc];

/** Short texts put in the SM field of NACKs we generate. Peers never parse them. */
export const EC_TEXT: Readonly<Record<string, string>> = {
  '01': 'Checksum error',
  '02': 'Syntax error',
  '03': 'Operation not supported by system',
  '04': 'Operation not allowed',
  '05': 'Call barring active',
  '06': 'AdC invalid',
  '07': 'Authentication failure',
  '23': 'Message type not supported by system',
  '24': 'Message too long',
  '27': 'Message not found in SMSC',
  '28': 'Invalid character set',
  '50': 'Low network status',
  '55': 'System error',
};

/** Message types (field MT). */
export const Mt = { NUMERIC: '2', ALPHANUMERIC: '3', TRANSPARENT: '4' } as const;

/** OT 60/61 STYP values. */
export const Styp60 = {
  OPEN_SESSION: '1',
  CHANGE_PASSWORD: '3',
  OPEN_PROVISIONING: '4',
  CHANGE_PROVISIONING_PASSWORD: '6',
} as const;

/** OTOA values for the originator address. */
export const Otoa = { ALPHANUMERIC: '5039', INTERNATIONAL: '1139' } as const;

/** XSer service types (ucp.md section 6). */
export const XserType = { UDH: 0x01, DCS: 0x02, BILLING_ID: 0x0c } as const;

/** Dst in OT 53. */
export const Dst = { DELIVERED: '0', BUFFERED: '1', NOT_DELIVERED: '2' } as const;

/** NT bit mask in OT 51. */
export const NtBits = { DELIVERED: 1, NON_DELIVERED: 2, BUFFERED: 4 } as const;
