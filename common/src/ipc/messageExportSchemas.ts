import { MESSAGE_EXPORT_FORMATS, MESSAGE_EXPORT_MAX_INDEXES } from '../dto/messageExport.js';
import type {
  MessageExportRequest,
  RecordingRequest,
  RevealMessageFileRequest,
} from '../dto/messageExport.js';
import { array, enumOf, number, object, optional, string } from './schemaLib.js';
import type { Schema } from './schemaLib.js';

/** Longest recording by time: a day. */
export const RECORDING_MAX_SECONDS = 86_400;
/** Most messages one recording may be asked for. */
export const RECORDING_MAX_MESSAGES = 100_000_000;

const subscriptionId = string({
  maxLength: 128,
  minLength: 1,
  pattern: /^[A-Za-z0-9._:-]+$/,
  patternName: 'an identifier (letters, digits, . _ : -)',
});

/** `exportMessages`'s payload. */
export const messageExportSchema: Schema<MessageExportRequest> = object({
  subscriptionId,
  format: enumOf(MESSAGE_EXPORT_FORMATS),
  indexes: optional(
    array(number({ integer: true, min: 1, max: Number.MAX_SAFE_INTEGER }), {
      maxLength: MESSAGE_EXPORT_MAX_INDEXES,
    }),
  ),
});

/** `startRecording`'s payload. */
export const recordingSchema: Schema<RecordingRequest> = object({
  subscriptionId,
  maxMessages: optional(number({ integer: true, min: 1, max: RECORDING_MAX_MESSAGES })),
  maxSeconds: optional(number({ min: 1, max: RECORDING_MAX_SECONDS })),
});

/** `revealMessageFile`'s payload: which file main wrote, never a path. */
export const revealMessageFileSchema: Schema<RevealMessageFileRequest> = object({
  subscriptionId,
  file: enumOf(['export', 'recording'] as const),
});
