/**
 * Bookmark replay as the subscription form offers it (spec §8): where to start (EPOCH, NOW, a
 * bookmark, a moment in time, or the most recent bookmark of the profile's bookmark store) and
 * how fast (`rate`, `rate_max_gap`). Pure: turns the form's choices into the bookmark and
 * options of a `bookmark` subscription, or names what is wrong.
 */

/** Where a replay starts. */
export const REPLAY_STARTS = ['epoch', 'now', 'bookmark', 'timestamp', 'recent'] as const;
export type ReplayStart = (typeof REPLAY_STARTS)[number];

/** What a person reads for each start. */
export const REPLAY_START_LABELS: Record<ReplayStart, string> = {
  epoch: 'EPOCH (the whole log)',
  now: 'NOW (live only)',
  bookmark: 'a bookmark',
  timestamp: 'a date and time',
  recent: 'most recent (bookmark store)',
};

/** The replay part of the form. */
export interface ReplayChoice {
  start: ReplayStart;
  /** `bookmark` start: `publisher|sequence|` (or a comma list). */
  bookmark: string;
  /** `timestamp` start: a `datetime-local` value, `YYYY-MM-DDTHH:MM[:SS]`. */
  dateTime: string;
  /** How `dateTime` is read. */
  zone: 'local' | 'utc';
  /** `rate` option: empty, messages/s (`1000`), bytes/s (`500KB`) or a multiple (`2X`, `.5X`). */
  rate: string;
  /** `rate_max_gap` option: empty or an interval (`10s`, `500ms`). */
  maxGap: string;
}

/** The default replay: the whole log, at full speed. */
export const DEFAULT_REPLAY: ReplayChoice = {
  start: 'epoch',
  bookmark: '',
  dateTime: '',
  zone: 'local',
  rate: '',
  maxGap: '',
};

/** A problem of one field of the replay form. */
export interface ReplayProblem {
  field: 'bookmark' | 'dateTime' | 'rate' | 'maxGap';
  message: string;
}

/** What the form builds: the bookmark and the options text of the subscription. */
export interface ReplaySpec {
  bookmark: string;
  /** `rate=…,rate_max_gap=…` (may be empty). */
  options: string;
}

const BOOKMARK = /^\d+\|\d+\|$/;
const RATE = /^(?:\d*\.?\d+(?:[xX]|KB|MB|GB|kb|mb|gb)?)$/;
const INTERVAL = /^\d+(?:\.\d+)?(?:ms|s|m|h)?$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * An AMPS timestamp bookmark (`YYYYMMDDTHHMMSSZ`, always UTC) for a `datetime-local` value
 * read in the local zone or as UTC; undefined when the value is not a date and time.
 */
export function toAmpsTimestamp(dateTime: string, zone: 'local' | 'utc'): string | undefined {
  const m = DATE_TIME.exec(dateTime.trim());
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const date = zone === 'utc' ? new Date(Date.UTC(y, mo - 1, d, h, mi, s)) : new Date(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1970) return undefined;
  // Refuse dates JavaScript rolled over (e.g. February 30th).
  const check = zone === 'utc' ? [date.getUTCMonth() + 1, date.getUTCDate()] : [date.getMonth() + 1, date.getDate()];
  if (check[0] !== mo || check[1] !== d) return undefined;
  return (
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
  );
}

/** Checks a `rate` value: messages/s, bytes/s (KB, MB, GB) or a multiple of the original pace (X). */
export function checkRate(rate: string): string | undefined {
  const t = rate.trim();
  if (t === '') return undefined;
  if (!RATE.test(t) || Number.parseFloat(t) <= 0)
    return `Rate must be messages per second (1000), bytes per second (500KB) or a multiple of the original pace (2X, .5X), got "${rate}".`;
  return undefined;
}

/** Checks a `rate_max_gap` value (an interval). */
export function checkMaxGap(gap: string): string | undefined {
  const t = gap.trim();
  if (t === '' || INTERVAL.test(t)) return undefined;
  return `Max gap must be an interval such as 10s or 500ms, got "${gap}".`;
}

/** The problems of a replay choice (empty when it can be sent). */
export function replayProblems(choice: ReplayChoice): ReplayProblem[] {
  const out: ReplayProblem[] = [];
  if (choice.start === 'bookmark') {
    const parts = choice.bookmark.split(',').map((b) => b.trim());
    if (choice.bookmark.trim() === '') out.push({ field: 'bookmark', message: 'Enter the bookmark to replay after (publisher|sequence|).' });
    else if (!parts.every((b) => BOOKMARK.test(b)))
      out.push({ field: 'bookmark', message: `A bookmark is publisher|sequence| (e.g. 1234|5|), got "${choice.bookmark}".` });
  }
  if (choice.start === 'timestamp' && toAmpsTimestamp(choice.dateTime, choice.zone) === undefined)
    out.push({ field: 'dateTime', message: 'Pick the date and time to replay from.' });
  const rate = checkRate(choice.rate);
  if (rate !== undefined) out.push({ field: 'rate', message: rate });
  const gap = checkMaxGap(choice.maxGap);
  if (gap !== undefined) out.push({ field: 'maxGap', message: gap });
  else if (choice.maxGap.trim() !== '' && choice.rate.trim() === '')
    out.push({ field: 'maxGap', message: 'Max gap applies to a rate-controlled replay: set a rate too.' });
  return out;
}

/** The bookmark and options of the replay, or its problems. */
export function buildReplay(choice: ReplayChoice): { spec: ReplaySpec } | { problems: ReplayProblem[] } {
  const problems = replayProblems(choice);
  if (problems.length > 0) return { problems };
  const bookmark =
    choice.start === 'epoch'
      ? '0'
      : choice.start === 'now'
        ? '0|1|'
        : choice.start === 'recent'
          ? 'recent'
          : choice.start === 'bookmark'
            ? choice.bookmark.split(',').map((b) => b.trim()).join(',')
            : (toAmpsTimestamp(choice.dateTime, choice.zone) as string);
  const options = [
    choice.rate.trim() === '' ? '' : `rate=${choice.rate.trim()}`,
    choice.maxGap.trim() === '' ? '' : `rate_max_gap=${choice.maxGap.trim()}`,
  ].filter((o) => o !== '');
  return { spec: { bookmark, options: options.join(',') } };
}

/** Reads a saved replay choice (unknown or mistyped fields take the default). */
export function restoreReplay(saved: unknown): ReplayChoice {
  const o = typeof saved === 'object' && saved !== null ? (saved as Record<string, unknown>) : {};
  const text = (k: keyof ReplayChoice, d: string): string => (typeof o[k] === 'string' ? o[k] : d);
  const start = text('start', 'epoch');
  return {
    start: (REPLAY_STARTS as readonly string[]).includes(start) ? (start as ReplayStart) : 'epoch',
    bookmark: text('bookmark', ''),
    dateTime: text('dateTime', ''),
    zone: text('zone', 'local') === 'utc' ? 'utc' : 'local',
    rate: text('rate', ''),
    maxGap: text('maxGap', ''),
  };
}

/**
 * The AMPS timestamp header (`20240115T093000.123456Z`, UTC) as a readable UTC time, for the
 * "now replaying" readout; the text itself when it is not such a timestamp.
 */
export function readableTimestamp(ts: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d+)?Z?$/.exec(ts.trim());
  if (m === null) return ts;
  return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}${m[7] === undefined ? '' : m[7].slice(0, 4)} UTC`;
}
