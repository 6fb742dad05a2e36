import type { MessageStore } from '../routing/ports';
import type { RuntimeObserver } from './binders/observer';
import type { MtIntake } from './servers/mt-intake';

export interface ResumeResult {
  resumed: number;
  flaggedDuplicate: number;
  awaitingReceipt: number;
}

/**
 * After a restart, puts unfinished MTs back on their connectors. A part without an SMSC id may still have reached the
 * SMSC before the crash (its submit_sm_resp was not yet durable), so every such part is resent flagged
 * possibleDuplicate. Parts with an SMSC id only wait for their receipt. Paged, and paced by queue room.
 */
export async function resumeUnfinished(
  store: MessageStore,
  intake: MtIntake,
  obs: RuntimeObserver,
  hasRoom: () => boolean,
  isStopped: () => boolean,
  sleep: (ms: number) => Promise<void>,
  /** Only messages with a smaller id: those stored before this start (live traffic is dispatched already). */
  beforeId: number,
  pageSize = 1000,
): Promise<ResumeResult> {
  const r: ResumeResult = { resumed: 0, flaggedDuplicate: 0, awaitingReceipt: 0 };
  let after: string | undefined;
  for (;;) {
    if (isStopped()) break;
    const page = await store.unfinished('mt', pageSize, after);
    if (page.length === 0) break;
    let done = false;
    for (const msg of page) {
      after = msg.id;
      if (Number(msg.id) >= beforeId) {
        done = true;
        break;
      }
      const pending = msg.parts.filter((p) => p.smscMessageId === undefined && !isFinal(p.state));
      if (pending.length === 0) {
        r.awaitingReceipt++;
        continue;
      }
      if (!msg.possibleDuplicate) {
        msg.possibleDuplicate = true;
        r.flaggedDuplicate++;
        void store.update(msg.id, { possibleDuplicate: true }).catch(() => undefined);
      }
      if (intake.resume(msg)) r.resumed++;
    }
    if (done) break;
    while (!hasRoom() && !isStopped()) await sleep(20);
  }
  if (r.resumed + r.awaitingReceipt > 0) obs.log('info', 'resumed unfinished messages', { ...r });
  return r;
}

function isFinal(s: string): boolean {
  return s === 'delivered' || s === 'undeliverable' || s === 'expired' || s === 'rejected';
}
