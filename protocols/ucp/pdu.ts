import type { UcpGenericOt, UcpOt } from './constants';
import type { Fields01, Fields31, Fields5x, Fields60, Fields61 } from './schema';

/**
 * UCP PDUs: a union on `kind` ('O' operation, 'R' result) and `ot`. Every field is kept as its raw wire string
 * (empty string = empty field) so that encode(decode(frame)) is byte-identical; typed views of the content
 * (text, alphanumeric OAdC, XSer, timestamps) are in content.ts, xser.ts, address.ts and time.ts.
 */
interface OpBase {
  readonly kind: 'O';
  /** Transaction reference 0-99; assigned by the session on send. */
  readonly trn: number;
}

export interface UcpCallInput extends OpBase, Readonly<Fields01> {
  readonly ot: '01';
}

export interface UcpAlert extends OpBase, Readonly<Fields31> {
  readonly ot: '31';
}

export interface UcpSubmit extends OpBase, Readonly<Fields5x> {
  readonly ot: '51';
}

export interface UcpDeliver extends OpBase, Readonly<Fields5x> {
  readonly ot: '52';
}

export interface UcpNotification extends OpBase, Readonly<Fields5x> {
  readonly ot: '53';
}

export interface UcpSessionManagement extends OpBase, Readonly<Fields60> {
  readonly ot: '60';
}

export interface UcpProvisioning extends OpBase, Readonly<Fields61> {
  readonly ot: '61';
}

/** 02, 03, 30, 54-58: decoded only far enough to be answered (NACK 03) or passed on untouched. */
export interface UcpGenericOperation extends OpBase {
  readonly ot: UcpGenericOt;
  readonly fields: readonly string[];
}

export type Ucp5xOperation = UcpSubmit | UcpDeliver | UcpNotification;

export type UcpOperation =
  | UcpCallInput
  | UcpAlert
  | UcpSubmit
  | UcpDeliver
  | UcpNotification
  | UcpSessionManagement
  | UcpProvisioning
  | UcpGenericOperation;

/** Positive result: `A/SM/`, or `A/MVP/SM/` for 30 and 5x (mvp is then a string, possibly empty). */
export interface UcpAck {
  readonly ack: true;
  readonly mvp?: string;
  readonly sm: string;
}

/** Negative result: `N/EC/SM/`. */
export interface UcpNack {
  readonly ack: false;
  readonly ec: string;
  readonly sm: string;
}

export type UcpResultBody = UcpAck | UcpNack;

export interface UcpResult {
  readonly kind: 'R';
  /** Any two-digit OT: a NACK 03 echoes an OT this codec does not know. */
  readonly ot: UcpOt | (string & {});
  readonly trn: number;
  readonly result: UcpResultBody;
}

export type UcpPdu = UcpOperation | UcpResult;

/** The header of a frame, readable even when its body is not (used to address a NACK). */
export interface UcpHeader {
  readonly trn: number;
  readonly kind: 'O' | 'R';
  readonly ot: string;
}

/** An operation as given to `send`: the session assigns the TRN. */
export type UcpOutgoing = UcpOperation extends infer T ? (T extends UcpOperation ? Omit<T, 'trn'> & { trn?: number } : never) : never;

/** What the application answers to an inbound operation; the session adds TRN and OT. */
export type UcpReply = { ack: true; sm?: string; mvp?: string } | { ack: false; ec: string; sm?: string };
