/** AMPS timestamps (spec §3.2, §8.3): ISO-8601 basic format in UTC with microseconds. */

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Formats epoch microseconds as `YYYYMMDDTHHMMSS.ffffffZ`. */
export function formatTimestamp(epochMicros: number): string {
  const ms = Math.floor(epochMicros / 1000);
  const d = new Date(ms);
  const micros = epochMicros - ms * 1000 + d.getUTCMilliseconds() * 1000;
  return (
    pad(d.getUTCFullYear(), 4) +
    pad(d.getUTCMonth() + 1, 2) +
    pad(d.getUTCDate(), 2) +
    'T' +
    pad(d.getUTCHours(), 2) +
    pad(d.getUTCMinutes(), 2) +
    pad(d.getUTCSeconds(), 2) +
    '.' +
    pad(micros, 6) +
    'Z'
  );
}

const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.(\d{1,6}))?Z?$/;

/** Whether a bookmark value looks like a timestamp (spec §8.3). */
export function isTimestampText(text: string): boolean {
  return TIMESTAMP.test(text);
}

/** Parses `YYYYMMDDTHHMMSS[.ffffff][Z]` (always UTC) to epoch microseconds, or undefined. */
export function parseTimestamp(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return undefined;
  return ms * 1000 + (frac ? Number(frac.padEnd(6, '0')) : 0);
}

/** A clock returning strictly increasing epoch microseconds (unique per call). */
export class MicroClock {
  private last = 0;
  constructor(private readonly nowMs: () => number = Date.now) {}
  /** Next timestamp, strictly greater than the previous one. */
  next(): number {
    const t = this.nowMs() * 1000;
    this.last = t > this.last ? t : this.last + 1;
    return this.last;
  }
}
