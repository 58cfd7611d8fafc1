/**
 * Flat message types (spec §13.1, §13.2): FIX (`/55`), NVFIX (`/Name`) and BFlat (`/tag`).
 * Delta publish merges field by field; a delta subscriber gets the key fields plus the
 * fields whose value changed, in the topic's own encoding.
 */
import { isDeepStrictEqual } from 'node:util';
import type { BFlatField } from '../../../client/src/types/index.js';
import {
  decodeBFlatFields,
  encodeBFlatFields,
  FixBuilder,
  FixShredder,
  NvfixBuilder,
  NvfixShredder,
} from '../../../client/src/types/index.js';
import type { DeltaOutcome, MessageTypeCodec } from '../messageTypes.js';
import { guarded } from './parseError.js';
import { plainScalar } from './plain.js';

/** How one flat type names, compares and re-encodes its fields. */
interface FieldAccess<F> {
  name(f: F): string;
  isNull(f: F): boolean;
  same(a: F, b: F): boolean;
}

/** Update fields replace same-named old ones in place, new ones are appended, NULLs ignored. */
function mergeFields<F>(old: readonly F[], update: readonly F[], a: FieldAccess<F>): F[] {
  const out = old.slice();
  const at = new Map<string, number>();
  out.forEach((f, i) => at.set(a.name(f), i));
  for (const u of update) {
    if (a.isNull(u)) continue;
    const i = at.get(a.name(u));
    if (i === undefined) {
      at.set(a.name(u), out.length);
      out.push(u);
    } else {
      out[i] = u;
    }
  }
  return out;
}

/** Key fields plus the fields that are new or changed, in the new record's order. */
function diffFields<F>(
  old: readonly F[],
  next: readonly F[],
  keyPaths: readonly string[],
  a: FieldAccess<F>,
): { fields: F[]; changed: boolean } {
  const keys = new Set(keyPaths.map((p) => p.replace(/^\//, '')));
  const before = new Map<string, F>();
  for (const f of old) before.set(a.name(f), f);
  let changed = false;
  const fields: F[] = [];
  for (const f of next) {
    const prev = before.get(a.name(f));
    const differs = prev === undefined || !a.same(prev, f);
    if (differs) changed = true;
    if (differs || keys.has(a.name(f))) fields.push(f);
  }
  return { fields, changed };
}

interface TextField {
  name: string;
  value: string | null;
}

const textAccess: FieldAccess<TextField> = {
  name: (f) => f.name,
  isNull: (f) => f.value === null,
  same: (x, y) => x.value === y.value,
};

function textFieldCodec(
  name: 'fix' | 'nvfix',
  shred: (data: Buffer) => TextField[],
  build: (fields: readonly TextField[]) => Buffer,
): MessageTypeCodec {
  const read = (data: Buffer): TextField[] => guarded(name, () => shred(data));
  return {
    name,
    parsable: true,
    parse(data) {
      const doc: Record<string, string | null> = {};
      for (const f of read(data)) doc[f.name] = f.value;
      return doc;
    },
    merge: (old, update) => build(mergeFields(read(old), read(update), textAccess)),
    diff(old, next, keyPaths): DeltaOutcome {
      const d = diffFields(read(old), read(next), keyPaths, textAccess);
      return { data: build(d.fields), changed: d.changed };
    },
  };
}

const fixShredder = new FixShredder();
const nvfixShredder = new NvfixShredder();

/** FIX: numeric tags, identifiers `/55`. */
export const fixCodec = textFieldCodec(
  'fix',
  (data) => fixShredder.toFields(data).map((f) => ({ name: String(f.tag), value: f.value })),
  (fields) => {
    const b = new FixBuilder();
    for (const f of fields) b.append(f.name, f.value);
    return Buffer.from(b.getBytes());
  },
);

/** NVFIX: named fields, identifiers `/Name`. */
export const nvfixCodec = textFieldCodec(
  'nvfix',
  (data) => nvfixShredder.toFields(data).map((f) => ({ name: f.name, value: f.value })),
  (fields) => {
    const b = new NvfixBuilder();
    for (const f of fields) b.append(f.name, f.value);
    return Buffer.from(b.getBytes());
  },
);

const bflatAccess: FieldAccess<BFlatField> = {
  name: (f) => f.tag,
  isNull: (f) => f.type === 'null',
  same: (x, y) => x.type === y.type && x.array === y.array && isDeepStrictEqual(x.value, y.value),
};

const readBFlat = (data: Buffer): BFlatField[] => guarded('bflat', () => decodeBFlatFields(data));
const writeBFlat = (fields: readonly BFlatField[]): Buffer => Buffer.from(encodeBFlatFields(fields));

/** BFlat: typed tags, identifiers `/tag` (no nesting); a repeated tag keeps its first value. */
export const bflatCodec: MessageTypeCodec = {
  name: 'bflat',
  parsable: true,
  parse(data) {
    const doc: Record<string, unknown> = {};
    for (const f of readBFlat(data)) {
      if (f.tag in doc) continue;
      doc[f.tag] = Array.isArray(f.value) ? f.value.map(plainScalar) : plainScalar(f.value);
    }
    return doc;
  },
  merge: (old, update) => writeBFlat(mergeFields(readBFlat(old), readBFlat(update), bflatAccess)),
  diff(old, next, keyPaths) {
    const d = diffFields(readBFlat(old), readBFlat(next), keyPaths, bflatAccess);
    return { data: writeBFlat(d.fields), changed: d.changed };
  },
};
