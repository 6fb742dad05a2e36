/**
 * UCP timestamps are day first with a two-digit year: DDMMYYhhmm (DDT, VP, MVP) or DDMMYYhhmmss (SCTS, DSCTS),
 * in the SC's local time. Conversions take the SC's offset from UTC in minutes (default 0).
 */
export interface UcpTime {
  day: number;
  month: number;
  year: number;
  hour: number;
  minute: number;
  second: number;
}

/** Parses a 10- or 12-digit timestamp; undefined when malformed or not a real date. Never throws. */
export function parseUcpTime(s: string): UcpTime | undefined {
  if ((s.length !== 10 && s.length !== 12) || !/^\d+$/.test(s)) return undefined;
  const n = (i: number): number => Number(s.slice(i, i + 2));
  const t: UcpTime = { day: n(0), month: n(2), year: 2000 + n(4), hour: n(6), minute: n(8), second: s.length === 12 ? n(10) : 0 };
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.hour > 23 || t.minute > 59 || t.second > 59) return undefined;
  const dim = new Date(Date.UTC(t.year, t.month, 0)).getUTCDate();
  if (t.day > dim) return undefined;
  return t;
}

/** Epoch ms of a timestamp in SC local time at `offsetMinutes` east of UTC. */
export function ucpTimeToMs(s: string, offsetMinutes = 0): number | undefined {
  const t = parseUcpTime(s);
  if (!t) return undefined;
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - offsetMinutes * 60_000;
}

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Formats epoch ms as DDMMYYhhmmss (seconds true) or DDMMYYhhmm. */
export function formatUcpTime(ms: number, withSeconds = true, offsetMinutes = 0): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  const base =
    two(d.getUTCDate()) + two(d.getUTCMonth() + 1) + two(d.getUTCFullYear() % 100) + two(d.getUTCHours()) + two(d.getUTCMinutes());
  return withSeconds ? base + two(d.getUTCSeconds()) : base;
}
