/**
 * SOW batch splitting (spec §7.2): the payload of a `sow` frame is a sequence of
 * record sub-messages, each a record header carrying `l` followed by exactly `l` bytes.
 */
import type { HeaderFields } from './fields.js';
import { decodeHeader } from './header.js';
import { ProtocolError } from './protocolError.js';

/** One record of a SOW batch. */
export interface SowRecord {
  /** The record header (`k`, `l`, `x`, `ts`, `bm`, ...). */
  fields: HeaderFields;
  /** The record data. */
  data: Buffer;
}

/**
 * Splits the records that follow a `sow` header. `start` is the offset of the first
 * record header in `frame` (the end of the outer header).
 * @throws ProtocolError when a record header lacks `l` or a record overruns the frame
 */
export function splitSowBatch(frame: Buffer, start: number): SowRecord[] {
  const records: SowRecord[] = [];
  let i = start;
  while (i < frame.length) {
    const { fields, end } = decodeHeader(frame, i);
    const lengthText = fields.length;
    if (lengthText === undefined || !/^\d+$/.test(lengthText)) {
      throw new ProtocolError('sow record header has no numeric "l"', 'bad-sow-batch', i);
    }
    const length = Number(lengthText);
    if (end + length > frame.length) {
      throw new ProtocolError(`sow record of ${length} bytes overruns its frame`, 'bad-sow-batch', end);
    }
    records.push({ fields, data: frame.subarray(end, end + length) });
    i = end + length;
  }
  return records;
}
