import { BINARY_PUBLISH_TYPES, PUBLISH_ACKS } from '../dto/publish.js';
import { SUBSCRIPTION_MODES } from '../dto/subscriptions.js';
import type { RequestName, RequestPayload } from './contract.js';
import {
  exportProfilesSchema,
  importProfilesSchema,
  reorderProfilesSchema,
  saveProfileSchema,
} from './profileSchemas.js';
import { listTopicsSchema, saveWorkspaceSchema } from './workspaceSchemas.js';
import { messageExportSchema, recordingSchema, revealMessageFileSchema } from './messageExportSchemas.js';
import {
  sowAsOfDiffSchema,
  sowCountSchema,
  sowDeleteSchema,
  sowExportSchema,
  sowPageOpenSchema,
  sowPageSchema,
  sowQueryRefSchema,
  sowQuerySchema,
  sowRecordHistorySchema,
  sowRecordSchema,
  sowReplaceFilterSchema,
} from './sowSchemas.js';
import {
  publishBulkSchema,
  publishJobRefSchema,
  publishLibraryRefSchema,
  publishRepeatSchema,
  publishUploadSchema,
  savePublishLibrarySchema,
} from './publishSchemas.js';
import { boolean, enumOf, none, number, object, oneOf, optional, string } from './schemaLib.js';
import type { Schema } from './schemaLib.js';

/** Limits on request payloads; generous for real use, small enough to stop abuse. */
export const LIMITS = {
  id: 128,
  name: 200,
  connectionString: 2048,
  password: 1024,
  topic: 1024,
  filter: 65_536,
  publishData: 4 * 1024 * 1024,
  options: 1024,
  bookmark: 1024,
  failoverServers: 16,
} as const;

const id = string({
  maxLength: LIMITS.id,
  minLength: 1,
  pattern: /^[A-Za-z0-9._:-]+$/,
  patternName: 'an identifier (letters, digits, . _ : -)',
});
const connectionString = string({ maxLength: LIMITS.connectionString, minLength: 1 });

const openConnection = oneOf([
  object({ profileId: id }),
  object({
    connectionString,
    password: optional(string({ maxLength: LIMITS.password })),
    name: optional(string({ maxLength: LIMITS.name, minLength: 1 })),
  }),
]);

const subscriptionOptions = object({
  bookmark: optional(string({ maxLength: LIMITS.bookmark, minLength: 1 })),
  batchSize: optional(number({ integer: true, min: 1, max: 100_000 })),
  topN: optional(number({ integer: true, min: 1, max: 10_000_000 })),
  orderBy: optional(string({ maxLength: LIMITS.options, minLength: 1 })),
  options: optional(string({ maxLength: LIMITS.options })),
  replayCompleted: optional(boolean()),
});

const subscribe = object({
  connectionId: id,
  topic: string({ maxLength: LIMITS.topic, minLength: 1 }),
  filter: optional(string({ maxLength: LIMITS.filter })),
  mode: enumOf(SUBSCRIPTION_MODES),
  options: optional(subscriptionOptions),
});

const publish = object({
  connectionId: id,
  topic: string({ maxLength: LIMITS.topic, minLength: 1 }),
  data: string({ maxLength: LIMITS.publishData }),
  ack: optional(enumOf(PUBLISH_ACKS)),
  deltaPublish: optional(boolean()),
  expiration: optional(number({ integer: true, min: 0, max: 31_536_000 })),
  correlationId: optional(string({ maxLength: LIMITS.options })),
  sowKey: optional(string({ maxLength: LIMITS.options, minLength: 1 })),
  encodeAs: optional(enumOf(BINARY_PUBLISH_TYPES)),
  options: optional(
    object({
      delta: optional(boolean()),
      correlationId: optional(string({ maxLength: LIMITS.options })),
      expiration: optional(number({ integer: true, min: 0, max: 31_536_000 })),
    }),
  ),
});

const subscriptionRef = object({ subscriptionId: id });
const connectionRef = object({ connectionId: id });

