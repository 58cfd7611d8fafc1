/**
 * MessagePack extension values: an opaque extension (type -128..127 with data) and the
 * standard timestamp extension (type -1) with nanosecond precision.
 */
import { PayloadError } from './payloadError.js';

/** An application extension value that the decoder does not interpret. */
export class MsgPackExtension {
  constructor(
    /** The extension type, -128..127 (negative types are reserved by the spec). */
    readonly type: number,
    /** The extension's data bytes. */
    readonly data: Uint8Array,
  ) {}
}

const NS_PER_MS = 1_000_000n;
const MS_PER_S = 1000n;

/** A MessagePack timestamp (extension type -1): seconds since the Unix epoch plus nanoseconds. */
export class MsgPackTimestamp {
  constructor(
    /** Whole seconds since 1970-01-01T00:00:00Z (may be negative). */
    readonly seconds: bigint,
    /** Nanoseconds within the second, 0..999 999 999. */
    readonly nanoseconds: number,
  ) {
    if (!Number.isInteger(nanoseconds) || nanoseconds < 0 || nanoseconds > 999_999_999) {
      throw new PayloadError('msgpack', `timestamp nanoseconds ${nanoseconds} outside 0..999999999`);
    }
  }

  /** The timestamp of a Date (millisecond precision). */
  static fromDate(date: Date): MsgPackTimestamp {
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw new PayloadError('msgpack', 'cannot encode an invalid Date');
    const total = BigInt(ms);
    let seconds = total / MS_PER_S;
    let rest = total % MS_PER_S;
    if (rest < 0n) {
      rest += MS_PER_S;
      seconds -= 1n;
    }
    return new MsgPackTimestamp(seconds, Number(rest * NS_PER_MS));
  }

  /** The Date of this timestamp, truncated to milliseconds (invalid when out of Date's range). */
  toDate(): Date {
    const ms = this.seconds * MS_PER_S + BigInt(Math.floor(this.nanoseconds / 1_000_000));
    return ms > 8_640_000_000_000_000n || ms < -8_640_000_000_000_000n ? new Date(NaN) : new Date(Number(ms));
  }

  /** ISO-8601 UTC with nine fractional digits, e.g. `2024-01-02T03:04:05.000000006Z`. */
  toISOString(): string {
    if (this.seconds > 8_640_000_000_000n || this.seconds < -8_640_000_000_000n) {
      return `${this.seconds}s ${this.nanoseconds}ns since 1970-01-01T00:00:00Z`;
    }
    const iso = new Date(Number(this.seconds) * 1000).toISOString();
    return `${iso.slice(0, -5)}.${String(this.nanoseconds).padStart(9, '0')}Z`;
  }
}
