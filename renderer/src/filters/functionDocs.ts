/**
 * Signatures and one-line docs of the AMPS filter functions (spec §14.6), for completion and
 * hover. The set of functions and their arity come from the client's catalog
 * (client/src/expression/catalog.ts); this file only adds the words a person reads.
 */
import { FUNCTIONS, type FunctionSpec } from '../../../client/src/expression/index.js';

/** What completion and hover show for one function. */
export interface FunctionDoc {
  name: string;
  /** e.g. `SUBSTR(text, start [, length])`. */
  signature: string;
  doc: string;
  category: FunctionSpec['category'];
}

const DOCS: Readonly<Record<string, readonly [params: string, doc: string]>> = {
  INSTR: ['text, search', 'Position (from 1) of `search` in `text`, 0 when absent.'],
  INSTR_I: ['text, search', 'Like INSTR, ignoring case.'],
  STREQUAL_I: ['a, b', 'True when the two strings are equal, ignoring case.'],
  CONCAT: ['value, ...', 'The values joined as one string (NULL arguments are skipped).'],
  UPPER: ['text', 'The text in upper case.'],
  LOWER: ['text', 'The text in lower case.'],
  REPLACE: ['text, search, replacement', 'Every occurrence of `search` replaced by `replacement`.'],
  REGEXP_REPLACE: ['text, pattern, replacement', 'Matches of the regular expression replaced.'],
  REGEXP_MATCH: ['text, pattern', 'The first match of the regular expression, NULL when none.'],
  SUBSTR: ['text, start [, length]', 'Part of the text from `start` (1-based; negative counts from the end).'],
  REVERSE: ['text', 'The text reversed.'],
  ARRAY_TO_STRING: ['array, separator [, null_text]', 'The elements of a repeated field joined by `separator`.'],
  ARRAY_COUNT: ['array', 'Number of elements of a repeated field.'],
  ARRAY_MAX: ['array', 'Largest element of a repeated field.'],
  ARRAY_MIN: ['array', 'Smallest element of a repeated field.'],
  ARRAY_SUM: ['array', 'Sum of the elements of a repeated field.'],
  UNIX_TIMESTAMP: ['', 'The current time, seconds since the epoch (UTC).'],
  STRFTIME: ['format, seconds', 'Formats a time (seconds since the epoch) with a strftime format, in UTC.'],
  STRPTIME: ['text, format', 'Parses a time with a strptime format; seconds since the epoch.'],
  TIMEZONEOFFSET: ['', 'The server time zone offset from UTC, in seconds.'],
  YEAR: ['seconds', 'The year of a time.'],
  MONTH: ['seconds', 'The month (1-12) of a time.'],
  DAY: ['seconds', 'The day of the month of a time.'],
  DATE_UTC: ['seconds', 'Midnight UTC of the day of a time.'],
  DATE: ['seconds', 'Midnight (server local time) of the day of a time.'],
  TODAY_UTC: ['', 'Midnight UTC today, seconds since the epoch.'],
  TODAY: ['', 'Midnight today (server local time), seconds since the epoch.'],
  ABS: ['number', 'The absolute value.'],
  CRC32: ['text', 'The CRC-32 checksum of the text (UTF-8).'],
  GEO_DISTANCE: ['lat1, lon1, lat2, lon2', 'Great-circle distance between two points, in km.'],
  MESSAGE_SIZE: ['', 'Size of the message payload in bytes.'],
  CORRELATION_ID: ['', 'The correlation id of the message.'],
  LAST_UPDATED: ['', 'When the SOW record was last updated.'],
  BOOKMARK: ['', 'The bookmark of the message in the transaction log.'],
  TOPIC_NAME: ['', 'The topic of the message.'],
  SOW_KEY: ['', 'The SOW key of the message.'],
  CLIENT_NAME: ['', 'The name of the client that published the message.'],
  AMPS_INSTANCE_NAME: ['', 'The name of the AMPS instance.'],
  AMPS_GROUP_NAME: ['', 'The name of the AMPS instance group.'],
  COALESCE: ['value, ...', 'The first argument that is not NULL.'],
  IF: ['condition, then, else', '`then` when the condition is TRUE, else `else`.'],
  TRUE_VALUE: ['', 'The Boolean TRUE.'],
  FALSE_VALUE: ['', 'The Boolean FALSE.'],
  NAN_VALUE: ['', 'A NaN number.'],
  CHAR_VALUE: ['code', 'The one-character string of a character code.'],
  VALUE_LOOKUP: ['...', 'Looks a value up in a configured table (not available here).'],
  LAST_READ: ['...', 'Not supported.'],
  AVG: ['expression', 'Aggregate: the average (views and aggregated queries only, not filters).'],
  ANY: ['expression', 'Aggregate: any one value of the group (not in filters).'],
  COUNT: ['expression', 'Aggregate: number of non-NULL values (not in filters).'],
  COUNT_DISTINCT: ['expression', 'Aggregate: number of distinct values (not in filters).'],
  MIN: ['expression', 'Aggregate: the smallest value (not in filters).'],
  MAX: ['expression', 'Aggregate: the largest value (not in filters).'],
  SUM: ['expression', 'Aggregate: the sum (not in filters).'],
};

/** Every function the expression module knows, with its signature and doc, in catalog order. */
export const FUNCTION_DOCS: readonly FunctionDoc[] = [...FUNCTIONS.entries()].map(([name, spec]) => {
  const entry = DOCS[name];
  const params = entry?.[0] ?? (spec.max === 0 ? '' : '...');
  const doc = spec.reason ?? entry?.[1] ?? `Built-in function (${spec.min}–${spec.max} arguments).`;
  return { name, signature: `${name}(${params})`, doc, category: spec.category };
});

const BY_NAME = new Map(FUNCTION_DOCS.map((d) => [d.name, d]));

/** The doc of a function by name (any case). */
export function functionDoc(name: string): FunctionDoc | undefined {
  return BY_NAME.get(name.toUpperCase());
}

/** Functions usable in a content filter (aggregates and unsupported ones are refused there). */
export const FILTER_FUNCTIONS: readonly FunctionDoc[] = FUNCTION_DOCS.filter(
  (d) => d.category !== 'aggregate' && d.category !== 'unsupported',
);
