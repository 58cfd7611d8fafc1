/**
 * Message templates of the publish composer: text with `{{variable}}` placeholders, rendered
 * once per message. Pure (no Node, no DOM): the renderer previews with it and main renders
 * each message of a repeat with it.
 *
 * Variables:
 * - `{{seq}}`: the message's number in the run (1, 2, 3, ...)
 * - `{{uuid}}`: a random UUID
 * - `{{now}}`: the time of rendering, ISO 8601 (UTC)
 * - `{{now_ms}}`: the time of rendering, ms since the epoch
 * - `{{random MIN MAX}}`: a whole number from MIN to MAX, both included
 * - `{{pick "A" "B" ...}}`: one of the quoted strings, at random
 */

/** The variables a template may use. */
export const TEMPLATE_VARIABLES = ['seq', 'uuid', 'now', 'now_ms', 'random', 'pick'] as const;
/** One template variable. */
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** Where a template is wrong: the message names the variable and its line and column. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  /** Offset (UTF-16 units) of the placeholder's `{{` in the template. */
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  constructor(message: string, text: string, offset: number) {
    const { line, column } = lineColumn(text, offset);
    super(`${message} (line ${line}, column ${column})`);
    this.offset = offset;
    this.line = line;
    this.column = column;
  }
}

/** What a rendering draws on: the message's number, the clock and the randomness. */
export interface TemplateContext {
  /** The message's number in the run, from 1. */
  seq: number;
  /** Now, ms since the epoch. */
  nowMs(): number;
  /** A random UUID. */
  uuid(): string;
  /** A random number in [0, 1). */
  random(): number;
}

type Part =
  | { kind: 'text'; text: string }
  | { kind: 'seq' | 'uuid' | 'now' | 'now_ms' }
  | { kind: 'random'; min: number; max: number }
  | { kind: 'pick'; choices: string[] };

/** A parsed template, rendered once per message. */
export interface CompiledTemplate {
  /** The variables it uses, in order of first use. */
  readonly variables: readonly TemplateVariable[];
  /** The text for one message. */
  render(context: TemplateContext): string;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** Splits the inside of a placeholder into words; quoted words keep their spaces. */
function words(inner: string, text: string, offset: number): { word: string; quoted: boolean }[] {
  const out: { word: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < inner.length) {
    const c = inner[i] as string;
    if (c === ' ' || c === '\t') {
      i += 1;
      continue;
    }
    if (c === '"') {
      let word = '';
      let j = i + 1;
      for (; j < inner.length && inner[j] !== '"'; j += 1) {
        if (inner[j] === '\\' && j + 1 < inner.length) j += 1;
        word += inner[j] as string;
      }
      if (j >= inner.length) throw new TemplateError(`a quoted argument is not closed in {{${inner.trim()}}}`, text, offset);
      out.push({ word, quoted: true });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < inner.length && inner[j] !== ' ' && inner[j] !== '\t') j += 1;
    out.push({ word: inner.slice(i, j), quoted: false });
    i = j;
  }
  return out;
}

function integerArg(arg: { word: string; quoted: boolean } | undefined, what: string, fail: (m: string) => never): number {
  if (arg === undefined) fail(`{{random}} needs two whole numbers, MIN and MAX, e.g. {{random 1 100}}`);
  if (arg.quoted || !/^-?\d{1,15}$/.test(arg.word)) fail(`{{random}}: ${what} must be a whole number, not ${JSON.stringify(arg.word)}`);
  return Number(arg.word);
}

function placeholder(inner: string, text: string, offset: number): Part {
  const fail = (message: string): never => {
    throw new TemplateError(message, text, offset);
  };
  const parts = words(inner, text, offset);
  const head = parts[0];
  if (head === undefined) return fail('an empty placeholder {{}}: name a variable (seq, uuid, now, now_ms, random, pick)');
  const args = parts.slice(1);
  const name = head.word;
  switch (name) {
    case 'seq':
    case 'uuid':
    case 'now':
    case 'now_ms':
      if (args.length > 0) fail(`{{${name}}} takes no arguments`);
      return { kind: name };
    case 'random': {
      if (args.length !== 2) fail(`{{random}} needs two whole numbers, MIN and MAX, e.g. {{random 1 100}}`);
      const min = integerArg(args[0], 'MIN', fail);
      const max = integerArg(args[1], 'MAX', fail);
      if (min > max) fail(`{{random ${min} ${max}}}: MIN is greater than MAX`);
      return { kind: 'random', min, max };
    }
    case 'pick': {
      if (args.length === 0) fail('{{pick}} needs at least one quoted choice, e.g. {{pick "IBM" "MSFT"}}');
      const bare = args.find((a) => !a.quoted);
      if (bare !== undefined) fail(`{{pick}}: choices are quoted strings, not ${bare.word}`);
      return { kind: 'pick', choices: args.map((a) => a.word) };
    }
    default:
      return fail(
        `unknown variable ${JSON.stringify(name)} in {{${inner.trim()}}}; known: seq, uuid, now, now_ms, random, pick`,
      );
  }
}

/**
 * Parses a template.
 * @throws TemplateError for an unknown variable, bad arguments or an unclosed `{{`
 */
export function compileTemplate(text: string): CompiledTemplate {
  const parts: Part[] = [];
  const variables: TemplateVariable[] = [];
  let at = 0;
  for (;;) {
    const open = text.indexOf('{{', at);
    if (open < 0) break;
    const close = text.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError('a placeholder opened with {{ is not closed with }}', text, open);
    if (open > at) parts.push({ kind: 'text', text: text.slice(at, open) });
    const part = placeholder(text.slice(open + 2, close), text, open);
    parts.push(part);
    if (part.kind !== 'text' && !variables.includes(part.kind)) variables.push(part.kind);
    at = close + 2;
  }
  if (at < text.length) parts.push({ kind: 'text', text: text.slice(at) });
  return {
    variables,
    render(context) {
      let out = '';
      for (const part of parts) out += renderPart(part, context);
      return out;
    },
  };
}

function renderPart(part: Part, context: TemplateContext): string {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'seq':
      return String(context.seq);
    case 'uuid':
      return context.uuid();
    case 'now':
      return new Date(context.nowMs()).toISOString();
    case 'now_ms':
      return String(context.nowMs());
    case 'random':
      return String(part.min + Math.floor(context.random() * (part.max - part.min + 1)));
    case 'pick':
      return part.choices[Math.floor(context.random() * part.choices.length)] ?? part.choices[0] ?? '';
  }
}

/** The first problem of a template, or undefined when it compiles. */
export function templateProblem(text: string): TemplateError | undefined {
  try {
    compileTemplate(text);
    return undefined;
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
}
