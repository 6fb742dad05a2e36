import { ErrorCode } from './constants';

/**
 * Parameter schema table: wire type and limit of every parameter code in cimd2.md §4, and the 900 error code to
 * answer when a value fails. Unknown codes are carried through unvalidated (the reference says: ignore on receipt).
 */
export type ParamType = 'int' | 'address' | 'string' | 'text' | 'hex' | 'time';

export interface ParamSpec {
  readonly code: string;
  readonly name: string;
  readonly type: ParamType;
  /** Maximum length of the value in characters. */
  readonly maxLength: number;
  readonly min?: number;
  readonly max?: number;
  /** 050/053 may carry -1 (Kannel). */
  readonly allowNegative?: boolean;
  /** 900 code to answer when the value is malformed, unless the operation overrides it. */
  readonly onError: number;
}

const E = ErrorCode;

function p(
  code: string,
  name: string,
  type: ParamType,
  maxLength: number,
  onError: number,
  extra: Partial<Pick<ParamSpec, 'min' | 'max' | 'allowNegative'>> = {},
): ParamSpec {
  return { code, name, type, maxLength, onError, ...extra };
}

const INT3 = { min: 0, max: 999 };

export const PARAM_SPECS: ReadonlyMap<string, ParamSpec> = new Map(
  [
    p('010', 'userIdentity', 'string', 32, E.INVALID_LOGIN),
    p('011', 'password', 'string', 32, E.INVALID_LOGIN),
    p('012', 'subaddress', 'int', 3, E.INVALID_SUBADDR, INT3),
    p('019', 'windowSize', 'int', 3, E.INVALID_WINDOW_SIZE, INT3),
    p('021', 'destinationAddress', 'address', 20, E.INCORRECT_DESTINATION_ADDRESS),
    p('023', 'originatingAddress', 'address', 20, E.INCORRECT_ORIGINATOR_USAGE),
    p('026', 'originatingImsi', 'address', 20, E.PARAMETER_FORMATTING_ERROR),
    p('027', 'alphanumericOriginatingAddress', 'string', 11, E.INVALID_ALPHA_ORIGINATOR_DATA),
    p('028', 'originatedVisitedMscAddress', 'address', 20, E.PARAMETER_FORMATTING_ERROR),
    p('030', 'dataCodingScheme', 'int', 3, E.INCORRECT_DCS_USAGE, { min: 0, max: 255 }),
    p('032', 'userDataHeader', 'hex', 280, E.USER_DATA_SYNTAX_ERROR),
    p('033', 'userData', 'text', 480, E.USER_DATA_SYNTAX_ERROR),
    p('034', 'userDataBinary', 'hex', 280, E.USER_DATA_SYNTAX_ERROR),
    p('044', 'moreMessagesToSend', 'int', 1, E.INCORRECT_MMS_USAGE, { min: 0, max: 1 }),
    p('050', 'validityPeriodRelative', 'int', 3, E.INCORRECT_VALIDITY_PERIOD_USAGE, { min: -1, max: 255, allowNegative: true }),
    p('051', 'validityPeriodAbsolute', 'time', 12, E.INCORRECT_VALIDITY_PERIOD_USAGE),
    p('052', 'protocolIdentifier', 'int', 3, E.INCORRECT_PID_USAGE, { min: 0, max: 255 }),
    p('053', 'firstDeliveryTimeRelative', 'int', 3, E.INCORRECT_FIRST_DELIVERY_USAGE, { min: -1, max: 255, allowNegative: true }),
    p('054', 'firstDeliveryTimeAbsolute', 'time', 12, E.INCORRECT_FIRST_DELIVERY_USAGE),
    p('055', 'replyPath', 'int', 1, E.INCORRECT_REPLY_PATH_USAGE, { min: 0, max: 1 }),
    p('056', 'statusReportRequest', 'int', 2, E.INCORRECT_STATUS_REPORT_REQUEST_USAGE, { min: 0, max: 63 }),
    p('058', 'cancelEnabled', 'int', 1, E.INCORRECT_CANCEL_ENABLED_USAGE, { min: 0, max: 1 }),
    p('059', 'cancelMode', 'int', 1, E.CANCEL_INCORRECT_MODE, { min: 0, max: 2 }),
    p('060', 'serviceCentreTimeStamp', 'time', 12, E.PARAMETER_FORMATTING_ERROR),
    p('061', 'statusCode', 'int', 1, E.PARAMETER_FORMATTING_ERROR, { min: 0, max: 9 }),
    p('062', 'statusErrorCode', 'int', 3, E.PARAMETER_FORMATTING_ERROR, INT3),
    p('063', 'dischargeTime', 'time', 12, E.PARAMETER_FORMATTING_ERROR),
    p('064', 'tariffClass', 'int', 2, E.INCORRECT_TARIFF_CLASS_USAGE, { min: 0, max: 99 }),
    p('065', 'serviceDescription', 'int', 1, E.INCORRECT_SERVICE_DESCRIPTION_USAGE, { min: 0, max: 9 }),
    p('066', 'messageCount', 'int', 3, E.PARAMETER_FORMATTING_ERROR, INT3),
    p('067', 'priority', 'int', 1, E.INCORRECT_PRIORITY_USAGE, { min: 1, max: 9 }),
    p('068', 'deliveryRequestMode', 'int', 1, E.DELIVERY_REQUEST_INCORRECT_MODE, { min: 0, max: 2 }),
    p('069', 'serviceCenterAddress', 'address', 20, E.PARAMETER_FORMATTING_ERROR),
    p('500', 'getParameter', 'int', 3, E.GET_UNSUPPORTED_ITEM, { min: 501, max: 999 }),
    p('501', 'mcTime', 'time', 12, E.PARAMETER_FORMATTING_ERROR),
    p('900', 'errorCode', 'int', 3, E.PARAMETER_FORMATTING_ERROR, INT3),
    p('901', 'errorText', 'string', 64, E.PARAMETER_FORMATTING_ERROR),
  ].map((s): [string, ParamSpec] => [s.code, s]),
);

