/**
 * An adapter giving msgpackr the API and value model of client/src/types/msgpack.ts, so the
 * codecs benchmark times the same work and our tests can run against the library. Library
 * errors become PayloadError (msgpackr reports no byte offset).
 */
import { addExtension, Packr } from 'msgpackr';
import { MsgPackExtension, MsgPackTimestamp } from '../../client/src/types/msgpackExt.js';
import { PayloadError } from '../../client/src/types/payloadError.js';

export { MsgPackExtension, MsgPackTimestamp };
export type { MsgPackValue } from '../../client/src/types/msgpack.js';

function packTimestamp(t: MsgPackTimestamp): Uint8Array {
  const size =
    t.nanoseconds === 0 && t.seconds >= 0n && t.seconds <= 0xffff_ffffn
      ? 4
      : t.seconds >= 0n && t.seconds < 1n << 34n
        ? 8
        : 12;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  if (size === 4) view.setUint32(0, Number(t.seconds));
  else if (size === 8) view.setBigUint64(0, (BigInt(t.nanoseconds) << 34n) | t.seconds);
  else {
    view.setUint32(0, t.nanoseconds);
    view.setBigInt64(4, t.seconds);
  }
  return out;
}

function unpackTimestamp(data: Uint8Array): MsgPackTimestamp {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length === 4) return new MsgPackTimestamp(BigInt(view.getUint32(0)), 0);
  if (data.length === 8) {
    const both = view.getBigUint64(0);
    return new MsgPackTimestamp(both & 0x3_ffff_ffffn, Number(both >> 34n));
  }
  if (data.length === 12) return new MsgPackTimestamp(view.getBigInt64(4), view.getUint32(0));
  throw new PayloadError(
    'msgpack',
    `timestamp extension has ${data.length} data bytes (4, 8 or 12 expected)`,
  );
}

// msgpackr writes an extension under its signed type but looks readers up by the unsigned byte.
addExtension({ Class: MsgPackTimestamp, type: -1, pack: packTimestamp });
addExtension({ type: 0xff, unpack: unpackTimestamp });

/** The library configured as close to our value model as its options allow. */
const packr = new Packr({
  useRecords: false,
  moreTypes: false,
  mapsAsObjects: true,
  variableMapSize: true,
  int64AsType: 'bigint',
  useFloat32: 0,
  encodeUndefinedAsNil: true,
});

function narrow(v: unknown): unknown {
  if (typeof v === 'bigint') {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = narrow(v[i]);
    return v;
  }
  if (v instanceof Uint8Array) return Object.getPrototypeOf(v) === Uint8Array.prototype ? v : plain(v);
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof MsgPackTimestamp) return v;
  if (v instanceof MsgPackExtension) return new MsgPackExtension(v.type, plain(v.data));
  if (v instanceof Map) return v;
  const rec = v as Record<string, unknown>;
  for (const k of Object.keys(rec)) rec[k] = narrow(rec[k]);
  return v;
}

/** A Node Buffer as a plain Uint8Array over the same bytes (what our codec returns). */
function plain(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function wrap<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof PayloadError) throw error;
    throw new PayloadError('msgpack', error instanceof Error ? error.message : String(error));
  }
}

/** Decodes one value with msgpackr (int64 narrowed to number when safe, as ours). */
export function decodeMsgPack(bytes: Uint8Array): unknown {
  if (bytes.length === 0) throw new PayloadError('msgpack', 'empty payload');
  return wrap(() => {
    const value: unknown = packr.unpack(bytes);
    return narrow(value);
  });
}

/** Encodes one value with msgpackr. */
export function encodeMsgPack(value: unknown): Uint8Array {
  return wrap(() => plain(packr.pack(value)));
}