/**
 * One schema per request payload. The mapped type makes a missing schema, or one whose output
 * does not fit the contract's payload type, a compile error.
 */
export const REQUEST_SCHEMAS: { readonly [K in RequestName]: Schema<RequestPayload<K>> } = {
  getAppInfo: none(),
  listProfiles: none(),
  saveProfile: saveProfileSchema,
  deleteProfile: object({ id }),
  duplicateProfile: object({ id }),
  reorderProfiles: reorderProfilesSchema,
  exportProfiles: exportProfilesSchema,
  importProfiles: importProfilesSchema,
  confirmProfilesMigration: none(),
  loadWorkspace: none(),
  saveWorkspace: saveWorkspaceSchema,
  listTopics: listTopicsSchema,
  openConnection,
  closeConnection: connectionRef,
  reconnectConnection: connectionRef,
  listConnections: none(),
  getHaStatus: connectionRef,
  simulateFailover: connectionRef,
  subscribe,
  unsubscribe: subscriptionRef,
  pauseSubscription: subscriptionRef,
  resumeSubscription: subscriptionRef,
  getMessagePayload: object({ subscriptionId: id, index: number({ integer: true, min: 1, max: Number.MAX_SAFE_INTEGER }) }),
  getPayloadRows: object({
    subscriptionId: id,
    index: number({ integer: true, min: 1, max: Number.MAX_SAFE_INTEGER }),
    first: number({ integer: true, min: 0, max: 0xffffffff }),
    count: number({ integer: true, min: 1, max: 2_000 }),
  }),
  getPayloadText: object({
    subscriptionId: id,
    index: number({ integer: true, min: 1, max: Number.MAX_SAFE_INTEGER }),
    offset: number({ integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }),
    length: number({ integer: true, min: 1, max: 4_194_304 }),
  }),
  getDecodedPayload: object({ subscriptionId: id, index: number({ integer: true, min: 1, max: Number.MAX_SAFE_INTEGER }) }),
  controlReplay: object({ subscriptionId: id, action: enumOf(['pause', 'resume'] as const) }),
  listSubscriptions: none(),
  attachSubscription: subscriptionRef,
  exportMessages: messageExportSchema,
  startRecording: recordingSchema,
  stopRecording: subscriptionRef,
  revealMessageFile: revealMessageFileSchema,
  publish,
  publishRepeat: publishRepeatSchema,
  publishUpload: publishUploadSchema,
  publishBulk: publishBulkSchema,
  publishStop: publishJobRefSchema,
  listPublishJobs: none(),
  attachPublishJob: publishJobRefSchema,
  loadPublishLibrary: publishLibraryRefSchema,
  savePublishLibrary: savePublishLibrarySchema,
  sowQuery: sowQuerySchema,
  sowReplaceFilter: sowReplaceFilterSchema,
  sowCancel: sowQueryRefSchema,
  listSowViews: none(),
  attachSowView: sowQueryRefSchema,
  sowRecord: sowRecordSchema,
  sowCount: sowCountSchema,
  sowDelete: sowDeleteSchema,
  sowExport: sowExportSchema,
  sowPageOpen: sowPageOpenSchema,
  sowPage: sowPageSchema,
  sowPageClose: sowQueryRefSchema,
  sowRecordHistory: sowRecordHistorySchema,
  sowAsOfDiff: sowAsOfDiffSchema,
  getWireLog: object({ connectionId: id, afterSeq: number({ integer: true, min: 0 }) }),
  setWireSampling: object({
    connectionId: id,
    sampleEvery: number({ integer: true, min: 0, max: 1_000_000 }),
  }),
  exportWireLog: connectionRef,
  getPerformance: none(),
  getServerOverview: connectionRef,
  getSandboxInfo: none(),
};

/** Validates a request payload; throws ValidationError naming the path under `payload`. */
export function parseRequest<K extends RequestName>(name: K, payload: unknown): RequestPayload<K> {
  return REQUEST_SCHEMAS[name].parse(payload, 'payload');
}
