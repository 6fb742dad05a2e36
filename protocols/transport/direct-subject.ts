import { Subject } from 'rxjs';

/**
 * A Subject for per-message streams (a transport's frames, a session's inbound requests), which normally have one
 * subscriber: `next` then hands the value straight to it, where rxjs's Subject.next allocates a closure and an
 * iterator per value, several times per message on the gateway's hot path. With more (or no) subscribers it is a
 * plain Subject.
 */
export class DirectSubject<T> extends Subject<T> {
  override next(value: T): void {
    // `observers` is marked deprecated (internal in rxjs 8) but is the Subject's own list in rxjs 7, pinned here.
    const obs = this.observers;
    if (obs.length === 1 && !this.closed && !this.isStopped) {
      obs[0]!.next(value);
      return;
    }
    super.next(value);
  }
}
