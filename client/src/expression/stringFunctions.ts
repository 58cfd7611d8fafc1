/**
 * String functions of spec §14.6.1–§14.6.2. Strings are treated as code-unit sequences (AMPS
 * works on bytes and is not Unicode-aware); case functions change ASCII letters only. A result
 * that is the empty string is NULL, as every empty string is in AMPS.
 */
import type { CallSite, Evaluator, FunctionBuilder } from './evaluator.js';
import { arg } from './evaluator.js';
import type { FilterRegex } from './regex.js';
import { compilePcre } from './regex.js';
import type { AmpsScalar, AmpsValue } from './values.js';
import { toNumber, toText } from './values.js';

const asciiUpper = (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase());
const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
const orNull = (s: string): string | null => (s === '' ? null : s);

function text1(fn: (s: string) => AmpsScalar): FunctionBuilder {
  return (site) => {
    const a = arg(site, 0);
    return (m, c) => {
      const s = toText(a(m, c));
      return s === null ? null : fn(s);
    };
  };
}

function text2(fn: (a: string, b: string) => AmpsScalar): FunctionBuilder {
  return (site) => {
    const a = arg(site, 0);
    const b = arg(site, 1);
    return (m, c) => {
      const x = toText(a(m, c));
      if (x === null) return null;
      const y = toText(b(m, c));
      return y === null ? null : fn(x, y);
    };
  };
}

/**
 * A regex argument: a string literal is compiled once (from its text as written, like a LIKE
 * pattern, so errors are reported at compile time with their position); any other expression is
 * compiled per distinct value through the regex cache, and an invalid value yields NULL.
 */
function regexArg(
  site: CallSite,
  i: number,
): (m: unknown, c: Parameters<Evaluator>[1]) => FilterRegex | null {
  const node = site.node.args[i];
  if (node?.type === 'literal' && typeof node.value === 'string') {
    const re = compilePcre(node.body ?? node.value, node.start + (node.raw === true ? 2 : 1));
    return () => re;
  }
  const e = arg(site, i);
  return (m, c) => {
    const p = toText(e(m, c));
    if (p === null) return null;
    try {
      return compilePcre(p);
    } catch {
      return null;
    }
  };
}

/**
 * `SUBSTR(s, start[, length])`: `start` is 1-based; a negative start counts from the end
 * (-1 = last character) and 0 is treated as 1; a negative length gives NULL
 * (length form and negative start are UNCONFIRMED in the spec).
 */
export function substr(s: string, start: number, length?: number): string | null {
  if (start !== start || (length !== undefined && (length !== length || length < 0))) return null;
  const from = start > 0 ? Math.trunc(start) - 1 : start < 0 ? Math.max(0, s.length + Math.trunc(start)) : 0;
  const to = length === undefined ? s.length : from + Math.trunc(length);
  return orNull(s.slice(from, to));
}

function joinArray(v: AmpsValue, delimiter: string, nullReplacement: string | null): string | null {
  const items = v === null ? [] : Array.isArray(v) ? (v as readonly AmpsScalar[]) : [v as AmpsScalar];
  const parts: string[] = [];
  for (const item of items) {
    if (item === null) {
      if (nullReplacement !== null) parts.push(nullReplacement);
    } else parts.push(String(item));
  }
  return orNull(parts.join(delimiter));
}

/** String function builders by name. */
export const STRING_FUNCTIONS: ReadonlyMap<string, FunctionBuilder> = new Map<string, FunctionBuilder>([
  ['INSTR', text2((s, search) => s.indexOf(search) + 1)],
  ['INSTR_I', text2((s, search) => asciiLower(s).indexOf(asciiLower(search)) + 1)],
  ['STREQUAL_I', text2((a, b) => (asciiLower(a) === asciiLower(b) ? 1 : 0))],
  ['UPPER', text1((s) => asciiUpper(s))],
  ['LOWER', text1((s) => asciiLower(s))],
  ['REVERSE', text1((s) => s.split('').reverse().join(''))],
  [
    'CONCAT',
    (site) => {
      const args = site.args;
      return (m, c) => {
        let out = '';
        for (const a of args) out += toText(a(m, c)) ?? '';
        return orNull(out);
      };
    },
  ],
  [
    'REPLACE',
    (site) => {
      const [s, search, replacement] = [0, 1, 2].map((i) => arg(site, i)) as [
        Evaluator,
        Evaluator,
        Evaluator,
      ];
      return (m, c) => {
        const text = toText(s(m, c));
        if (text === null) return null;
        const find = toText(search(m, c));
        if (find === null) return text;
        return orNull(text.split(find).join(toText(replacement(m, c)) ?? ''));
      };
    },
  ],
  [
    'REGEXP_MATCH',
    (site) => {
      const s = arg(site, 0);
      const pattern = regexArg(site, 1);
      return (m, c) => {
        const text = toText(s(m, c));
        const re = pattern(m, c);
        if (text === null || re === null) return null;
        const found = re.match(text);
        return found === null ? null : orNull(found);
      };
    },
  ],
  [
    'REGEXP_REPLACE',
    (site) => {
      const s = arg(site, 0);
      const pattern = regexArg(site, 1);
      // A literal replacement is taken as written, so `\\1` stays a back-reference.
      const literal = site.node.args[2];
      const replacement: Evaluator =
        literal?.type === 'literal' && typeof literal.value === 'string' && literal.raw !== true
          ? () => literal.body ?? ''
          : arg(site, 2);
      return (m, c) => {
        const text = toText(s(m, c));
        const re = pattern(m, c);
        if (text === null || re === null) return text;
        // PCRE-style \1 back-references in the replacement become JavaScript's $1.
        const r = (toText(replacement(m, c)) ?? '').replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1');
        return orNull(re.replaceAll(text, r));
      };
    },
  ],
  [
    'SUBSTR',
    (site) => {
      const s = arg(site, 0);
      const start = arg(site, 1);
      const length = site.args.length > 2 ? arg(site, 2) : undefined;
      return (m, c) => {
        const text = toText(s(m, c));
        const from = toNumber(start(m, c));
        if (text === null || from === null) return null;
        if (length === undefined) return substr(text, from);
        const len = toNumber(length(m, c));
        return len === null ? null : substr(text, from, len);
      };
    },
  ],
  [
    'ARRAY_TO_STRING',
    (site) => {
      const a = arg(site, 0);
      const delimiter = arg(site, 1);
      const replacement = site.args.length > 2 ? arg(site, 2) : undefined;
      return (m, c) =>
        joinArray(
          a(m, c),
          toText(delimiter(m, c)) ?? '',
          replacement === undefined ? null : toText(replacement(m, c)),
        );
    },
  ],
]);
