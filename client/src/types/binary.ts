/**
 * Hex dumps for display of `binary` payloads and of any payload that failed to decode,
 * in the layout of the protocol spec's dumps: offset, sixteen hex bytes, ASCII.
 */
import { PayloadError } from './payloadError.js';

/** One row of a hex dump. */
export interface HexRow {
  /** Offset of the row's first byte. */
  offset: number;
  /** The row's bytes as lower-case hex pairs separated by single spaces. */
  hex: string;
  /** The row's bytes as ASCII; bytes outside 0x20..0x7e shown as `.`. */
  ascii: string;
}

/** A hex dump of (the first part of) a payload. */
export interface HexDump {
  /** The rows, `bytesPerRow` bytes each (the last may be shorter). */
  rows: HexRow[];
  /** Length of the whole payload in bytes. */
  length: number;
  /** True when only the first `maxBytes` bytes were dumped. */
  truncated: boolean;
}

/** Options of {@link hexDump}. */
export interface HexDumpOptions {
  /** Bytes per row (default 16). */
  bytesPerRow?: number;
  /** Dump at most this many bytes (default 65536). */
  maxBytes?: number;
}

const HEX = '0123456789abcdef';

/** Lower-case hex of the bytes, no separators. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b >> 4]! + HEX[b & 15]!;
  return out;
}

/** Parses hex (whitespace ignored) into bytes; throws a {@link PayloadError} on bad input. */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 !== 0) throw new PayloadError('binary', 'hex text has an odd number of digits');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) {
    const pair = clean.slice(i * 2, i * 2 + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(pair)) {
      throw new PayloadError('binary', `'${pair}' is not a hex byte`, i);
    }
    out[i] = parseInt(pair, 16);
  }
  return out;
}

/** Builds the rows of a hex dump. */
export function hexDump(bytes: Uint8Array, options: HexDumpOptions = {}): HexDump {
  const perRow = Math.max(1, Math.floor(options.bytesPerRow ?? 16));
  const max = Math.max(0, options.maxBytes ?? 65536);
  const shown = Math.min(bytes.length, max);
  const rows: HexRow[] = [];
  for (let off = 0; off < shown; off += perRow) {
    const end = Math.min(off + perRow, shown);
    const hex: string[] = [];
    let ascii = '';
    for (let i = off; i < end; i++) {
      const b = bytes[i] as number;
      hex.push(HEX[b >> 4]! + HEX[b & 15]!);
      ascii += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.';
    }
    rows.push({ offset: off, hex: hex.join(' '), ascii });
  }
  return { rows, length: bytes.length, truncated: shown < bytes.length };
}

/**
 * Formats a dump as text, one line per row: `0000  2a 69 64 ...  *id...`. Offsets have
 * at least four hex digits, more when the payload needs them.
 */
export function formatHexDump(dump: HexDump, bytesPerRow = 16): string {
  const width = Math.max(4, (Math.max(dump.length, 1) - 1).toString(16).length);
  const hexWidth = bytesPerRow * 3 - 1;
  const lines = dump.rows.map(
    (r) => `${r.offset.toString(16).padStart(width, '0')}  ${r.hex.padEnd(hexWidth, ' ')}  ${r.ascii}`,
  );
  if (dump.truncated) lines.push(`... ${dump.length} bytes in all`);
  return lines.join('\n');
}
