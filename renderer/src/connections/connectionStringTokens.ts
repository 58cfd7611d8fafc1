/**
 * A lenient tokenizer of AMPS connection strings for highlighting, hover and masking: it
 * never throws and covers the whole text, so half-typed strings are coloured too. Whether a
 * string is valid is the client parser's call (client/src/uri.ts), not this module's.
 */
import { locateCredentials } from '../../../client/src/uri/credentials.js';

/** What a span of a connection string is. */
export type ConnectionStringTokenType =
  | 'transport'
  | 'delimiter'
  | 'credentials'
  | 'password'
  | 'host'
  | 'port'
  | 'path'
  | 'protocol'
  | 'messagetype'
  | 'option.key'
  | 'option.value';

/** One token: `[start, end)` of the text. */
export interface ConnectionStringToken {
  type: ConnectionStringTokenType;
  start: number;
  end: number;
  /** For option values: the option's name. */
  option?: string;
}

/** Legacy single-type protocols a path may end in. */
export const LEGACY_PROTOCOLS = ['fix', 'nvfix', 'xml', 'json'] as const;

/** Tokens of `text` in order; adjacent, non-empty, together covering the whole text. */
export function tokenizeConnectionString(text: string): ConnectionStringToken[] {
  const out: ConnectionStringToken[] = [];
  const push = (type: ConnectionStringTokenType, start: number, end: number, option?: string): void => {
    if (end <= start) return;
    out.push(option === undefined ? { type, start, end } : { type, start, end, option });
  };
  const n = text.length;
  const sep = text.indexOf('://');
  let i = 0;
  if (sep < 0) {
    // Only a transport (being typed) or nothing recognisable: up to the first "/" or "?".
    let j = 0;
    while (j < n && text[j] !== '/' && text[j] !== '?') j++;
    push('transport', 0, j);
    i = j;
  } else {
    push('transport', 0, sep);
    push('delimiter', sep, sep + 3);
    i = sep + 3;
    let authEnd = i;
    while (authEnd < n && text[authEnd] !== '/' && text[authEnd] !== '?') authEnd++;
    // Where the password ends is the client's one credential splitter's call.
    const credentials = locateCredentials(text);
    if (credentials !== undefined) {
      const { userEnd, at } = credentials;
      push('credentials', i, userEnd);
      if (credentials.hasPassword) {
        push('delimiter', userEnd, userEnd + 1);
        push('password', userEnd + 1, at);
      }
      push('delimiter', at, at + 1);
      i = at + 1;
    }
    let hostEnd: number;
    if (text[i] === '[') {
      const close = text.indexOf(']', i);
      hostEnd = close >= 0 && close < authEnd ? close + 1 : authEnd;
    } else {
      const colon = text.indexOf(':', i);
      hostEnd = colon >= 0 && colon < authEnd ? colon : authEnd;
    }
    push('host', i, hostEnd);
    if (hostEnd < authEnd) {
      if (text[hostEnd] === ':') {
        push('delimiter', hostEnd, hostEnd + 1);
        push('port', hostEnd + 1, authEnd);
      } else {
        push('host', hostEnd, authEnd);
      }
    }
    i = authEnd;
  }
  // Path.
  const query = text.indexOf('?', i);
  const pathEnd = query >= 0 ? query : n;
  if (i < pathEnd) tokenizePath(text, i, pathEnd, push);
  // Options.
  if (query >= 0) {
    push('delimiter', query, query + 1);
    let k = query + 1;
    while (k < n) {
      let j = k;
      while (j < n && text[j] !== '&') j++;
      const eq = text.indexOf('=', k);
      if (eq >= 0 && eq < j) {
        const name = text.slice(k, eq);
        push('option.key', k, eq);
        push('delimiter', eq, eq + 1);
        push('option.value', eq + 1, j, name);
      } else {
        push('option.key', k, j);
      }
      if (j < n) push('delimiter', j, j + 1);
      k = j + 1;
    }
  }
  return out;
}

type Push = (type: ConnectionStringTokenType, start: number, end: number) => void;

function tokenizePath(text: string, start: number, end: number, push: Push): void {
  const segments: { at: number; end: number }[] = [];
  let i = start;
  while (i < end) {
    if (text[i] === '/') {
      i++;
      continue;
    }
    let j = i;
    while (j < end && text[j] !== '/') j++;
    segments.push({ at: i, end: j });
    i = j;
  }
  const value = (s: { at: number; end: number } | undefined): string | undefined =>
    s === undefined ? undefined : text.slice(s.at, s.end);
  const last = segments.length - 1;
  const kinds = new Map<number, ConnectionStringTokenType>();
  if (value(segments[last - 1]) === 'amps') {
    kinds.set(last - 1, 'protocol');
    kinds.set(last, 'messagetype');
  } else if (value(segments[last]) === 'amps' || (LEGACY_PROTOCOLS as readonly string[]).includes(value(segments[last]) ?? '')) {
    kinds.set(last, 'protocol');
  }
  let k = start;
  segments.forEach((s, index) => {
    push('delimiter', k, s.at);
    push(kinds.get(index) ?? 'path', s.at, s.end);
    k = s.end;
  });
  push('delimiter', k, end);
}

/** The token under `offset` (the one it is inside, or that ends at it). */
export function tokenAt(tokens: readonly ConnectionStringToken[], offset: number): ConnectionStringToken | undefined {
  return tokens.find((t) => offset >= t.start && offset < t.end) ?? tokens.find((t) => t.end === offset);
}