/** Operation-specific error codes where the reference gives one (e.g. 04 answers a bad 060 with 401). */
const OP_ERROR_OVERRIDES: ReadonlyMap<number, ReadonlyMap<string, number>> = new Map<number, ReadonlyMap<string, number>>([
  [4, new Map<string, number>([['021', E.ENQUIRE_INCORRECT_ADDRESS], ['060', E.ENQUIRE_INCORRECT_SCTS]])],
  [5, new Map<string, number>([['060', E.DELIVERY_REQUEST_INCORRECT_SCTS], ['068', E.DELIVERY_REQUEST_INCORRECT_MODE]])],
  [6, new Map<string, number>([['060', E.CANCEL_INCORRECT_SCTS], ['021', E.CANCEL_INCORRECT_ADDRESS], ['059', E.CANCEL_INCORRECT_MODE]])],
  [8, new Map<string, number>([['011', E.SET_PASSWORD_FAILED]])],
]);

/** The 900 code for a malformed value of `code` in operation `op`. */
export function errorCodeFor(op: number, code: string): number {
  const o = OP_ERROR_OVERRIDES.get(op)?.get(code);
  if (o !== undefined) return o;
  return PARAM_SPECS.get(code)?.onError ?? E.PARAMETER_FORMATTING_ERROR;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** True when `value` is a valid value for `spec`. Pure string checks: no allocation on the hot path. */
export function isValidValue(spec: ParamSpec, value: string): boolean {
  const n = value.length;
  if (n > spec.maxLength) return false;
  switch (spec.type) {
    case 'int': {
      let i = 0;
      if (spec.allowNegative && value.charCodeAt(0) === 0x2d) i = 1;
      if (i >= n) return false;
      for (let k = i; k < n; k++) if (!isDigit(value.charCodeAt(k))) return false;
      const v = Number(value);
      if (spec.min !== undefined && v < spec.min) return false;
      if (spec.max !== undefined && v > spec.max) return false;
      return true;
    }
    case 'address': {
      if (n === 0) return false;
      let i = value.charCodeAt(0) === 0x2b ? 1 : 0;
      if (i >= n) return false;
      for (; i < n; i++) if (!isDigit(value.charCodeAt(i))) return false;
      return true;
    }
    case 'string': {
      for (let i = 0; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c < 0x20 || c > 0x7e) return false;
      }
      return true;
    }
    case 'text':
      // Control bytes that delimit frames are rejected by the codec already; CR/LF and Latin-1 are allowed.
      return true;
    case 'hex': {
      if (n % 2 !== 0) return false;
      for (let i = 0; i < n; i++) if (!isHex(value.charCodeAt(i))) return false;
      return true;
    }
    case 'time': {
      if (n !== 12) return false;
      for (let i = 0; i < n; i++) if (!isDigit(value.charCodeAt(i))) return false;
      return true;
    }
  }
}

/** The first parameter with an invalid value, or undefined. Unknown codes pass. */
export function findInvalidParam(params: ReadonlyArray<{ code: string; value: string }>): { code: string; value: string } | undefined {
  for (let i = 0; i < params.length; i++) {
    const prm = params[i]!;
    const spec = PARAM_SPECS.get(prm.code);
    if (spec && !isValidValue(spec, prm.value)) return prm;
  }
  return undefined;
}
