/**
 * The lexer of the AMPS filter language (spec §14.1). It never throws: characters it cannot
 * read become `invalid` tokens carrying a `problem`, so an editor can highlight partial input
 * and the parser reports the problem with its exact position.
 */

/** What a token is, for the parser and for syntax highlighting. */
export type TokenKind =
  'identifier' | 'string' | 'number' | 'keyword' | 'operator' | 'function' | 'punctuation' | 'invalid';

/** One lexical element of a filter; `start`/`end` are 0-based offsets, `end` exclusive. */
export interface Token {
  /** The token class. */
  kind: TokenKind;
  /** The exact source text of the token. */
  text: string;
  /** Offset of the first character. */
  start: number;
  /** Offset just past the last character. */
  end: number;
  /** Keywords: the upper-case keyword; functions: the upper-case name. */
  name?: string;
  /** Strings: the value after escape processing (raw strings: the text between the quotes). */
  value?: string;
  /** Strings: the text between the quotes exactly as written (used for LIKE patterns). */
  body?: string;
  /** Strings: written as `r'...'` / `R"..."` (no escapes; literal as a LIKE pattern). */
  raw?: boolean;
  /** Numbers: the numeric value. */
  number?: number;
  /** Numbers: written with a fraction or exponent (an AMPS double rather than an integer). */
  float?: boolean;
  /** Identifiers: the path steps, e.g. `['a', 'b']` for `/a/b`. */
  path?: readonly string[];
  /** Identifiers: the 0-based subscript of `/x[n]`, if written. */
  subscript?: number;
  /** Invalid tokens: what is wrong. */
  problem?: string;
}

/** The keywords of §14.1 plus `TRUE`/`FALSE` (accepted as Boolean literals; see parser). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'AND',
  'OR',
  'NOT',
  'BETWEEN',
  'IN',
  'LIKE',
  'IS',
  'NULL',
  'NAN',
  'BEGINS',
  'ENDS',
  'WITH',
  'MOD',
  'IF',
  'AS',
  'TRUE',
  'FALSE',
]);

const VALUE_KEYWORDS = new Set(['NULL', 'NAN', 'TRUE', 'FALSE']);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isStepStart = (c: number): boolean => isAlpha(c) || isDigit(c) || c === 64; /* @ */
const isStepPart = (c: number): boolean => isStepStart(c) || c === 46 || c === 45; /* . - */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  f: '\f',
  r: '\r',
};

/** Processes the escapes of a quoted string body (§14.1). */
export function unescapeString(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[++i] as string;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
    } else if (next === 'x' && /^[0-9A-Fa-f]{1,2}/.test(body.slice(i + 1, i + 3))) {
      const hex = /^[0-9A-Fa-f]{1,2}/.exec(body.slice(i + 1, i + 3))?.[0] ?? '';
      out += String.fromCharCode(parseInt(hex, 16));
      i += hex.length;
    } else if (next >= '0' && next <= '7') {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i, i + 3))?.[0] ?? next;
      out += String.fromCharCode(parseInt(oct, 8) & 0xff);
      i += oct.length - 1;
    } else {
      out += next;
    }
  }
  return out;
}

