import { concatUdh } from '../../../protocols/wire/udh';
import type { Message } from '../../../routing/message';

export interface MoSpec {
  from?: string;
  to?: string;
  body: Buffer;
  dataCoding?: number;
  connectorId?: string;
  udh?: { ref: number; total: number; seq: number; refBits: 8 | 16 };
  sar?: { ref: number; total: number; seq: number };
  createdAt?: number;
}

/** An MO as an adapter hands it over: id '' (the flow assigns one), direction 'mo'. */
export function mkMo(s: MoSpec): Message {
  const body = s.udh ? Buffer.concat([concatUdh(s.udh), s.body]) : s.body;
  const now = s.createdAt ?? 1_700_000_000_000;
  const m: Message = {
    id: '',
    direction: 'mo',
    connectorId: s.connectorId ?? 'op1',
    source: { addr: s.from ?? '46700000001', ton: 1, npi: 1 },
    destination: { addr: s.to ?? '4455', ton: 0, npi: 1 },
    dataCoding: s.dataCoding ?? 0,
    esmClass: s.udh ? 0x40 : 0,
    protocolId: 0,
    priority: 0,
    registeredDelivery: 0,
    body,
    parts: [],
    state: 'accepted',
    createdAt: now,
    updatedAt: now,
    validUntil: now + 86_400_000,
    attempts: 0,
    possibleDuplicate: false,
    receiptOwed: false,
  };
  if (s.sar) m.concat = s.sar;
  return m;
}

/** GSM7 unpacked septets of ASCII letters/digits/space are their ASCII codes. */
export const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');
