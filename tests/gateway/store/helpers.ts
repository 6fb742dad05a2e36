import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMessageStore, type SqliteStoreOptions } from '../../../gateway/store/sqlite/sqlite-store';
import type { Message } from '../../../routing/message';

export const T0 = 1_700_000_000_000;

/** A temp dir with stores opened in it; `cleanup()` closes every store and removes the dir. */
export class StoreFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'tollgate-store-'));
  readonly path = join(this.dir, 'db', 'tollgate.sqlite');
  private readonly stores: SqliteMessageStore[] = [];
  now = T0;

  /** worker: run the stores opened here in the store worker thread (default: on the test's thread). */
  constructor(private readonly worker = false) {}

  open(opts: Partial<SqliteStoreOptions> = {}): SqliteMessageStore {
    const s = new SqliteMessageStore({
      path: this.path,
      synchronous: 'FULL',
      groupCommitMaxDelayMs: 0,
      groupCommitMaxBatch: 2000,
      clock: { now: () => this.now },
      worker: this.worker,
      ...opts,
    });
    this.stores.push(s);
    return s;
  }

  async cleanup(): Promise<void> {
    for (const s of this.stores) await s.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function mtMessage(id: string, over: Partial<Message> = {}): Message {
  const body = Buffer.from('hello world');
  return {
    id,
    direction: 'mt',
    source: { addr: 'Tollgate', ton: 5, npi: 0 },
    destination: { addr: '41790000001', ton: 1, npi: 1 },
    dataCoding: 0,
    esmClass: 0,
    protocolId: 0,
    priority: 0,
    registeredDelivery: 1,
    body,
    parts: [{ seq: 1, body, udhi: false, state: 'accepted' }],
    state: 'accepted',
    createdAt: T0,
    updatedAt: T0,
    validUntil: T0 + 48 * 3600_000,
    attempts: 0,
    possibleDuplicate: false,
    receiptOwed: false,
    ...over,
  };
}

/** A two-part UCS2 message with UDH in each part, every optional field set. */
export function longMessage(id: string): Message {
  const body = Buffer.from('0123456789'.repeat(20), 'utf16le').swap16();
  const udh = (seq: number): Buffer => Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, seq]);
  return mtMessage(id, {
    partnerId: 'p1',
    partnerRef: 'ref-77',
    connectorId: 'sim',
    routeId: 'default',
    source: { addr: '12345', ton: 1, npi: 1 },
    destination: { addr: '41790000002', ton: 1, npi: 1 },
    dataCoding: 8,
    esmClass: 0x40,
    protocolId: 0x41,
    priority: 2,
    registeredDelivery: 1,
    body,
    concat: { ref: 42, total: 3, seq: 2 },
    parts: [
      { seq: 1, body: Buffer.concat([udh(1), body.subarray(0, 134)]), udhi: true, state: 'submitted', smscMessageId: '0A1B' },
      { seq: 2, body: Buffer.concat([udh(2), body.subarray(134)]), udhi: true, state: 'routed' },
    ],
    state: 'submitted',
    createdAt: T0 + 1,
    updatedAt: T0 + 2,
    validUntil: T0 + 3,
    attempts: 2,
    nextAttemptAt: T0 + 5000,
    possibleDuplicate: true,
    lastError: 'RemoteError 0x58',
    receiptOwed: false, // derived by the store from owed receipts, not written by insert
    extras: { '1403': '0102', '0424': 'ff' },
  });
}
