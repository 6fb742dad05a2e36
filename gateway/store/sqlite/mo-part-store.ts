import type { MoPartStore } from '../../../routing/mo-ports';
import type { MoPartInput } from '../../../routing/mo-reassembly';
import type { MoDb } from './mo-db';
import { MO_OPS } from './mo-ops';
import { asBuffer } from './op-committer';

/** Parts of long MOs (mo_parts), as named ops (mo-ops.ts) on the MO committer. */
export class SqliteMoPartStore implements MoPartStore {
  constructor(private readonly mo: MoDb) {}

  save(groupKey: string, p: MoPartInput): Promise<void> {
    return this.mo.ops.write(MO_OPS.partSave, groupKey, p);
  }

  deleteGroup(groupKey: string): Promise<void> {
    return this.mo.ops.write(MO_OPS.partDeleteGroup, groupKey);
  }

  async loadAll(): Promise<MoPartInput[]> {
    const parts = await this.mo.ops.read<MoPartInput[]>(MO_OPS.partLoadAll);
    // From the store's worker the payload arrives as a plain Uint8Array; callers expect a Buffer.
    for (const p of parts) p.payload = asBuffer(p.payload);
    return parts;
  }
}
