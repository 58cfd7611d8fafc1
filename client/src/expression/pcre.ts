/**
 * PCRE → JavaScript RegExp translation for LIKE patterns, regular-expression functions and
 * regex topics (spec §14.5, §14.8). Handles what differs between the two engines: leading
 * option groups `(?imsxAU)` become flags or rewrites, `\A \z \Z \Q..\E \h \R \e \x{..}`,
 * `(?P<n>..)`, `(?#..)`, POSIX classes, a leading `]` in a class, and PCRE's `.` / `$`
 * (which, unlike JavaScript's, treat only `\n` as the line end). Constructs JavaScript cannot
 * express (possessive quantifiers, atomic groups, recursion, conditionals, `\G`, `\K`,
 * `\p{..}`, options in the middle of a pattern) are refused with a {@link FilterSyntaxError}
 * pointing at them. The same walk also writes RE2 syntax (for the linear-time engine of
 * `regex.ts`) and says when a pattern needs backtracking (back-references, lookaround).
 */
import { syntaxError } from './syntaxError.js';

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  word: 'A-Za-z0-9_',
  cntrl: '\\x00-\\x1f\\x7f',
  print: ' -~',
  graph: '!-~',
};

/** Spellings that differ between the two target dialects. */
interface Dialect {
  start: string;
  end: string;
  /** PCRE's `$`: end of the subject, or before a final `\n`. */
  endOrFinalNewline: string;
  codeUnit: (code: number) => string;
  namedGroup: (name: string) => string;
}

const JS: Dialect = {
  start: '(?<![\\s\\S])',
  end: '(?![\\s\\S])',
  endOrFinalNewline: '(?=\\n?(?![\\s\\S]))',
  codeUnit: (code) => `\\u${code.toString(16).padStart(4, '0')}`,
  namedGroup: (name) => `(?<${name}>`,
};

/**
 * RE2 has no lookahead, so PCRE's `$` consumes the final newline it stands before. A match test
 * gives the same answer (nothing can follow the end of the subject); only the text of a match
 * that ends there (REGEXP_MATCH, REGEXP_REPLACE) also holds that `\n`.
 */
const RE2: Dialect = {
  start: '\\A',
  end: '\\z',
  endOrFinalNewline: '(?:\\n?\\z)',
  codeUnit: (code) => `\\x{${code.toString(16)}}`,
  namedGroup: (name) => `(?P<${name}>`,
};

/** Characters that make a topic a regular expression (§14.8). */
const TOPIC_META = /[.*+?^$[\](){}|\\]/;

/** True when a subscription topic is a regular expression (contains a metacharacter, §14.8). */
export function isRegexTopic(pattern: string): boolean {
  return TOPIC_META.test(pattern);
}

/** Escapes every regex metacharacter, so the text matches itself literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A translated pattern: JavaScript source and flags. */
export interface TranslatedPattern {
  source: string;
  flags: string;
}

/** A pattern translated for one engine, and whether it needs a backtracking engine. */
export interface TranslatedFor extends TranslatedPattern {
  /** True when the pattern holds back-references or lookaround, which RE2 cannot run. */
  backtracking: boolean;
}

/**
 * Translates a PCRE pattern to a JavaScript RegExp source and flags.
 * @param pattern the PCRE pattern text
 * @param offset position of the pattern's first character in the filter text, for errors
 * @throws FilterSyntaxError for constructs JavaScript cannot express
 */
export function translatePcre(pattern: string, offset = 0): TranslatedPattern {
  const { source, flags } = translatePcreFor(pattern, 'js', offset);
  return { source, flags };
}

/**
 * Translates a PCRE pattern for JavaScript's RegExp (`js`) or for RE2 syntax (`re2`).
 * Flags come back as letters (`i`, `m`, `s`) in both cases.
 * @throws FilterSyntaxError for constructs neither engine can express
 */
