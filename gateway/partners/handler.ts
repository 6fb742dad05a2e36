/**
 * The partner handler surface: one MO in, an outcome out. HTTP GET/POST (sync, async) and SMPP pass-through all
 * implement it; retries, timeouts and the concurrency limit wrap it (see with-retries.ts).
 */

/** An MO as the partner sees it. */
export interface MoDelivery {
  /** Our MO id: the reference for async replies. */
  id: string;
  /** Subscriber (MO source). */
  from: string;
  /** Short number (MO destination). */
  to: string;
  /** Decoded text (GSM7 incl. extension table, UCS2 or Latin-1 to Unicode). */
  text: string;
  /** The raw user data (without UDH), hex. */
  hex: string;
  dataCoding: number;
  keyword?: string;
  serviceId: string;
  partnerId: string;
  /** Operator link the MO came in on (the reply goes back on it). */
  operator: string;
  receivedAt: number;
  /** A long MO of which some parts never came (partialPolicy 'deliver'). */
  partial: boolean;
  missingParts?: number[];
}

export type HandlerOutcome =
  | { kind: 'reply'; text: string } // sync: send `text` back as an MT
  | { kind: 'accepted' } // taken, no reply now (async, or sync with an empty body)
  | { kind: 'queued' } // SMPP partner not bound: stays in the store until it binds
  | { kind: 'failed'; retryable: boolean; error: string; status?: number };

export interface PartnerHandler {
  readonly kind: 'httpGet' | 'httpPost' | 'httpPostAsync' | 'smpp';
  handle(mo: MoDelivery): Promise<HandlerOutcome>;
}

/** Field names and order shared by the JSON body and the GET query. */
export function moFields(mo: MoDelivery): Record<string, string | number | boolean | number[] | undefined> {
  return {
    id: mo.id,
    from: mo.from,
    to: mo.to,
    text: mo.text,
    keyword: mo.keyword,
    service: mo.serviceId,
    operator: mo.operator,
    receivedAt: new Date(mo.receivedAt).toISOString(),
    dataCoding: mo.dataCoding,
    hex: mo.hex,
    partial: mo.partial,
    missingParts: mo.missingParts,
  };
}

const q = JSON.stringify;

/**
 * `JSON.stringify(moFields(mo))` without the intermediate object: the same bytes (field order, omitted undefined
 * fields), built as one string on the hot path.
 */
export function moJson(mo: MoDelivery): string {
  let s = '{"id":' + q(mo.id) + ',"from":' + q(mo.from) + ',"to":' + q(mo.to) + ',"text":' + q(mo.text);
  if (mo.keyword !== undefined) s += ',"keyword":' + q(mo.keyword);
  s += ',"service":' + q(mo.serviceId) + ',"operator":' + q(mo.operator) + ',"receivedAt":"' + new Date(mo.receivedAt).toISOString() + '"';
  s += ',"dataCoding":' + q(mo.dataCoding) + ',"hex":' + q(mo.hex) + ',"partial":' + (mo.partial ? 'true' : 'false');
  if (mo.missingParts !== undefined) s += ',"missingParts":' + q(mo.missingParts);
  return s + '}';
}
