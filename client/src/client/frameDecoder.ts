/**
 * Turns one inbound frame into Messages: a single Message, or one per record of a `sow`
 * batch (each record's header fields laid over the batch header's). Also names the error a
 * frame that cannot be decoded ends the connection with, so the connection core only has to
 * decide what to do with it.
 */
import { StreamError } from '../errors.js';
import type { HeaderFields } from '../protocol/fields.js';
import { decodeHeader } from '../protocol/header.js';
import { Message, type QueueAcker } from '../protocol/message.js';
import { ProtocolError } from '../protocol/protocolError.js';
import { splitSowBatch } from '../protocol/sowBatch.js';

/**
 * One message, or the records of a `sow` batch; every Message gets `acker` for `ack()`.
 * @throws ProtocolError when the header is corrupt or has no command
 */
export function decodeFrame(frame: Buffer, acker: QueueAcker): Message | Message[] {
  const { fields, end, unknown } = decodeHeader(frame, 0, frame.length);
  if (fields.command === undefined) throw new ProtocolError('header has no command "c"', 'bad-header', 0);
  if (fields.command !== 'sow') return Message.fromFrame(fields, frame, end, acker, unknown);
  const out: Message[] = [];
  for (const record of splitSowBatch(frame, end)) {
    const merged: HeaderFields = { ...fields };
    delete merged.sowKey;
    delete merged.correlationId;
    delete merged.length;
    out.push(new Message(Object.assign(merged, record.fields), record.data, acker, unknown));
  }
  return out;
}

/** The error a connection to `peer` fails with when {@link decodeFrame} threw `e`. */
export function frameDecodeError(e: unknown, peer: string): StreamError {
  return e instanceof ProtocolError
    ? new StreamError(`corrupt frame from ${peer}: ${e.message}`, { cause: e, code: e.kind })
    : new StreamError(`cannot decode a frame from ${peer}: ${String(e)}`, { cause: e, code: 'bad-frame' });
}
