/**
 * The `o` options header (spec §4.2): a comma list whose values may be bracketed
 * (`conflation_key=[/a,/b]`) so that they can contain commas.
 */

/** Parsed options: name → value (`''` for flags such as `oof`). Names are lower case. */
export type OptionMap = Map<string, string>;

/**
 * Splits an options string.
 * @throws Error naming the problem (unbalanced brackets)
 */
export function parseOptions(text: string | undefined): OptionMap {
  const out: OptionMap = new Map();
  if (!text) return out;
  let depth = 0;
  let start = 0;
  const parts: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '[') depth++;
    else if (ch === ']') {
      depth--;
      if (depth < 0) throw new Error(`unbalanced "]" at offset ${i} in options "${text}"`);
    } else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) throw new Error(`unclosed "[" in options "${text}"`);
  parts.push(text.slice(start));
  for (const raw of parts) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) out.set(part.toLowerCase(), '');
    else out.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return out;
}

/** Reads a non-negative integer option; undefined when absent; throws when malformed. */
export function intOption(options: OptionMap, name: string): number | undefined {
  const v = options.get(name);
  if (v === undefined) return undefined;
  if (!/^\d{1,9}$/.test(v)) throw new Error(`option ${name} must be a non-negative integer, got "${v}"`);
  return Number(v);
}

/**
 * Parses an interval such as `100ms`, `1s`, `2m`, `1h` or a bare number of milliseconds.
 * @returns milliseconds, or undefined when the text is not an interval
 */
export function parseInterval(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  switch (m[2]) {
    case 's':
      return n * 1000;
    case 'm':
      return n * 60_000;
    case 'h':
      return n * 3_600_000;
    default:
      return n;
  }
}
