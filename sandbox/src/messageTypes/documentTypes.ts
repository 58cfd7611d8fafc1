/**
 * Document message types (spec §13): MessagePack and BSON, identifiers `/key/...`.
 * Delta publish merges the decoded trees as JSON does (§9.1) and re-encodes them, so
 * typed values (int64, binary, dates) keep their type.
 */
import { isDeepStrictEqual } from 'node:util';
import { decodeBson, decodeMsgPack, encodeBson, encodeMsgPack } from '../../../client/src/types/index.js';
import type { MessageTypeCodec } from '../messageTypes.js';
import { guarded } from './parseError.js';
import { isPlainObject, toPlain } from './plain.js';

type Tree = Record<string, unknown>;

/** §9.1 merge over decoded trees: nested objects merge, everything else replaces, NULLs ignored. */
export function mergeTrees(old: unknown, update: unknown): unknown {
  if (!isPlainObject(old) || !isPlainObject(update)) return update;
  const out: Tree = { ...old };
  for (const [k, v] of Object.entries(update)) {
    if (v === null) continue;
    const prev = out[k];
    out[k] = isPlainObject(v) && isPlainObject(prev) ? mergeTrees(prev, v) : v;
  }
  return out;
}

function diffTrees(old: Tree, next: Tree): Tree | undefined {
  let out: Tree | undefined;
  for (const [k, v] of Object.entries(next)) {
    const prev = old[k];
    if (isPlainObject(v) && isPlainObject(prev)) {
      const sub = diffTrees(prev, v);
      if (sub !== undefined) (out ??= {})[k] = sub;
    } else if (!(k in old) || !isDeepStrictEqual(prev, v)) {
      (out ??= {})[k] = v;
    }
  }
  return out;
}

function copyKeyPath(from: Tree, to: Tree, path: string): void {
  const steps = path.split('/').filter((s) => s !== '');
  let src: unknown = from;
  let dst = to;
  steps.forEach((step, i) => {
    if (!isPlainObject(src) || !(step in src)) {
      src = undefined;
      return;
    }
    src = src[step];
    if (i === steps.length - 1) dst[step] = src;
    else {
      const existing = dst[step];
      dst = isPlainObject(existing) ? existing : (dst[step] = {});
    }
  });
}

function documentCodec(
  name: 'msgpack' | 'bson',
  decode: (data: Buffer) => unknown,
  encode: (doc: unknown) => Uint8Array,
): MessageTypeCodec {
  const read = (data: Buffer): unknown => guarded(name, () => decode(data));
  const write = (doc: unknown): Buffer => Buffer.from(guarded(name, () => encode(doc)));
  return {
    name,
    parsable: true,
    parse: (data) => toPlain(read(data)),
    merge: (old, update) => write(mergeTrees(read(old), read(update))),
    diff(old, next, keyPaths) {
      const before = read(old);
      const after = read(next);
      if (!isPlainObject(before) || !isPlainObject(after)) return { data: next, changed: true };
      const delta = diffTrees(before, after);
      const out: Tree = delta ?? {};
      for (const p of keyPaths) copyKeyPath(after, out, p);
      return { data: write(out), changed: delta !== undefined };
    },
  };
}

/** MessagePack: one map per message. */
export const msgpackCodec = documentCodec('msgpack', decodeMsgPack, encodeMsgPack);

/** BSON: one document per message. */
export const bsonCodec = documentCodec('bson', decodeBson, (doc) => {
  if (!isPlainObject(doc)) throw new Error('a BSON message must be a document');
  return encodeBson(doc);
});
