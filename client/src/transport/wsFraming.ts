/**
 * Inbound WebSocket reassembly (spec §1.10.1): the server sends each AMPS message as one or
 * more WebSocket messages with no count prefix. This turns them back into the frame layout
 * of a stream transport (header bytes + payload bytes; for `sow` batches the outer header
 * followed by record header + record data for each record), so the layers above see one shape.
 *
 * Also tolerated: the Go-client variant (spec §1.10.2), a binary message holding one whole
 * length-prefixed frame.
 */
import { decodeHeader } from '../protocol/header.js';
import { ProtocolError } from '../protocol/protocolError.js';

type State =
  | { kind: 'header' }
  | { kind: 'body'; header: Buffer }
  | { kind: 'recordHeader'; parts: Buffer[]; remaining: number }
  | {
      kind: 'recordData';
      parts: Buffer[];
      remaining: number;
      recordHeader: Buffer;
      hasLength: string | undefined;
    };

const OPEN_BRACE = 0x7b;

/** Reassembles server WebSocket messages into frames. */
export class WebSocketReassembler {
  private state: State = { kind: 'header' };

  constructor(
    private readonly onFrame: (frame: Buffer) => void,
    private readonly maxFrameBytes: number,
  ) {}

  /** True while a multi-message unit is incomplete. */
  get midMessage(): boolean {
    return this.state.kind !== 'header';
  }

  /**
   * Consumes one WebSocket message.
   * @throws ProtocolError when the sequence breaks the framing
   */
  push(data: Buffer, isBinary: boolean): void {
    const state = this.state;
    switch (state.kind) {
      case 'header':
        this.header(data, isBinary);
        return;
      case 'body':
        this.state = { kind: 'header' };
        this.emit([state.header, data]);
        return;
      case 'recordHeader': {
        const fields = this.parseHeader(data, 'sow record header');
        this.state = { ...state, kind: 'recordData', recordHeader: data, hasLength: fields.length };
        return;
      }
      case 'recordData': {
        state.parts.push(withLength(state.recordHeader, state.hasLength, data.length), data);
        if (state.remaining <= 1) {
          this.state = { kind: 'header' };
          this.emit(state.parts);
        } else {
          this.state = { kind: 'recordHeader', parts: state.parts, remaining: state.remaining - 1 };
        }
        return;
      }
    }
  }

  private header(data: Buffer, isBinary: boolean): void {
    if (isBinary && data[0] !== OPEN_BRACE) {
      // Go variant: u32be length followed by exactly that many bytes.
      if (data.length >= 4 && data.readUInt32BE(0) === data.length - 4) {
        if (data.length > 4) this.emit([data.subarray(4)]);
        return;
      }
      throw new ProtocolError(
        `unexpected binary WebSocket message of ${data.length} bytes where a header was expected`,
        'bad-websocket-sequence',
      );
    }
    const fields = this.parseHeader(data, 'header');
    const command = fields.command;
    if (command === 'p' || command === 'publish' || command === 'oof' || command === 'delta_publish') {
      // 5.3.4 semantics: l = 0 means no body message follows. A server should never send
      // `delta_publish` (spec Appendix A), but one that does still sends a body after it.
      if (fields.length !== undefined && /^0+$/.test(fields.length)) this.emit([data]);
      else this.state = { kind: 'body', header: data };
      return;
    }
    if (command === 'sow') {
      const bs = fields.batchSize;
      if (bs === undefined || !/^\d+$/.test(bs)) {
        throw new ProtocolError(
          'sow batch header over WebSocket has no numeric "bs"',
          'bad-websocket-sequence',
        );
      }
      const count = Number(bs);
      if (count === 0) this.emit([data]);
      else this.state = { kind: 'recordHeader', parts: [data], remaining: count };
      return;
    }
    // ack, group_begin, group_end, heartbeat and anything else: header only.
    this.emit([data]);
  }

  private parseHeader(data: Buffer, what: string): ReturnType<typeof decodeHeader>['fields'] {
    try {
      return decodeHeader(data).fields;
    } catch (e) {
      if (e instanceof ProtocolError) {
        throw new ProtocolError(
          `malformed ${what} in WebSocket message: ${e.message}`,
          'bad-websocket-sequence',
        );
      }
      throw e;
    }
  }

  private emit(parts: Buffer[]): void {
    let total = 0;
    for (const p of parts) total += p.length;
    if (total > this.maxFrameBytes) {
      throw new ProtocolError(
        `message of ${total} bytes exceeds the limit of ${this.maxFrameBytes} bytes`,
        'frame-too-large',
      );
    }
    this.onFrame(parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, total));
  }
}

/**
 * Returns the record header with `l` equal to the data length: unchanged when it already
 * says so, otherwise with `"l":<n>` added before the closing brace (a wrong `l` is replaced).
 */
function withLength(header: Buffer, current: string | undefined, length: number): Buffer {
  if (current === String(length)) return header;
  let text = header.toString('utf8').trimEnd();
  if (current !== undefined) {
    // Drop the existing l / msg_len pair (quoted or bare value), then add the right one.
    text = text.replace(
      /(,?)\s*"(?:l|msg_len)"\s*:\s*("[^"]*"|[^,}\s]*)\s*(,?)/,
      (_m, before: string, _v, after: string) => (before && after ? ',' : ''),
    );
  }
  const close = text.lastIndexOf('}');
  const inner = text.slice(1, close).trim();
  return Buffer.from(`{${inner}${inner.length > 0 ? ',' : ''}"l":${length}}`);
}