export function translatePcreFor(pattern: string, dialect: 'js' | 're2', offset = 0): TranslatedFor {
  const d = dialect === 'js' ? JS : RE2;
  let backtracking = false;
  /** Groups open at the current position (outside classes). */
  let depth = 0;
  /**
   * RE2's spelling of `$` consumes the final newline, so it is exact only where nothing can
   * follow it: at the end of the pattern or of a top-level branch. Elsewhere it is run bounded.
   */
  const endOrFinalNewline = (next: number): string => {
    const last = pattern[next] === undefined || (pattern[next] === '|' && depth === 0);
    if (dialect === 're2' && !last) backtracking = true;
    return d.endOrFinalNewline;
  };
  const refuse = (what: string, at: number, length: number): never => {
    throw syntaxError(`unsupported regular expression construct: ${what}`, offset + at, Math.max(1, length));
  };
  let i = 0;
  let caseless = false;
  let multiline = false;
  let dotall = false;
  let extended = false;
  let anchored = false;
  let ungreedy = false;
  for (;;) {
    const m = /^\(\?([a-zA-Z]+)\)/.exec(pattern.slice(i));
    if (m === null) break;
    for (const f of m[1] as string) {
      if (f === 'i') caseless = true;
      else if (f === 'm') multiline = true;
      else if (f === 's') dotall = true;
      else if (f === 'x') extended = true;
      else if (f === 'A') anchored = true;
      else if (f === 'U') ungreedy = true;
      else refuse(`option "${f}"`, i, m[0].length);
    }
    i += m[0].length;
  }
  let out = '';
  let inClass = false;
  let classStart = false;
  const n = pattern.length;
  while (i < n) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) refuse('trailing backslash', i, 1);
      const at = i;
      i += 2;
      classStart = false;
      switch (next) {
        case 'A':
          if (inClass) refuse('\\A in a character class', at, 2);
          out += d.start;
          break;
        case 'z':
          if (inClass) refuse('\\z in a character class', at, 2);
          out += d.end;
          break;
        case 'Z':
          if (inClass) refuse('\\Z in a character class', at, 2);
          out += endOrFinalNewline(i);
          break;
        case 'h':
          out += inClass ? '\\t \\xa0' : '[\\t \\xa0]';
          break;
        case 'H':
          if (inClass) refuse('\\H in a character class', at, 2);
          out += '[^\\t \\xa0]';
          break;
        case 'v':
          out += inClass ? '\\n\\v\\f\\r\\x85' : '[\\n\\v\\f\\r\\x85]';
          break;
        case 'V':
          if (inClass) refuse('\\V in a character class', at, 2);
          out += '[^\\n\\v\\f\\r\\x85]';
          break;
        case 'R':
          if (inClass) refuse('\\R in a character class', at, 2);
          out += '(?:\\r\\n|[\\n\\v\\f\\r\\x85])';
          break;
        case 'e':
          out += '\\x1b';
          break;
        case 'a':
          out += '\\x07';
          break;
        case 'E':
          break;
        case 'Q': {
          const end = pattern.indexOf('\\E', i);
          const literal = pattern.slice(i, end < 0 ? n : end);
          out += inClass ? literal.replace(/[\]\\^-]/g, '\\$&') : escapeRegex(literal);
          i = end < 0 ? n : end + 2;
          break;
        }
        case 'x': {
          const braced = /^\{([0-9A-Fa-f]{1,6})\}/.exec(pattern.slice(i));
          if (braced !== null) {
            const code = parseInt(braced[1] as string, 16);
            if (code > 0xffff) refuse('code point above \\x{FFFF}', at, braced[0].length + 2);
            out += d.codeUnit(code);
            i += braced[0].length;
          } else {
            out += '\\x';
          }
          break;
        }
        case 'g': {
          const ref = /^(?:\{(-?\d+)\}|(\d+))/.exec(pattern.slice(i));
          const num = ref?.[1] ?? ref?.[2];
          if (ref === null || num === undefined || num.startsWith('-')) refuse('\\g reference', at, 2);
          out += `\\${num}`;
          backtracking = true;
          i += ref?.[0].length ?? 0;
          break;
        }
        case 'k': {
          const ref = /^(?:<(\w+)>|\{(\w+)\}|'(\w+)')/.exec(pattern.slice(i));
          if (ref === null) refuse('\\k reference', at, 2);
          out += `\\k<${ref?.[1] ?? ref?.[2] ?? ref?.[3] ?? ''}>`;
          backtracking = true;
          i += ref?.[0].length ?? 0;
          break;
        }
        case 'G':
        case 'K':
        case 'C':
        case 'X':
        case 'p':
        case 'P':
        case 'N':
        case 'o':
          refuse(`\\${next}`, at, 2);
          break;
        default:
          if (next !== undefined && next >= '1' && next <= '9' && !inClass) backtracking = true;
          out += `\\${next}`;
      }
      continue;
    }
    if (inClass) {
      if (ch === ']' && !classStart) {
        inClass = false;
        out += ']';
        i++;
        continue;
      }
      if (ch === ']' && classStart) {
        out += '\\]';
        i++;
        classStart = false;
        continue;
      }
      classStart = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i));
      if (posix !== null) {
        const set = POSIX_CLASSES[posix[2] as string];
        if (set === undefined || posix[1] === '^') refuse(`POSIX class ${posix[0]}`, i, posix[0].length);
        out += set;
        i += posix[0].length;
        continue;
      }
      out += ch === '[' ? '\\[' : ch;
      i++;
      continue;
    }
    if (extended && /\s/.test(ch)) {
      i++;
      continue;
    }
    if (extended && ch === '#') {
      while (i < n && pattern[i] !== '\n') i++;
      continue;
    }
    switch (ch) {
      case '[':
        inClass = true;
        classStart = true;
        out += '[';
        i++;
        if (pattern[i] === '^') {
          out += '^';
          i++;
        }
        continue;
      case '.':
        out += dotall ? '.' : '[^\\n]';
        i++;
        break;
      case '$':
        out += multiline ? '$' : endOrFinalNewline(i + 1);
        i++;
        break;
      case '(': {
        const rest = pattern.slice(i);
        if (rest.startsWith('(*')) refuse('(*VERB)', i, 2);
        if (!rest.startsWith('(?')) {
          depth++;
          out += '(';
          i++;
          break;
        }
        const named = /^\(\?(?:P<|<|')([A-Za-z_]\w*)[>']/.exec(rest);
        if (named !== null) {
          depth++;
          out += d.namedGroup(named[1] ?? '');
          i += named[0].length;
          break;
        }
        const backref = /^\(\?P=(\w+)\)/.exec(rest);
        if (backref !== null) {
          out += `\\k<${backref[1] ?? ''}>`;
          backtracking = true;
          i += backref[0].length;
          break;
        }
        if (rest.startsWith('(?#')) {
          const close = pattern.indexOf(')', i);
          if (close < 0) refuse('unterminated comment', i, 3);
          i = close + 1;
          break;
        }
        const simple = /^\(\?(?::|=|!|<=|<!)/.exec(rest);
        if (simple !== null) {
          if (simple[0] !== '(?:') backtracking = true;
          depth++;
          out += simple[0];
          i += simple[0].length;
          break;
        }
        const options = /^\(\?[imsxnAUJ-]+[:)]/.exec(rest);
        refuse(
          options !== null
            ? 'options inside the pattern (only a leading (?imsxAU) is supported)'
            : `group "${rest.slice(0, 3)}"`,
          i,
          options?.[0].length ?? 3,
        );
        break;
      }
      case '*':
      case '+':
      case '?':
      case '{': {
        const quant = ch === '{' ? /^\{\d+(?:,\d*)?\}/.exec(pattern.slice(i))?.[0] : ch;
        if (quant === undefined) {
          out += '\\{';
          i++;
          break;
        }
        i += quant.length;
        out += quant;
        let lazy = false;
        if (pattern[i] === '+') refuse('possessive quantifier', i - quant.length, quant.length + 1);
        if (pattern[i] === '?') {
          lazy = true;
          i++;
        }
        if (lazy !== ungreedy) out += '?';
        break;
      }
      default:
        if (ch === ')') depth--;
        out += ch;
        i++;
    }
  }
  if (inClass) refuse('unterminated character class', n, 0);
  if (anchored) out = `${d.start}(?:${out})`;
  const flags = `${caseless ? 'i' : ''}${multiline ? 'm' : ''}${dotall ? 's' : ''}`;
  return { source: out, flags, backtracking };
}
