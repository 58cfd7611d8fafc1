/** Which ack of the server a publish waits for: none (fire and forget), processed or persisted. */
export const PUBLISH_ACKS = ['none', 'processed', 'persisted'] as const;
/** One publish ack choice. */
export type PublishAck = (typeof PUBLISH_ACKS)[number];

/** Options of a publish. */
export interface PublishOptions {
  /** Send `delta_publish` instead of `publish` (same as `deltaPublish` on the request). */
  delta?: boolean;
  correlationId?: string;
  /** Message expiration in seconds. */
  expiration?: number;
}

/** One message to publish. */
export interface PublishRequest {
  connectionId: string;
  topic: string;
  /** Payload text in the connection's message type. */
  data: string;
  /** Ack to wait for (default `none`); the result then carries the server's answer. */
  ack?: PublishAck;
  /** Send `delta_publish` instead of `publish`. */
  deltaPublish?: boolean;
  /** Message expiration in seconds. */
  expiration?: number;
  correlationId?: string;
  /** Explicit SOW key, for topics with user-supplied keys. */
  sowKey?: string;
  /** Older form of the options above; the top-level fields win. */
  options?: PublishOptions;
  /**
   * A binary message type: `data` is JSON text that main encodes with client/ as this type
   * (msgpack any JSON value, bson an object, bflat a flat object) before sending.
   */
  encodeAs?: BinaryPublishType;
}

/** The binary message types the composer writes as JSON and main encodes. */
export const BINARY_PUBLISH_TYPES = ['msgpack', 'bson', 'bflat'] as const;
/** One binary message type. */
export type BinaryPublishType = (typeof BINARY_PUBLISH_TYPES)[number];

/** The server's answer to a publish that asked for an ack. */
export interface PublishAckDto {
  status: 'success' | 'failure';
  /** The server's reason on failure (e.g. `bad filter`, `not entitled`). */
  reason?: string;
  /** Publish-store sequence of the message, when the connection has a publish store. */
  sequence?: string;
}

/** What happened to a publish. */
export interface PublishResult {
  /** The ack, when one was asked for. A failure means the server did NOT take the message. */
  ack?: PublishAckDto;
  /** The server the message went to (or the first of the list while stored for replay), no password. */
  server?: string;
  /** True when the message went to the publish store to be sent after the next logon. */
  stored?: boolean;
}

/** Largest count of one repeat run. */
export const MAX_REPEAT_COUNT = 10_000_000;
/** Highest paced rate of a repeat run, messages per second. */
export const MAX_REPEAT_RATE = 1_000_000;

/**
 * Publishes a template N times from main, each message rendered from the template
 * (`common/src/publish/template.ts`), at `ratePerSec` or as fast as possible. Progress arrives
 * on `onPublishProgress`; `publishStop` ends it early.
 */
export interface PublishRepeatRequest {
  connectionId: string;
  topic: string;
  /** The message template (its `{{seq}}` counts from 1). */
  template: string;
  count: number;
  /** Messages per second; absent or 0 = as fast as possible. */
  ratePerSec?: number;
  ack?: PublishAck;
  deltaPublish?: boolean;
  expiration?: number;
  correlationId?: string;
  sowKey?: string;
  /** A binary message type: each rendered message is JSON that main encodes as this type. */
  encodeAs?: BinaryPublishType;
}

/** A running publish job (repeat or bulk). */
export interface PublishJobRef {
  jobId: string;
}

/** One message of a job that failed, by its number (repeat) or line (bulk file). */
export interface PublishJobError {
  /** 1-based message number (repeat) or line number (bulk). */
  at: number;
  message: string;
}

/** Progress of a publish job; the last event of a job has `done: true`. */
export interface PublishProgress {
  jobId: string;
  connectionId: string;
  /** Messages sent (with an ack asked for: those the server accepted). */
  sent: number;
  /** Messages that failed (rejected by the server, or bad lines of a file). */
  failed: number;
  /** Messages the job will send (repeat count); absent when not known ahead (a file). */
  total?: number;
  elapsedMs: number;
  /** Achieved rate so far, messages per second. */
  ratePerSec: number;
  /** The first errors (at most {@link MAX_JOB_ERRORS}). */
  errors: PublishJobError[];
  done: boolean;
  /** Ended by `publishStop`. */
  stopped?: boolean;
  /** Why the job ended early (the connection closed, a template error). */
  error?: string;
  /** Messages waiting in the connection's publish store for a persisted ack, when it has one. */
  unpersisted?: number;
}

