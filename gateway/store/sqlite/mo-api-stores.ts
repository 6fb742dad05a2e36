/** Send-API tables: idempotency keys (24 h) and per-message callback URL / MO link, as named ops (mo-ops.ts). */
import type { MessageId } from '../../../routing/message';
import type { ApiMessageRecord, ApiMessageStore, IdempotencyRecord, IdempotencyStore } from '../../../routing/mo-ports';
import type { MoDb } from './mo-db';
import { MO_OPS, type IdempotencyClaim } from './mo-ops';

export class SqliteIdempotencyStore implements IdempotencyStore {
  constructor(private readonly mo: MoDb) {}

  claim(rec: IdempotencyRecord, ttlMs: number): Promise<IdempotencyClaim> {
    // A read op: check and insert run together inside the batch, after every write queued before it.
    return this.mo.ops.read<IdempotencyClaim>(MO_OPS.idemClaim, rec, ttlMs);
  }

  release(partnerId: string, key: string): Promise<void> {
    return this.mo.ops.write(MO_OPS.idemRelease, partnerId, key);
  }

  purge(before: number): Promise<number> {
    // A read op, because the caller wants the number of keys deleted.
    return this.mo.ops.read<number>(MO_OPS.idemPurge, before);
  }
}

export class SqliteApiMessageStore implements ApiMessageStore {
  constructor(private readonly mo: MoDb) {}

  put(rec: ApiMessageRecord): Promise<void> {
    return this.mo.ops.write(MO_OPS.apiPut, rec);
  }

  get(messageId: MessageId): Promise<ApiMessageRecord | undefined> {
    return this.mo.ops.read<ApiMessageRecord | undefined>(MO_OPS.apiGet, Number(messageId));
  }

  byMoRef(moId: MessageId): Promise<ApiMessageRecord[]> {
    return this.mo.ops.read<ApiMessageRecord[]>(MO_OPS.apiByMoRef, moId);
  }
}
