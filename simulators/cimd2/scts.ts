import type { Clock } from '../../protocols/wire/clock';
import { formatCimd2Time } from '../../protocols/cimd2/receipt';

/**
 * Issues 060 service-centre time stamps that are unique per simulator, so `<021>:<060>` identifies one message
 * whatever its destination. The reference makes 060 a time to the second (`yyMMddHHmmss`), so the simulator keeps a
 * virtual clock: each stamp is the current second, or one second after the previous stamp if that is later.
 * Above one message per second the stamps therefore run ahead of the wall clock (by about one second per message);
 * they stay valid times and stay unique, which is what status-report correlation needs.
 */
export class SctsIssuer {
  private lastSec = 0;

  constructor(private readonly clock: Clock) {}

  next(): string {
    const now = Math.floor(this.clock.now() / 1000);
    this.lastSec = now > this.lastSec ? now : this.lastSec + 1;
    return formatCimd2Time(this.lastSec * 1000);
  }
}
