import { Observable } from 'rxjs';
import { DirectSubject } from '../transport/direct-subject';

/**
 * The inbound-request stream of one session. Requests that arrive before the first subscriber (an SMSC often sends
 * queued MOs and receipts in the same TCP segment as the bind_resp, before bindClient's caller has subscribed) are
 * held, up to `maxEarly` of them, and handed to the first subscriber; later subscribers see only new requests.
 * Held requests still time out in the InboundTracker, so nothing waits on a subscriber that never comes.
 */
export class RequestStream<T> {
  private readonly subject = new DirectSubject<T>();
  private early: T[] | undefined = [];
  readonly requests$: Observable<T> = new Observable<T>((subscriber) => {
    const sub = this.subject.subscribe(subscriber);
    const early = this.early;
    this.early = undefined;
    if (early) for (const r of early) subscriber.next(r);
    return sub;
  });

  constructor(private readonly maxEarly: number) {}

  next(req: T): void {
    if (this.early && !this.subject.observed) {
      if (this.early.length < this.maxEarly) this.early.push(req);
      return;
    }
    this.subject.next(req);
  }

  complete(): void {
    this.early = undefined;
    this.subject.complete();
  }
}
