/**
 * Length-prefixed framing (spec §1.2): every message is preceded by a u32be byte count
 * of header + payload. Frames may arrive split across reads or several per read.
 */
import { ProtocolError } from './protocolError.js';

/** Bytes in the length prefix. */
export const PREFIX_BYTES = 4;

/** Writes a complete frame (prefix, header, payload) into one new buffer. */
export function encodeFrame(header: Uint8Array, payload?: Uint8Array): Buffer {
  const bodyLength = header.length + (payload ? payload.length : 0);
  const out = Buffer.allocUnsafe(PREFIX_BYTES + bodyLength);
  out.writeUInt32BE(bodyLength, 0);
  out.set(header, PREFIX_BYTES);
  if (payload) out.set(payload, PREFIX_BYTES + header.length);
  return out;
}

/** Returns only the 4-byte prefix for a frame of the given body length (for vectored writes). */
export function encodePrefix(bodyLength: number): Buffer {
  const out = Buffer.allocUnsafe(PREFIX_BYTES);
  out.writeUInt32BE(bodyLength, 0);
  return out;
}

/**
 * Incremental frame reader. Feed it chunks in arrival order; it calls `onFrame` once per
 * complete frame. Zero-length frames are skipped. A frame over `maxFrameBytes` makes
 * `push` throw a {@link ProtocolError}; after that the reader refuses all input, since
 * the stream can no longer be trusted.
 */
export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes needed before the pending chunks hold a whole frame (0 = unknown yet). */
  private needed = 0;
  private failed: ProtocolError | undefined;

  constructor(
    private readonly onFrame: (frame: Buffer) => void,
    private readonly maxFrameBytes: number,
  ) {}

  /** Bytes held while waiting for the rest of a frame. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** Consumes one chunk. Frames handed to `onFrame` may share memory with the chunk. */
  push(chunk: Buffer): void {
    if (this.failed) throw this.failed;
    let buf = chunk;
    let offset = 0;
    if (this.pendingBytes > 0) {
      const needed = this.needed;
      if (needed > 0 && this.pendingBytes + chunk.length >= needed) {
        // The frame begun in earlier chunks ends in this one: join only its own bytes, then
        // go on reading this chunk where that frame ends.
        offset = needed - this.pendingBytes;
        this.pending.push(chunk.subarray(0, offset));
        const joined = Buffer.concat(this.pending, needed);
        this.pending = [];
        this.pendingBytes = 0;
        this.needed = 0;
        this.onFrame(joined.subarray(PREFIX_BYTES));
      } else {
        this.pending.push(chunk);
        this.pendingBytes += chunk.length;
        // A big frame arrives in many chunks: join them once, when the frame is complete.
        if (needed > 0) return;
        buf = Buffer.concat(this.pending, this.pendingBytes);
        this.pending = [];
        this.pendingBytes = 0;
      }
    }
    const end = buf.length;
    while (end - offset >= PREFIX_BYTES) {
      // The u32be prefix, read in line (cheaper per frame than readUInt32BE's argument checks).
      const length =
        (((buf[offset] as number) << 24) |
          ((buf[offset + 1] as number) << 16) |
          ((buf[offset + 2] as number) << 8) |
          (buf[offset + 3] as number)) >>>
        0;
      if (length > this.maxFrameBytes) {
        this.failed = new ProtocolError(
          `frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes} bytes`,
          'frame-too-large',
        );
        throw this.failed;
      }
      if (end - offset - PREFIX_BYTES < length) {
        this.needed = PREFIX_BYTES + length;
        break;
      }
      const start = offset + PREFIX_BYTES;
      offset = start + length;
      if (length > 0) this.onFrame(buf.subarray(start, offset));
    }
    if (offset < end) {
      // Keep only the unread tail; copy it so the caller may reuse its chunk.
      const tail = Buffer.from(buf.subarray(offset));
      this.pending.push(tail);
      this.pendingBytes = tail.length;
    } else {
      this.needed = 0;
    }
  }
}
