/**
 * Minimal local typing of the untyped npm `smpp@0.5.1` package: only what the interop tests and the benchmark use.
 * It is an independent implementation, which is the point of using it.
 */
import type { EventEmitter } from 'node:events';
import type * as net from 'node:net';

export interface NpmPdu {
  command: string;
  command_id: number;
  command_status: number;
  sequence_number: number;
  [field: string]: unknown;
  isResponse(): boolean;
  response(options?: Record<string, unknown>): NpmPdu;
  toBuffer(): Buffer;
}

export type NpmCallback = (pdu: NpmPdu) => void;

export interface NpmSession extends EventEmitter {
  socket: net.Socket;
  send(pdu: NpmPdu, responseCallback?: NpmCallback, sendCallback?: NpmCallback): boolean;
  close(callback?: () => void): void;
  destroy(callback?: () => void): void;
  pause(): void;
  resume(): void;
  bind_transceiver(options: Record<string, unknown>, cb?: NpmCallback): boolean;
  bind_transmitter(options: Record<string, unknown>, cb?: NpmCallback): boolean;
  submit_sm(options: Record<string, unknown>, cb?: NpmCallback): boolean;
  deliver_sm(options: Record<string, unknown>, cb?: NpmCallback): boolean;
  enquire_link(options: Record<string, unknown>, cb?: NpmCallback): boolean;
  unbind(options: Record<string, unknown>, cb?: NpmCallback): boolean;
}

export interface NpmServer extends net.Server {
  sessions: NpmSession[];
}

export interface NpmSmpp {
  connect(options: { url: string; auto_enquire_link_period?: number }, listener?: () => void): NpmSession;
  createServer(listener: (session: NpmSession) => void): NpmServer;
  PDU: { new (command: string, options?: Record<string, unknown>): NpmPdu; fromBuffer(buf: Buffer): NpmPdu | false };
}


export const npmSmpp = require('smpp') as NpmSmpp;
