/**
 * The JSON check of a bulk file's records. Building each value (JSON.parse) cost about as much
 * as sending it, so the common record, a flat object of strings, numbers, booleans and nulls,
 * is recognised by one regular expression (run as native code) without building anything;
 * anything else goes to JSON.parse. The expression accepts only JSON that JSON.parse accepts
 * (a property test holds it to that).
 */

const SPACE = '[ \\t\\n\\r]*';
const STRING = '"(?:[^"\\\\\\u0000-\\u001f]|\\\\(?:["\\\\/bfnrt]|u[0-9a-fA-F]{4}))*"';
const NUMBER = '-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?';
const SCALAR = `(?:${STRING}|${NUMBER}|true|false|null)`;
const MEMBER = `${STRING}${SPACE}:${SPACE}${SCALAR}${SPACE}`;

/** A flat JSON object: `{"name": scalar, …}` with JSON's white space only. */
export const FLAT_OBJECT = new RegExp(`^${SPACE}\\{${SPACE}(?:${MEMBER}(?:,${SPACE}${MEMBER})*)?\\}${SPACE}$`);

/** Undefined when `text` is one JSON value, else JSON.parse's message of what is wrong. */
export function jsonProblem(text: string): string | undefined {
  if (FLAT_OBJECT.test(text)) return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
