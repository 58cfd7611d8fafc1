/** Character tests and escapes of the JavaScript regex dialect, for the backtracking matcher. */

/** A test on one UTF-16 code unit. */
export type CodeTest = (code: number) => boolean;

/** `\w`: ASCII letters, digits and `_`. */
export const isWord = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** `\s`: JavaScript white space and line terminators. */
export const isSpace = (c: number): boolean =>
  (c >= 9 && c <= 13) ||
  c === 32 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;
/** `\d`: ASCII digits. */
export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** A code unit in lower case (itself when it has none). */
export const lowerCode = (c: number): number => String.fromCharCode(c).toLowerCase().charCodeAt(0);
/** A code unit in upper case (itself when it has none). */
export const upperCode = (c: number): number => String.fromCharCode(c).toUpperCase().charCodeAt(0);

const CONTROL_ESCAPES: Readonly<Record<string, number>> = { n: 10, r: 13, t: 9, f: 12, v: 11, '0': 0 };

/**
 * Reads one escape of JavaScript-dialect source (`at` is just after the backslash): a code-unit
 * test (`\d`, `\w`, …) or one code unit, and where the escape ends.
 * @throws Error naming an escape it cannot read
 */
export function readEscape(
  source: string,
  at: number,
  inClass: boolean,
): { value: CodeTest | number; end: number } {
  let i = at;
  const fail = (what: string): never => {
    throw new Error(what);
  };
  const value = ((): CodeTest | number => {
    const e = source[i++];
    if (e === undefined) return fail('trailing backslash');
    switch (e) {
      case 'd':
        return isDigit;
      case 'D':
        return (c) => !isDigit(c);
      case 'w':
        return isWord;
      case 'W':
        return (c) => !isWord(c);
      case 's':
        return isSpace;
      case 'S':
        return (c) => !isSpace(c);
      case 'b':
        if (inClass) return 8;
        break;
      case 'x': {
        const hex = /^[0-9A-Fa-f]{2}/.exec(source.slice(i));
        if (hex === null) return 'x'.charCodeAt(0);
        i += 2;
        return parseInt(hex[0], 16);
      }
      case 'u': {
        const hex = /^[0-9A-Fa-f]{4}/.exec(source.slice(i));
        if (hex === null) return 'u'.charCodeAt(0);
        i += 4;
        return parseInt(hex[0], 16);
      }
      case 'c': {
        const letter = source[i];
        if (letter !== undefined && /[A-Za-z]/.test(letter)) {
          i++;
          return letter.charCodeAt(0) % 32;
        }
        return fail('\\c escape');
      }
      default:
    }
    const control = CONTROL_ESCAPES[e];
    if (control !== undefined && !(e === '0' && isDigit(source.charCodeAt(i)))) return control;
    if (/[1-9]/.test(e)) return fail('numbered escape');
    return e.charCodeAt(0);
  })();
  return { value, end: i };
}
