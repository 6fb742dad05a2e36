import type { Clock } from '../../protocols/wire/clock';
import { formatUcpTime } from '../../protocols/ucp/time';

/**
 * SC time stamps for the simulator. A UCP message id is `AdC:SCTS` with one-second resolution, so two submits
 * to one number within a second would collide. Each recipient gets a stamp at least one second after the last
 * one it got: in a burst the stamps run ahead of the wall clock for that number only, and other numbers are not
 * affected. The table forgets numbers whose last stamp is already in the past (they cannot collide any more).
 */
export class SctsAllocator {
  private readonly last = new Map<string, number>();
  private cachedSec = -1;
  private cachedText = '';
  private cachedMinute = -1;
  private cachedMinuteText = '';

  constructor(
    private readonly clock: Clock,
    private readonly offsetMinutes = 0,
    private readonly maxEntries = 100_000,
  ) {}

  next(adc: string): string {
    const nowSec = Math.floor(this.clock.now() / 1000);
    const prev = this.last.get(adc);
    const sec = prev === undefined || prev < nowSec ? nowSec : prev + 1;
    if (this.last.size >= this.maxEntries && prev === undefined) this.prune(nowSec);
    this.last.set(adc, sec);
    return this.format(sec);
  }

  get tracked(): number {
    return this.last.size;
  }

  private prune(nowSec: number): void {
    for (const [k, v] of this.last) if (v < nowSec) this.last.delete(k);
  }

  /** A burst to one number needs a new stamp per message: reuse the DDMMYYhhmm part within a minute. */
  private format(sec: number): string {
    if (sec === this.cachedSec) return this.cachedText;
    const minute = Math.floor(sec / 60);
    if (minute !== this.cachedMinute) {
      this.cachedMinute = minute;
      this.cachedMinuteText = formatUcpTime(minute * 60_000, false, this.offsetMinutes);
    }
    const ss = sec - minute * 60;
    const text = this.cachedMinuteText + (ss < 10 ? '0' : '') + ss;
    this.cachedSec = sec;
    this.cachedText = text;
    return text;
  }
}
