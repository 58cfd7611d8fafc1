/**
 * An adapter giving @msgpack/msgpack the API of client/src/types/msgpack.ts (timestamps as
 * our MsgPackTimestamp, int64 narrowed to number when safe), for the codecs benchmark and to
 * run our tests against the library.
 */
import { Decoder, Encoder, ExtData, ExtensionCodec } from '@msgpack/msgpack';
import { MsgPackExtension, MsgPackTimestamp } from '../../client/src/types/msgpackExt.js';
import { PayloadError } from '../../client/src/types/payloadError.js';

export { MsgPackExtension, MsgPackTimestamp };
export type { MsgPackValue } from '../../client/src/types/msgpack.js';

const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: -1,
  encode(input: unknown): Uint8Array | null {
    if (input instanceof MsgPackExtension) return null;
    if (!(input instanceof MsgPackTimestamp)) return null;
    const t = input;
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
  },
  decode(data: Uint8Array): MsgPackTimestamp {
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
  },
});

const encoder = new Encoder({ extensionCodec, useBigInt64: true, ignoreUndefined: true });
const decoder = new Decoder({ extensionCodec, useBigInt64: true });

function narrow(v: unknown): unknown {
  if (typeof v === 'bigint') {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = narrow(v[i]);
    return v;
  }
  if (v instanceof ExtData)
    return new MsgPackExtension(v.type, v.data instanceof Uint8Array ? v.data : new Uint8Array(0));
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array || v instanceof MsgPackTimestamp)
    return v;
  const rec = v as Record<string, unknown>;
  for (const k of Object.keys(rec)) rec[k] = narrow(rec[k]);
  return v;
}

function wrap<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof PayloadError) throw error;
    throw new PayloadError('msgpack', error instanceof Error ? error.message : String(error));
  }
}

/** Decodes one value with @msgpack/msgpack. */
export function decodeMsgPack(bytes: Uint8Array): unknown {
  if (bytes.length === 0) throw new PayloadError('msgpack', 'empty payload');
  return wrap(() => {
    return narrow(decoder.decode(bytes));
  });
}

/** Encodes one value with @msgpack/msgpack. */
export function encodeMsgPack(value: unknown): Uint8Array {
  return wrap(() => encoder.encode(value));
}
