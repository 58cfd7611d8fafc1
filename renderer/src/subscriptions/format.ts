/** Wall-clock time of day with milliseconds, e.g. `14:03:07.125`. */
export function timeOfDay(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** A rate for the stats bar: `0`, `12.5`, `1,234`. */
export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0';
  return perSecond < 100 ? perSecond.toFixed(1) : Math.round(perSecond).toLocaleString('en-US');
}

/** A count with thousands separators. */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** A byte size: `512 B`, `1.5 KiB`, `2.0 MiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
