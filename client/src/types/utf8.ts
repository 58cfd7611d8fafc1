/**
 * Strict UTF-8 helpers: decoding that reports the byte offset of the first bad sequence,
 * and conversions between string indexes and byte offsets for error positions.
 */
import { PayloadError } from './payloadError.js';
import type { PayloadFormat } from './payloadError.js';

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const encoder = new TextEncoder();
/** Strings up to this many bytes/chars take the hand-written paths. */
const SHORT_STRING = 32;

/** Encodes a string as UTF-8 (lone surrogates become U+FFFD). */
export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8, replacing bad sequences with U+FFFD; for display of untrusted bytes. */
export function decodeUtf8Lenient(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

/**
 * Decodes UTF-8 strictly. A byte-order mark is kept as U+FEFF. Throws a
 * {@link PayloadError} naming the offset (plus `baseOffset`) of the first bad byte.
 */
export function decodeUtf8(bytes: Uint8Array, format: PayloadFormat, baseOffset = 0, what = 'text'): string {
  // Short ASCII strings (most keys and values) are cheaper to build by hand than through TextDecoder.
  if (bytes.length <= SHORT_STRING) {
    let ascii = '';
    let i = 0;
    for (; i < bytes.length; i++) {
      const b = bytes[i] as number;
      if (b >= 0x80) break;
      ascii += String.fromCharCode(b);
    }
    if (i === bytes.length) return ascii;
  }
  try {
    return strictDecoder.decode(bytes);
  } catch {
    const bad = findInvalidUtf8(bytes);
    throw new PayloadError(format, `invalid UTF-8 in ${what}`, baseOffset + Math.max(bad, 0));
  }
}

/** True when the bytes are well-formed UTF-8. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  return findInvalidUtf8(bytes) < 0;
}

function isContinuation(b: number | undefined): boolean {
  return b !== undefined && (b & 0xc0) === 0x80;
}

/** Offset of the first byte of the first ill-formed UTF-8 sequence, or -1 when all is well. */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i;
    const second = bytes[i + 1];
    if (second === undefined || second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) if (!isContinuation(bytes[i + k])) return i;
    i += need + 1;
  }
  return -1;
}

/** Byte length of the UTF-8 encoding of `text.slice(0, index)`. */
export function utf8ByteOffset(text: string, index: number): number {
  let bytes = 0;
  const end = Math.min(index, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Byte length of the UTF-8 encoding of `text` (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  return utf8ByteOffset(text, text.length);
}

/**
 * Writes the UTF-8 encoding of `text` into `out` at `at` (which must have room for
 * `utf8Length(text)` bytes) and returns the offset after it. Lone surrogates become U+FFFD,
 * as with TextEncoder.
 */
export function writeUtf8(text: string, out: Uint8Array, at: number): number {
  if (text.length > SHORT_STRING) return at + encoder.encodeInto(text, out.subarray(at)).written;
  let p = at;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[p++] = c;
      continue;
    }
    if (c < 0x800) {
      out[p++] = 0xc0 | (c >> 6);
      out[p++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = text.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        out[p++] = 0xf0 | (cp >> 18);
        out[p++] = 0x80 | ((cp >> 12) & 0x3f);
        out[p++] = 0x80 | ((cp >> 6) & 0x3f);
        out[p++] = 0x80 | (cp & 0x3f);
        i++;
        continue;
      }
      c = 0xfffd;
    }
    out[p++] = 0xe0 | (c >> 12);
    out[p++] = 0x80 | ((c >> 6) & 0x3f);
    out[p++] = 0x80 | (c & 0x3f);
  }
  return p;
}
