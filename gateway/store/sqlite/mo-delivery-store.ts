import type { MessageId } from '../../../routing/message';
import type { MoDeliveryRecord, MoDeliveryState, MoDeliveryStore } from '../../../routing/mo-ports';
import type { MoDb } from './mo-db';
import { MO_OPS, type MoDeliveryListArgs } from './mo-ops';

/** MOs waiting for a partner (mo_delivery), as named ops (mo-ops.ts) on the MO committer. */
export class SqliteMoDeliveryStore implements MoDeliveryStore {
  constructor(private readonly mo: MoDb) {}

  put(rec: MoDeliveryRecord): Promise<void> {
    return this.mo.ops.write(MO_OPS.deliveryPut, rec);
  }

  remove(moId: MessageId): Promise<void> {
    return this.mo.ops.write(MO_OPS.deliveryRemove, Number(moId));
  }

  get(moId: MessageId): Promise<MoDeliveryRecord | undefined> {
    return this.mo.ops.read<MoDeliveryRecord | undefined>(MO_OPS.deliveryGet, Number(moId));
  }

  list(f: { state?: MoDeliveryState; partnerId?: string; limit: number; afterMoId?: MessageId }): Promise<MoDeliveryRecord[]> {
    const args: MoDeliveryListArgs = { limit: f.limit, after: f.afterMoId === undefined ? -1 : Number(f.afterMoId) };
    if (f.state !== undefined) args.state = f.state;
    if (f.partnerId !== undefined) args.partnerId = f.partnerId;
    return this.mo.ops.read<MoDeliveryRecord[]>(MO_OPS.deliveryList, args);
  }
}
