/**
 * Completion and hover for the AMPS filter editor, pure (no Monaco): what to offer at a caret
 * offset, and the doc of the word under the pointer. Fields come from the caller (the paths
 * seen in the topic's messages); functions from the client's catalog.
 */
import { tokenize, type Token } from '../../../client/src/expression/index.js';
import { FUNCTION_DOCS, functionDoc } from './functionDocs.js';

/** What a completion inserts. */
export type FilterCompletionKind = 'field' | 'function' | 'keyword' | 'operator';

/** One completion item. */
export interface FilterCompletion {
  label: string;
  kind: FilterCompletionKind;
  insertText: string;
  /** Shown next to the label: a function's signature, an operator's shape. */
  detail: string;
  doc?: string;
}

/** The items, and the span `[start, end)` of the text they replace. */
export interface FilterCompletionList {
  start: number;
  end: number;
  items: FilterCompletion[];
}

/** A hover: the span it concerns and its text. */
export interface FilterHover {
  start: number;
  end: number;
  title: string;
  doc: string;
}

/** Operators offered after an operand, with their shape and meaning. */
const OPERATORS: readonly (readonly [label: string, insert: string, doc: string])[] = [
  ['=', '= ', 'Equal.'],
  ['<>', '<> ', 'Not equal (also `!=`).'],
  ['!=', '!= ', 'Not equal.'],
  ['<', '< ', 'Less than.'],
  ['>', '> ', 'Greater than.'],
  ['<=', '<= ', 'Less than or equal.'],
  ['>=', '>= ', 'Greater than or equal.'],
  ['LIKE', "LIKE '", 'Matches a regular expression (PCRE), e.g. `/name LIKE \'^IB\'`.'],
  ['NOT LIKE', "NOT LIKE '", 'Does not match the regular expression.'],
  ['IN', 'IN (', 'Equal to one of a list: `/x IN (1, 2, 3)`.'],
  ['NOT IN', 'NOT IN (', 'Equal to none of a list.'],
  ['BETWEEN', 'BETWEEN ', 'Within an inclusive range: `/x BETWEEN 1 AND 10`.'],
  ['IS NULL', 'IS NULL', 'The field is absent (or NULL).'],
  ['IS NOT NULL', 'IS NOT NULL', 'The field is present.'],
  ['BEGINS WITH', 'BEGINS WITH (', "Starts with one of the strings: `/s BEGINS WITH ('A', 'B')`."],
  ['ENDS WITH', 'ENDS WITH (', 'Ends with one of the strings.'],
  ['AND', 'AND ', 'Both conditions are true.'],
  ['OR', 'OR ', 'Either condition is true.'],
];

/** Words offered where a value or a condition starts. */
const VALUE_WORDS: readonly (readonly [label: string, doc: string])[] = [
  ['NOT', 'Negates the condition that follows.'],
  ['NULL', 'The absent value.'],
  ['TRUE', 'The Boolean TRUE.'],
  ['FALSE', 'The Boolean FALSE.'],
];

/** Docs of the keywords, for hover. */
export const KEYWORD_DOCS: Readonly<Record<string, string>> = {
  AND: 'Both conditions are true.',
  OR: 'Either condition is true.',
  NOT: 'Negates the condition that follows.',
  LIKE: 'Matches a regular expression (PCRE).',
  IN: 'Equal to one of a list of values.',
  BETWEEN: 'Within an inclusive range: `x BETWEEN low AND high`.',
  IS: '`IS NULL` / `IS NOT NULL`: the field is absent / present.',
  NULL: 'The absent value.',
  NAN: 'Not a number (`IS NAN`).',
  BEGINS: '`BEGINS WITH (...)`: starts with one of the strings.',
  ENDS: '`ENDS WITH (...)`: ends with one of the strings.',
  WITH: 'Part of `BEGINS WITH` / `ENDS WITH`.',
  MOD: 'Remainder of a division (also `%`).',
  TRUE: 'The Boolean TRUE.',
  FALSE: 'The Boolean FALSE.',
};

const WORD = /[A-Za-z0-9_@.\-/]/;
const VALUE_KEYWORDS = new Set(['NULL', 'NAN', 'TRUE', 'FALSE']);

function endsOperand(token: Token | undefined): boolean {
  if (token === undefined) return false;
  if (token.kind === 'identifier' || token.kind === 'number' || token.kind === 'string') return true;
  if (token.kind === 'keyword') return VALUE_KEYWORDS.has(token.name ?? '');
  return token.text === ')' || token.text === ']';
}

const startsWithI = (text: string, prefix: string): boolean =>
  text.toLowerCase().startsWith(prefix.toLowerCase());

/**
 * What to offer at `offset` of `text`: after an operand, the operators and AND / OR; where a
 * value starts, the fields seen (`fields`, e.g. `/order/qty`), every function with its
 * signature, and NOT / NULL / TRUE / FALSE. Items start with what is typed already.
 */
export function filterCompletions(text: string, offset: number, fields: readonly string[]): FilterCompletionList {
  let start = Math.min(Math.max(offset, 0), text.length);
  while (start > 0 && WORD.test(text[start - 1] as string)) start--;
  let end = offset;
  while (end < text.length && WORD.test(text[end] as string)) end++;
  const typed = text.slice(start, offset);
  const before = tokenize(text.slice(0, start));
  const last = before[before.length - 1];
  const items: FilterCompletion[] = [];
  if (endsOperand(last) && !typed.startsWith('/')) {
    for (const [label, insertText, doc] of OPERATORS) {
      if (typed === '' || startsWithI(label, typed)) items.push({ label, kind: 'operator', insertText, detail: 'operator', doc });
    }
    return { start, end, items };
  }
  for (const path of fields) {
    if (typed === '' || startsWithI(path, typed) || (!typed.startsWith('/') && startsWithI(path.slice(1), typed)))
      items.push({ label: path, kind: 'field', insertText: path, detail: 'field seen in messages' });
  }
  if (!typed.startsWith('/')) {
    for (const f of FUNCTION_DOCS) {
      if (typed !== '' && !startsWithI(f.name, typed)) continue;
      const note = f.category === 'aggregate' ? ' (aggregate: not in filters)' : f.category === 'unsupported' ? ' (not supported)' : '';
      items.push({ label: f.name, kind: 'function', insertText: `${f.name}(`, detail: `${f.signature}${note}`, doc: f.doc });
    }
    for (const [label, doc] of VALUE_WORDS) {
      if (typed === '' || startsWithI(label, typed)) items.push({ label, kind: 'keyword', insertText: `${label} `, detail: 'keyword', doc });
    }
  }
  return { start, end, items };
}

/** The doc of the function or keyword at `offset`, if any. */
export function filterHover(text: string, offset: number): FilterHover | undefined {
  const token = tokenize(text).find((t) => offset >= t.start && offset < t.end);
  if (token === undefined) return undefined;
  if (token.kind === 'function') {
    const doc = functionDoc(token.name ?? token.text);
    if (doc === undefined) return { start: token.start, end: token.end, title: token.text, doc: 'Unknown function.' };
    return { start: token.start, end: token.end, title: doc.signature, doc: doc.doc };
  }
  if (token.kind === 'keyword') {
    const doc = KEYWORD_DOCS[token.name ?? ''];
    return doc === undefined ? undefined : { start: token.start, end: token.end, title: token.name ?? token.text, doc };
  }
  if (token.kind === 'identifier') {
    return { start: token.start, end: token.end, title: `Field ${token.text}`, doc: 'A field of the message (XPath).' };
  }
  return undefined;
}