/**
 * A publish job still running in main, for a page that reloaded: `listPublishJobs` names them
 * and `attachPublishJob` claims one again. Jobs no page claims within the deadline are ended.
 */
export interface PublishJobInfo {
  jobId: string;
  kind: 'repeat' | 'bulk';
  topic: string;
  /** A page claims it (false after a reload until `attachPublishJob`). */
  attached: boolean;
  progress: PublishProgress;
}

/** How many errors a job keeps. */
export const MAX_JOB_ERRORS = 20;

/** The file formats a bulk publish reads. */
export const PUBLISH_FILE_FORMATS = ['ndjson', 'json-array', 'csv'] as const;
/** One bulk file format: NDJSON, a JSON array, or CSV (a header line; columns become fields). */
export type PublishFileFormat = (typeof PUBLISH_FILE_FORMATS)[number];

/** Largest chunk of one upload request, in characters. */
export const MAX_UPLOAD_CHUNK_CHARS = 1024 * 1024;
/** Largest uploaded file, in bytes (UTF-8). */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * One chunk of a file the user picked, sent to main in order (the renderer reads the picked
 * file a slice at a time and never holds it whole). The first chunk has no `uploadId`; main
 * answers with one that the next chunks and the bulk publish name.
 */
export interface PublishUploadChunk {
  uploadId?: string;
  data: string;
}

/** An upload so far. */
export interface PublishUploadRef {
  uploadId: string;
  /** Bytes received so far. */
  bytes: number;
}

/** Publishes every record of an uploaded file; progress arrives on `onPublishProgress`. */
export interface PublishBulkRequest {
  connectionId: string;
  topic: string;
  uploadId: string;
  format: PublishFileFormat;
  ack?: PublishAck;
  deltaPublish?: boolean;
  expiration?: number;
  correlationId?: string;
  /** A binary message type: each record (JSON, or a CSV row as a JSON object) is encoded as this type. */
  encodeAs?: BinaryPublishType;
}

/** The commands the composer sends. */
export const PUBLISH_COMMANDS = ['publish', 'delta_publish'] as const;
/** One composer command. */
export type PublishCommand = (typeof PUBLISH_COMMANDS)[number];

/** A named message template of a profile. */
export interface PublishTemplate {
  name: string;
  topic: string;
  command: PublishCommand;
  /** The payload text, with `{{variables}}` (see common/src/publish/template.ts). */
  payload: string;
  ack: PublishAck;
}

/** One send of the composer, to reopen, edit and send again. */
export interface PublishHistoryEntry {
  /** When it was sent, ms since the epoch. */
  at: number;
  topic: string;
  command: PublishCommand;
  payload: string;
  ack: PublishAck;
  /** What happened: sent (no ack asked), accepted, failed (with the reason), stored for replay. */
  status: 'sent' | 'accepted' | 'failed' | 'stored';
  reason?: string;
}

/** The templates and the last sends of one profile, kept by main. */
export interface PublishLibrary {
  templates: PublishTemplate[];
  history: PublishHistoryEntry[];
  /** Why the stored library could not be read (it was set aside and an empty one is used). */
  problem?: string;
}

/** Templates a profile keeps; sends its history keeps. */
export const MAX_TEMPLATES = 200;
export const MAX_HISTORY = 100;
/** Longest payload a template or history entry keeps, in characters. */
export const MAX_LIBRARY_PAYLOAD = 64 * 1024;

/** Names the library: a saved profile's id, or `adhoc` for connections opened from a string. */
export interface PublishLibraryRef {
  profileKey: string;
}

/** Replaces a profile's library. */
export interface SavePublishLibraryRequest {
  profileKey: string;
  templates: PublishTemplate[];
  history: PublishHistoryEntry[];
}
