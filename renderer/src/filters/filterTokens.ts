/**
 * Highlighting of the AMPS filter language from the client's own lexer
 * (client/src/expression/tokenizer.ts), so the editor colours exactly what the parser reads:
 * fields (XPath), operator words and symbols, functions, strings, LIKE patterns (regular
 * expressions), numbers and constants. Never throws; unreadable text is `invalid`.
 */
import { tokenize, type Token } from '../../../client/src/expression/index.js';

/** Highlight classes (Monaco scopes are `<type>.amps-filter`). */
export type FilterTokenType =
  | 'field'
  | 'keyword'
  | 'constant'
  | 'operator'
  | 'function'
  | 'string'
  | 'regexp'
  | 'number'
  | 'delimiter'
  | 'invalid'
  | 'white';

/** One highlighted span, `[start, end)` in UTF-16 offsets; spans cover the whole text. */
export interface FilterToken {
  type: FilterTokenType;
  start: number;
  end: number;
}

const CONSTANTS = new Set(['NULL', 'NAN', 'TRUE', 'FALSE']);
/** Functions whose second argument is a regular expression. */
const REGEX_FUNCTIONS = new Set(['REGEXP_MATCH', 'REGEXP_REPLACE']);

function typeOf(token: Token, previous: Token | undefined, regexArgument: boolean): FilterTokenType {
  switch (token.kind) {
    case 'identifier':
      return 'field';
    case 'number':
      return 'number';
    case 'string':
      return previous?.kind === 'keyword' && previous.name === 'LIKE' ? 'regexp' : regexArgument ? 'regexp' : 'string';
    case 'keyword':
      return CONSTANTS.has(token.name ?? '') ? 'constant' : 'keyword';
    case 'operator':
      return 'operator';
    case 'function':
      return 'function';
    case 'punctuation':
      return 'delimiter';
    case 'invalid':
      return 'invalid';
  }
}

/** The highlight spans of `text`, gaps (whitespace) included as `white`. */
export function tokenizeFilter(text: string): FilterToken[] {
  const out: FilterToken[] = [];
  let at = 0;
  let previous: Token | undefined;
  // REGEXP_MATCH(text, 'pattern'): the string right after the first top-level comma of the call.
  const calls: { name: string; depth: number; commas: number }[] = [];
  let depth = 0;
  let pendingCall: string | undefined;
  for (const token of tokenize(text)) {
    if (token.start > at) out.push({ type: 'white', start: at, end: token.start });
    const call = calls[calls.length - 1];
    const regexArgument =
      call !== undefined && call.depth === depth && call.commas === 1 && REGEX_FUNCTIONS.has(call.name);
    out.push({ type: typeOf(token, previous, regexArgument), start: token.start, end: token.end });
    if (token.kind === 'function') pendingCall = token.name;
    else if (token.text === '(') {
      depth++;
      if (pendingCall !== undefined) calls.push({ name: pendingCall, depth, commas: 0 });
      pendingCall = undefined;
    } else if (token.text === ')') {
      if (call !== undefined && call.depth === depth) calls.pop();
      depth = Math.max(0, depth - 1);
    } else if (token.text === ',' && call !== undefined && call.depth === depth) call.commas++;
    at = token.end;
    previous = token;
  }
  if (at < text.length) out.push({ type: 'white', start: at, end: text.length });
  return out;
}
