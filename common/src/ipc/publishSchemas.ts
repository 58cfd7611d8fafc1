import {
  BINARY_PUBLISH_TYPES,
  MAX_HISTORY,
  MAX_LIBRARY_PAYLOAD,
  MAX_TEMPLATES,
  PUBLISH_COMMANDS,
  MAX_REPEAT_COUNT,
  MAX_REPEAT_RATE,
  MAX_UPLOAD_CHUNK_CHARS,
  PUBLISH_ACKS,
  PUBLISH_FILE_FORMATS,
} from '../dto/publish.js';
import type {
  PublishHistoryEntry,
  PublishLibraryRef,
  PublishTemplate,
  SavePublishLibraryRequest,
  PublishBulkRequest,
  PublishJobRef,
  PublishRepeatRequest,
  PublishUploadChunk,
} from '../dto/publish.js';
import { array, boolean, enumOf, number, object, optional, string } from './schemaLib.js';
import type { Schema } from './schemaLib.js';

/** Limits on publish-job request payloads. */
export const PUBLISH_LIMITS = {
  id: 128,
  topic: 1024,
  template: 4 * 1024 * 1024,
  options: 1024,
} as const;

const id = string({
  maxLength: PUBLISH_LIMITS.id,
  minLength: 1,
  pattern: /^[A-Za-z0-9._:-]+$/,
  patternName: 'an identifier (letters, digits, . _ : -)',
});
const topic = string({ maxLength: PUBLISH_LIMITS.topic, minLength: 1 });
const expiration = optional(number({ integer: true, min: 0, max: 31_536_000 }));
const correlationId = optional(string({ maxLength: PUBLISH_LIMITS.options }));

/** `publishRepeat`. */
export const publishRepeatSchema: Schema<PublishRepeatRequest> = object({
  connectionId: id,
  topic,
  template: string({ maxLength: PUBLISH_LIMITS.template }),
  count: number({ integer: true, min: 1, max: MAX_REPEAT_COUNT }),
  ratePerSec: optional(number({ min: 0, max: MAX_REPEAT_RATE })),
  ack: optional(enumOf(PUBLISH_ACKS)),
  deltaPublish: optional(boolean()),
  expiration,
  correlationId,
  sowKey: optional(string({ maxLength: PUBLISH_LIMITS.options, minLength: 1 })),
  encodeAs: optional(enumOf(BINARY_PUBLISH_TYPES)),
});

/** `publishUpload`. */
export const publishUploadSchema: Schema<PublishUploadChunk> = object({
  uploadId: optional(id),
  data: string({ maxLength: MAX_UPLOAD_CHUNK_CHARS }),
});

/** `publishBulk`. */
export const publishBulkSchema: Schema<PublishBulkRequest> = object({
  connectionId: id,
  topic,
  uploadId: id,
  format: enumOf(PUBLISH_FILE_FORMATS),
  ack: optional(enumOf(PUBLISH_ACKS)),
  deltaPublish: optional(boolean()),
  expiration,
  correlationId,
  encodeAs: optional(enumOf(BINARY_PUBLISH_TYPES)),
});

/** `publishStop`. */
export const publishJobRefSchema: Schema<PublishJobRef> = object({ jobId: id });

const profileKey = string({ maxLength: PUBLISH_LIMITS.id, minLength: 1 });
const payload = string({ maxLength: MAX_LIBRARY_PAYLOAD });

/** One template of a library. */
export const publishTemplateSchema: Schema<PublishTemplate> = object({
  name: string({ maxLength: 200, minLength: 1 }),
  topic: string({ maxLength: PUBLISH_LIMITS.topic }),
  command: enumOf(PUBLISH_COMMANDS),
  payload,
  ack: enumOf(PUBLISH_ACKS),
});

/** One history entry of a library. */
export const publishHistorySchema: Schema<PublishHistoryEntry> = object({
  at: number({ integer: true, min: 0 }),
  topic: string({ maxLength: PUBLISH_LIMITS.topic }),
  command: enumOf(PUBLISH_COMMANDS),
  payload,
  ack: enumOf(PUBLISH_ACKS),
  status: enumOf(['sent', 'accepted', 'failed', 'stored'] as const),
  reason: optional(string({ maxLength: 2000 })),
});

/** `loadPublishLibrary`. */
export const publishLibraryRefSchema: Schema<PublishLibraryRef> = object({ profileKey });

/** `savePublishLibrary`. */
export const savePublishLibrarySchema: Schema<SavePublishLibraryRequest> = object({
  profileKey,
  templates: array(publishTemplateSchema, { maxLength: MAX_TEMPLATES }),
  history: array(publishHistorySchema, { maxLength: MAX_HISTORY }),
});
