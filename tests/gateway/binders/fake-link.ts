import type { DispatchJob, LinkFactory, LinkHandlers, LinkSession, SubmitFailure } from '../../../gateway/binders/link';
import { classifySmppError } from '../../../gateway/binders/smpp-link';
import type { Message } from '../../../routing/message';

/** A link whose submits the test settles by hand. */
export class FakeLink implements LinkSession {
  readonly closed: Promise<unknown>;
  private closeNow!: () => void;
  readonly submits: Array<{ job: DispatchJob; resolve: (id: string) => void; reject: (e: unknown) => void }> = [];
  isClosed = false;

  constructor(
    private readonly window: number,
    readonly handlers: LinkHandlers,
  ) {
    this.closed = new Promise<void>((r) => (this.closeNow = r));
  }

  get canSend(): boolean {
    return !this.isClosed && this.submits.length < this.window;
  }

  get inFlight(): number {
    return this.submits.length;
  }

  submit(job: DispatchJob): Promise<string> {
    return new Promise((resolve, reject) => {
      const entry = {
        job,
        resolve: (id: string) => {
          this.submits.splice(this.submits.indexOf(entry), 1);
          resolve(id);
        },
        reject: (e: unknown) => {
          this.submits.splice(this.submits.indexOf(entry), 1);
          reject(e);
        },
      };
      this.submits.push(entry);
    });
  }

  /** The connection drops. */
  drop(): void {
    this.isClosed = true;
    this.closeNow();
  }

  close(): Promise<void> {
    this.drop();
    return Promise.resolve();
  }
}

/** A factory whose connect attempts the test resolves or refuses by hand; counts what is open at once. */
export class FakeFactory implements LinkFactory {
  readonly protocol = 'smpp' as const;
  readonly attempts: Array<{ resolve: () => FakeLink; reject: (e: unknown) => void }> = [];
  readonly links: FakeLink[] = [];
  maxConcurrent = 0;

  constructor(private readonly window = 10) {}

  get open(): number {
    return this.links.filter((l) => !l.isClosed).length + this.attempts.length;
  }

  classify(err: unknown): SubmitFailure {
    return classifySmppError(err);
  }

  connect(handlers: LinkHandlers): Promise<LinkSession> {
    return new Promise((resolve, reject) => {
      const entry = {
        resolve: () => {
          this.attempts.splice(this.attempts.indexOf(entry), 1);
          const link = new FakeLink(this.window, handlers);
          this.links.push(link);
          resolve(link);
          return link;
        },
        reject: (e: unknown) => {
          this.attempts.splice(this.attempts.indexOf(entry), 1);
          reject(e);
        },
      };
      this.attempts.push(entry);
      this.maxConcurrent = Math.max(this.maxConcurrent, this.open);
    });
  }
}

export function testMessage(id: string, now: number, parts = 1): Message {
  const body = Buffer.from(`msg ${id}`);
  return {
    id,
    direction: 'mt',
    partnerId: 'p',
    connectorId: 'c',
    source: { addr: 'A', ton: 5, npi: 0 },
    destination: { addr: '4470', ton: 1, npi: 1 },
    dataCoding: 0,
    esmClass: 0,
    protocolId: 0,
    priority: 0,
    registeredDelivery: 1,
    body,
    parts: Array.from({ length: parts }, (_, i) => ({ seq: i + 1, body, udhi: parts > 1, state: 'routed' as const })),
    state: 'routed',
    createdAt: now,
    updatedAt: now,
    validUntil: now + 3_600_000,
    attempts: 0,
    possibleDuplicate: false,
    receiptOwed: false,
  };
}

/** Lets promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