/** Splits filter text into tokens (whitespace is skipped). Never throws. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  const operandEnds = (): boolean => {
    const prev = tokens[tokens.length - 1];
    if (prev === undefined) return false;
    if (prev.kind === 'identifier' || prev.kind === 'number' || prev.kind === 'string') return true;
    if (prev.kind === 'keyword') return VALUE_KEYWORDS.has(prev.name ?? '');
    return prev.text === ')' || prev.text === ']';
  };
  const push = (t: Token): void => {
    tokens.push(t);
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    const ch = text[i] as string;
    // strings, including raw strings r'...' / R"..."
    const rawPrefix = (ch === 'r' || ch === 'R') && (text[i + 1] === "'" || text[i + 1] === '"');
    if (ch === "'" || ch === '"' || rawPrefix) {
      const quote = rawPrefix ? (text[i + 1] as string) : ch;
      let j = rawPrefix ? i + 2 : i + 1;
      const bodyStart = j;
      while (j < n && text[j] !== quote) {
        if (text[j] === '\\' && !rawPrefix) j++;
        j++;
      }
      if (j >= n) {
        push({ kind: 'invalid', text: text.slice(start), start, end: n, problem: 'unterminated string' });
        i = n;
        continue;
      }
      const body = text.slice(bodyStart, j);
      i = j + 1;
      push({
        kind: 'string',
        text: text.slice(start, i),
        start,
        end: i,
        value: rawPrefix ? body : unescapeString(body),
        body,
        raw: rawPrefix,
      });
      continue;
    }
    // numbers
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      let j = i + (m?.[0].length ?? 1);
      const literal = text.slice(i, j);
      if (j < n && (isStepPart(text.charCodeAt(j)) || text[j] === '.')) {
        while (j < n && isStepPart(text.charCodeAt(j))) j++;
        push({ kind: 'invalid', text: text.slice(start, j), start, end: j, problem: 'malformed number' });
        i = j;
        continue;
      }
      i = j;
      push({
        kind: 'number',
        text: literal,
        start,
        end: i,
        number: Number(literal),
        float: /[.eE]/.test(literal),
      });
      continue;
    }
    // identifiers: /a/b, /a[0], [/name with spaces]
    if ((ch === '/' || ch === '[') && !operandEnds()) {
      let path: string[] | undefined;
      let j = i;
      if (ch === '/') {
        path = [];
        while (j < n && text[j] === '/' && isStepStart(text.charCodeAt(j + 1))) {
          let k = j + 1;
          while (k < n && isStepPart(text.charCodeAt(k))) k++;
          path.push(text.slice(j + 1, k));
          j = k;
        }
        if (path.length === 0) {
          push({ kind: 'invalid', text: '/', start, end: i + 1, problem: 'expected a field name after "/"' });
          i++;
          continue;
        }
      } else if (text[i + 1] === '/') {
        const close = text.indexOf(']', i);
        if (close < 0) {
          push({
            kind: 'invalid',
            text: text.slice(start),
            start,
            end: n,
            problem: 'unterminated [/field] identifier',
          });
          i = n;
          continue;
        }
        path = text.slice(i + 2, close).split('/');
        j = close + 1;
        if (path.some((s) => s.length === 0)) {
          push({
            kind: 'invalid',
            text: text.slice(start, j),
            start,
            end: j,
            problem: 'empty field name in identifier',
          });
          i = j;
          continue;
        }
      }
      if (path !== undefined) {
        const token: Token = { kind: 'identifier', text: '', start, end: j, path };
        const sub = /^\[(\d+)\]/.exec(text.slice(j, j + 24));
        if (sub !== null) {
          token.subscript = Number(sub[1]);
          j += sub[0].length;
        }
        token.end = j;
        token.text = text.slice(start, j);
        push(token);
        i = j;
        continue;
      }
    }
    // words: keywords and function names
    if (isAlpha(c)) {
      let j = i + 1;
      while (j < n && (isAlpha(text.charCodeAt(j)) || isDigit(text.charCodeAt(j)))) j++;
      const word = text.slice(i, j);
      const upper = word.toUpperCase();
      let k = j;
      while (k < n && isSpace(text.charCodeAt(k))) k++;
      const call = text[k] === '(';
      if (KEYWORDS.has(upper) && !(upper === 'IF' && call)) {
        push({ kind: 'keyword', text: word, start, end: j, name: upper });
      } else if (call && !KEYWORDS.has(upper)) {
        push({ kind: 'function', text: word, start, end: j, name: upper });
      } else if (upper === 'IF') {
        push({ kind: 'function', text: word, start, end: j, name: upper });
      } else {
        push({
          kind: 'invalid',
          text: word,
          start,
          end: j,
          problem: `unknown word "${word}" (identifiers start with "/", strings are quoted)`,
        });
      }
      i = j;
      continue;
    }
    // operators and punctuation
    const two = text.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      push({ kind: 'operator', text: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    if ('=<>+-*/%'.includes(ch)) {
      push({ kind: 'operator', text: ch, start, end: i + 1 });
      i++;
      continue;
    }
    if ('(),[]'.includes(ch)) {
      push({ kind: 'punctuation', text: ch, start, end: i + 1 });
      i++;
      continue;
    }
    const cp = text.codePointAt(i) ?? c;
    const width = cp > 0xffff ? 2 : 1;
    push({
      kind: 'invalid',
      text: text.slice(i, i + width),
      start,
      end: i + width,
      problem: `unexpected character "${text.slice(i, i + width)}"`,
    });
    i += width;
  }
  return tokens;
}
