/**
 * Byte-level lookup of header keys (spec §3.4): finds the logical field of a wire key straight
 * from the frame's bytes, so decoding a header builds no string for its keys.
 */
import { FIELD_BY_KEY, type FieldName } from './fields.js';

/** Slots of the open-addressing table (a power of two, several times the alias count). */
const SLOTS = 512;
const MASK = SLOTS - 1;

const slotKey: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(SLOTS).fill(undefined);
const slotField: (FieldName | undefined)[] = new Array<FieldName | undefined>(SLOTS).fill(undefined);

function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = end - start;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + (buf[i] as number)) | 0;
  return h ^ (h >>> 9);
}

/** Fields of the one-byte keys (`c`, `t`, `s`, ...), by that byte: found without hashing. */
const ONE_BYTE: (FieldName | undefined)[] = new Array<FieldName | undefined>(256).fill(undefined);

for (const [key, field] of FIELD_BY_KEY) {
  if (key.length === 1) ONE_BYTE[key.charCodeAt(0)] = field;
  const bytes = Buffer.from(key, 'latin1');
  let slot = hashBytes(bytes, 0, bytes.length) & MASK;
  while (slotKey[slot] !== undefined) slot = (slot + 1) & MASK;
  slotKey[slot] = bytes;
  slotField[slot] = field;
}

/**
 * The field whose key (any alias) is the plain ASCII text `buf[start, end)`, or undefined
 * for a key outside the AMPS header table.
 */
export function fieldOfKeyBytes(buf: Uint8Array, start: number, end: number): FieldName | undefined {
  const length = end - start;
  if (length === 1) return ONE_BYTE[buf[start] as number];
  let slot = hashBytes(buf, start, end) & MASK;
  for (;;) {
    const key = slotKey[slot];
    if (key === undefined) return undefined;
    if (key.length === length) {
      let i = 0;
      while (i < length && key[i] === buf[start + i]) i++;
      if (i === length) return slotField[slot];
    }
    slot = (slot + 1) & MASK;
  }
}
