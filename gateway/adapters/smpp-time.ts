/**
 * SMPP time strings (3.4 §7.1.1): 'YYMMDDhhmmsstnnp' with p '+'/'-' (absolute, nn = quarter hours from UTC) or 'R'
 * (relative: YY years, MM months, DD days, hh:mm:ss). Returns epoch ms, or undefined for '' or an unreadable value.
 */
export function parseSmppTime(s: string, now: number): number | undefined {
  if (s.length !== 16) return undefined;
  if (!/^\d{15}[+\-R]$/.test(s)) return undefined;
  const n = (a: number, b: number): number => Number(s.slice(a, b));
  const yy = n(0, 2);
  const mo = n(2, 4);
  const dd = n(4, 6);
  const hh = n(6, 8);
  const mi = n(8, 10);
  const ss = n(10, 12);
  const tenths = n(12, 13);
  const p = s[15];
  if (p === 'R') {
    const d = new Date(now);
    d.setUTCFullYear(d.getUTCFullYear() + yy, d.getUTCMonth() + mo, d.getUTCDate() + dd);
    return d.getTime() + ((hh * 60 + mi) * 60 + ss) * 1000;
  }
  if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 59) return undefined;
  const offsetMs = n(13, 15) * 15 * 60_000 * (p === '+' ? 1 : -1);
  return Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss, tenths * 100) - offsetMs;
}
