/**
 * Server-side header emission (spec §1.4, §3.1): compact JSON with `c` first and only the
 * keys official clients parse, via the client's header codec; `s` is never the last key.
 */
import type { HeaderFields } from '../../client/src/protocol/fields.js';
import { encodeHeader } from '../../client/src/protocol/header.js';

/** Encodes a server → client header (`s` is placed so that it is never the last key). */
export function serverHeader(fields: HeaderFields): string {
  return encodeHeader(fields, 'server');
}

/** Ack types a command may request (spec §5.1). */
export type AckType = 'received' | 'parsed' | 'processed' | 'persisted' | 'completed' | 'stats';

/** Parses the `a` header into the set of requested ack types. */
export function parseAckTypes(text: string | undefined): Set<string> {
  const out = new Set<string>();
  if (!text) return out;
  for (const part of text.split(',')) {
    const t = part.trim().toLowerCase();
    if (t !== '' && t !== 'none') out.add(t);
  }
  return out;
}

/** Writes a SOW record sub-header (spec §7.2): `k`, `l`, then `x`, `ts`, `bm` when present. */
export function recordHeader(
  key: string | undefined,
  length: number,
  x?: string,
  ts?: string,
  bm?: string,
): string {
  let out = '{';
  if (key !== undefined) out += `"k":${JSON.stringify(key)},`;
  out += `"l":${length}`;
  if (x !== undefined) out += `,"x":${JSON.stringify(x)}`;
  if (ts !== undefined) out += `,"ts":"${ts}"`;
  if (bm !== undefined) out += `,"bm":${JSON.stringify(bm)}`;
  return out + '}';
}
