/**
 * A received message as the page's list shows it: its headers, its payload as text cut to the
 * display limit, and binary documents (MessagePack, BSON, BFlat) as the JSON of their value
 * (one its codec refuses as its bytes, with the codec's reason).
 */
import type { DecodedFromType, MessageDto } from '../../../common/src/dto/subscriptions.js';
import type { AmpsMessageLike } from './ampsAdapter.js';
import { listData } from './payloadDisplay.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** The list's DTO of `message`, the `index`-th of its subscription. */
export function messageDto(
  message: AmpsMessageLike,
  index: number,
  receivedAt: number,
  maxBytes: number,
  decodeAs: DecodedFromType | undefined,
): MessageDto {
  const h = message.header;
  const size = message.payload.byteLength;
  const cut = size > maxBytes;
  const listed = decodeAs === undefined ? undefined : listData(decodeAs, message.payload, maxBytes);
  const decoded = listed !== undefined && 'data' in listed ? listed : undefined;
  const dto: MessageDto = {
    index,
    command: h.command ?? 'p',
    topic: h.topic ?? '',
    data: decoded?.data ?? utf8.decode(cut ? message.payload.subarray(0, maxBytes) : message.payload),
    size,
    truncated: decoded?.truncated ?? cut,
    receivedAt,
  };
  if (decoded !== undefined && decodeAs !== undefined) dto.decodedFrom = decodeAs;
  if (listed !== undefined && 'error' in listed) dto.decodeError = listed.error;
  if (h.sowKey !== undefined) dto.sowKey = h.sowKey;
  if (h.bookmark !== undefined) dto.bookmark = h.bookmark;
  if (h.timestamp !== undefined) dto.timestamp = h.timestamp;
  if (h.correlationId !== undefined) dto.correlationId = h.correlationId;
  return dto;
}
