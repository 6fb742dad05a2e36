import { FINAL_STATES, type Message, type MessageId } from '../../../routing/message';
import type { MessageStore, OwedReceipt, StoreStats, StoredReceipt } from '../../../routing/ports';

function clone(m: Message): Message {
  return {
    ...m,
    source: { ...m.source },
    destination: { ...m.destination },
    body: Buffer.from(m.body),
    parts: m.parts.map((p) => ({ ...p, body: Buffer.from(p.body) })),
    ...(m.concat ? { concat: { ...m.concat } } : {}),
    ...(m.extras ? { extras: { ...m.extras } } : {}),
  };
}

/** In-memory MessageStore for MO flow tests (copies on the way in and out, like a real store). */
export class FakeMessageStore implements MessageStore {
  readonly rows = new Map<MessageId, Message>();
  private seq = 0;
  failInserts = false;

  constructor(start = 0) {
    this.seq = start;
  }

  nextId(): MessageId {
    return String(++this.seq);
  }
  async insert(msg: Message): Promise<void> {
    if (this.failInserts) throw new Error('disk full');
    this.rows.set(msg.id, clone(msg));
  }
  async update(id: MessageId, patch: Partial<Omit<Message, 'id' | 'parts'>>): Promise<void> {
    const m = this.rows.get(id);
    if (m) Object.assign(m, patch);
  }
  async updatePart(): Promise<void> {}
  async recordReceipt(_r: StoredReceipt, _o: OwedReceipt | undefined): Promise<void> {}
  async receiptForwarded(): Promise<void> {}
  async get(id: MessageId): Promise<Message | undefined> {
    const m = this.rows.get(id);
    return m ? clone(m) : undefined;
  }
  async findBySmscId(): Promise<undefined> {
    return undefined;
  }
  async unfinished(direction: Message['direction'], limit: number, afterId?: MessageId): Promise<Message[]> {
    return [...this.rows.values()]
      .filter((m) => m.direction === direction && !FINAL_STATES.has(m.state) && (afterId === undefined || Number(m.id) > Number(afterId)))
      .sort((a, b) => Number(a.id) - Number(b.id))
      .slice(0, limit)
      .map((m) => clone(m));
  }
  async owedReceipts(): Promise<OwedReceipt[]> {
    return [];
  }
  async purgeFinished(): Promise<number> {
    return 0;
  }
  stats(): StoreStats {
    return { queueDepth: 0, unfinished: 0 };
  }
  async close(): Promise<void> {}
  byDirection(d: Message['direction']): Message[] {
    return [...this.rows.values()].filter((m) => m.direction === d);
  }
}
