/**
 * Date and time functions of spec §14.6.4. Timestamps are seconds since 1970-01-01T00:00:00Z
 * as doubles. `STRFTIME` formats in UTC (the spec's suggestion; UNCONFIRMED) and `STRPTIME`
 * parses as UTC unless the text carries `%z`. The legacy-module functions use the context's
 * `timezoneOffset` (or the host zone) for local time.
 */
import type { EvalContext } from './context.js';
import { nowSeconds } from './context.js';
import type { FunctionBuilder } from './evaluator.js';
import { arg } from './evaluator.js';
import { toNumber, toText } from './values.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const pad = (n: number, width = 2, fill = '0'): string => String(n).padStart(width, fill);

/** Formats a timestamp with strftime(3) specifiers plus `%f` (microseconds) and `%03f` (milliseconds), in UTC. */
export function strftime(format: string, seconds: number): string | null {
  if (!Number.isFinite(seconds)) return null;
  const ms = Math.floor(seconds * 1000);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return null;
  const micros = Math.round((seconds - Math.floor(seconds)) * 1e6) % 1e6;
  const year = d.getUTCFullYear();
  const hour = d.getUTCHours();
  const dayOfYear =
    Math.floor((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(year, 0, 1)) / 86400000) + 1;
  const spec = (c: string): string | undefined => {
    switch (c) {
      case 'Y':
        return String(year);
      case 'C':
        return pad(Math.floor(year / 100));
      case 'y':
        return pad(year % 100);
      case 'm':
        return pad(d.getUTCMonth() + 1);
      case 'd':
        return pad(d.getUTCDate());
      case 'e':
        return pad(d.getUTCDate(), 2, ' ');
      case 'j':
        return pad(dayOfYear, 3);
      case 'H':
        return pad(hour);
      case 'k':
        return pad(hour, 2, ' ');
      case 'I':
        return pad(hour % 12 === 0 ? 12 : hour % 12);
      case 'l':
        return pad(hour % 12 === 0 ? 12 : hour % 12, 2, ' ');
      case 'M':
        return pad(d.getUTCMinutes());
      case 'S':
        return pad(d.getUTCSeconds());
      case 'p':
        return hour < 12 ? 'AM' : 'PM';
      case 'a':
        return (DAYS[d.getUTCDay()] as string).slice(0, 3);
      case 'A':
        return DAYS[d.getUTCDay()];
      case 'b':
      case 'h':
        return (MONTHS[d.getUTCMonth()] as string).slice(0, 3);
      case 'B':
        return MONTHS[d.getUTCMonth()];
      case 'u':
        return String(d.getUTCDay() === 0 ? 7 : d.getUTCDay());
      case 'w':
        return String(d.getUTCDay());
      case 's':
        return String(Math.floor(seconds));
      case 'f':
        return pad(micros, 6);
      case 'Z':
        return 'UTC';
      case 'z':
        return '+0000';
      case 'T':
        return `${pad(hour)}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
      case 'R':
        return `${pad(hour)}:${pad(d.getUTCMinutes())}`;
      case 'D':
        return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(year % 100)}`;
      case 'F':
        return `${year}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case '%':
        return '%';
      default:
        return undefined;
    }
  };
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] as string;
    if (ch !== '%' || i + 1 >= format.length) {
      out += ch;
      continue;
    }
    if (format.startsWith('%03f', i)) {
      out += pad(Math.floor(micros / 1000), 3);
      i += 3;
      continue;
    }
    const c = format[i + 1] as string;
    const v = spec(c);
    out += v ?? `%${c}`;
    i++;
  }
  return out.length > 128 ? out.slice(0, 128) : out;
}

/** Parses text with strptime(3) specifiers (plus `%f`, `%03f`) into a UTC timestamp; NULL on mismatch. */
export function strptime(text: string, format: string): number | null {
  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let fraction = 0;
  let pm: boolean | undefined;
  let offset = 0;
  let epoch: number | undefined;
  let t = 0;
  const num = (max: number): number | null => {
    const m = new RegExp(`^[+-]?\\d{1,${max}}`).exec(text.slice(t));
    if (m === null) return null;
    t += m[0].length;
    return Number(m[0]);
  };
  const name = (names: readonly string[]): number | null => {
    const rest = text.slice(t).toLowerCase();
    for (let k = 0; k < names.length; k++) {
      const full = (names[k] as string).toLowerCase();
      for (const candidate of [full, full.slice(0, 3)]) {
        if (rest.startsWith(candidate)) {
          t += candidate.length;
          return k;
        }
      }
    }
    return null;
  };
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] as string;
    if (/\s/.test(ch)) {
      while (t < text.length && /\s/.test(text[t] as string)) t++;
      continue;
    }
    if (ch !== '%' || i + 1 >= format.length) {
      if (text[t] !== ch) return null;
      t++;
      continue;
    }
    let c = format[++i] as string;
    if (c === '0' && format.startsWith('03f', i)) {
      c = 'f';
      i += 2;
    }
    let v: number | null = 0;
    switch (c) {
      case 'Y':
        v = num(4);
        if (v !== null) year = v;
        break;
      case 'y':
        v = num(2);
        if (v !== null) year = v < 69 ? 2000 + v : 1900 + v;
        break;
      case 'm':
        v = num(2);
        if (v !== null) month = v;
        break;
      case 'd':
      case 'e':
        v = num(2);
        if (v !== null) day = v;
        break;
      case 'H':
      case 'k':
        v = num(2);
        if (v !== null) hour = v;
        break;
      case 'I':
      case 'l':
        v = num(2);
        if (v !== null) hour = v % 12;
        break;
      case 'M':
        v = num(2);
        if (v !== null) minute = v;
        break;
      case 'S':
        v = num(2);
        if (v !== null) second = v;
        break;
      case 'j':
        v = num(3);
        if (v !== null) {
          month = 1;
          day = v;
        }
        break;
      case 's':
        v = num(20);
        if (v !== null) epoch = v;
        break;
      case 'f': {
        const m = /^\d{1,9}/.exec(text.slice(t));
        if (m === null) return null;
        t += m[0].length;
        fraction = Number(`0.${m[0]}`);
        break;
      }
      case 'p': {
        const rest = text.slice(t, t + 2).toUpperCase();
        if (rest !== 'AM' && rest !== 'PM') return null;
        pm = rest === 'PM';
        t += 2;
        break;
      }
      case 'b':
      case 'B':
      case 'h':
        v = name(MONTHS);
        if (v !== null) month = v + 1;
        break;
      case 'a':
      case 'A':
        v = name(DAYS);
        break;
      case 'z': {
        const m = /^(?:Z|([+-])(\d{2}):?(\d{2}))/.exec(text.slice(t));
        if (m === null) return null;
        t += m[0].length;
        offset = m[1] === undefined ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60);
        break;
      }
      case 'T': {
        const r = strptimeSub(text.slice(t), '%H:%M:%S');
        if (r === null) return null;
        [hour, minute, second] = r.parts;
        t += r.used;
        break;
      }
      case 'F':
      case 'D': {
        const r = strptimeSub(text.slice(t), c === 'F' ? '%Y-%m-%d' : '%m/%d/%y');
        if (r === null) return null;
        [year, month, day] = c === 'F' ? r.parts : [r.parts[2] ?? 0, r.parts[0] ?? 0, r.parts[1] ?? 0];
        t += r.used;
        break;
      }
      case '%':
        if (text[t] !== '%') return null;
        t++;
        break;
      default:
        return null;
    }
    if (v === null) return null;
  }
  if (t !== text.length) return null;
  if (epoch !== undefined) return epoch + fraction;
  if (pm === true) hour += 12;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second) / 1000 + fraction - offset;
}

function strptimeSub(text: string, format: string): { parts: [number, number, number]; used: number } | null {
  const m = (
    format === '%H:%M:%S'
      ? /^(\d{1,2}):(\d{1,2}):(\d{1,2})/
      : format === '%Y-%m-%d'
        ? /^([+-]?\d{1,4})-(\d{1,2})-(\d{1,2})/
        : /^(\d{1,2})\/(\d{1,2})\/(\d{1,2})/
  ).exec(text);
  if (m === null) return null;
  let third = Number(m[3]);
  if (format === '%m/%d/%y') third = third < 69 ? 2000 + third : 1900 + third;
  return { parts: [Number(m[1]), Number(m[2]), third], used: m[0].length };
}

function localOffset(context: EvalContext, seconds: number): number {
  return context.timezoneOffset ?? -new Date(seconds * 1000).getTimezoneOffset() * 60;
}

function utcField(read: (d: Date) => number): FunctionBuilder {
  return (site) => {
    const a = arg(site, 0);
    return (m, c) => {
      const s = toNumber(a(m, c));
      if (s === null || !Number.isFinite(s)) return null;
      return read(new Date(s * 1000));
    };
  };
}

const startOfDay = (seconds: number, offset: number): number =>
  Math.floor((seconds + offset) / 86400) * 86400 - offset;

/** Date/time function builders by name. */
export const TIME_FUNCTIONS: ReadonlyMap<string, FunctionBuilder> = new Map<string, FunctionBuilder>([
  ['UNIX_TIMESTAMP', () => (_m, c) => nowSeconds(c)],
  [
    'STRFTIME',
    (site) => {
      const f = arg(site, 0);
      const ts = arg(site, 1);
      return (m, c) => {
        const format = toText(f(m, c));
        const s = toNumber(ts(m, c));
        if (format === null || s === null) return null;
        const out = strftime(format, s);
        return out === '' ? null : out;
      };
    },
  ],
  [
    'STRPTIME',
    (site) => {
      const s = arg(site, 0);
      const f = arg(site, 1);
      return (m, c) => {
        const text = toText(s(m, c));
        const format = toText(f(m, c));
        return text === null || format === null ? null : strptime(text, format);
      };
    },
  ],
  ['TIMEZONEOFFSET', () => (_m, c) => localOffset(c, nowSeconds(c))],
  ['YEAR', utcField((d) => d.getUTCFullYear())],
  ['MONTH', utcField((d) => d.getUTCMonth() + 1)],
  ['DAY', utcField((d) => d.getUTCDate())],
  [
    'DATE_UTC',
    (site) => {
      const a = arg(site, 0);
      return (m, c) => {
        const s = toNumber(a(m, c));
        return s === null ? null : startOfDay(s, 0);
      };
    },
  ],
  [
    'DATE',
    (site) => {
      const a = arg(site, 0);
      return (m, c) => {
        const s = toNumber(a(m, c));
        return s === null ? null : startOfDay(s, localOffset(c, s));
      };
    },
  ],
  ['TODAY_UTC', () => (_m, c) => startOfDay(nowSeconds(c), 0)],
  [
    'TODAY',
    () => (_m, c) => {
      const now = nowSeconds(c);
      return startOfDay(now, localOffset(c, now));
    },
  ],
]);
