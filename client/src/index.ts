/**
 * The public API of the AMPS client library: the Client and its vocabulary (Command,
 * Message, MessageOptions, MessageStream, status, errors), the connection-string parser,
 * transports, payload codecs, the filter-expression language, stores and HA helpers.
 */

// The client.
export {
  Client,
  Bookmarks,
  CLIENT_VERSION,
  CLIENT_VERSION_HEADER,
  DEFAULT_COMMAND_TIMEOUT_MS,
  validateClientName,
  type BookmarkSubscribeOptions,
  type ClientOptions,
  type CommandCallOptions,
  type DisconnectHandler,
  type TransportFilter,
  type ExecuteOptions,
  type LogonOptions,
  type PublishOptions,
  type SowAndSubscribeOptions,
  type SowDeleteOptions,
  type SowOptions,
  type SubscribeOptions,
} from './client.js';
export type {
  BookmarkStoreHook,
  CommandTap,
  ExceptionListener,
  FailedWriteHandler,
  Logger,
  MessageHandler,
  PublishStoreHook,
  Timers,
  TransportFactory,
} from './client/hooks.js';
export { bookmarkStoreHook, publishStoreHook } from './client/storeHooks.js';
export { fnv1a64 } from './client/nameHash.js';
export { DefaultAuthenticator, type Authenticator } from './authenticator.js';
export { MessageStream, type MessageStreamInit, type StreamPressure } from './stream.js';
export {
  StatusHub,
  type ConnectionState,
  type ConnectionStateListener,
  type ConnectionStatus,
} from './status.js';
export { Router, type Route, type RouteResult, type RouterHooks } from './router.js';

// Protocol vocabulary.
export {
  Command,
  COMMAND_NAMES,
  QUERY_COMMANDS,
  SUBSCRIBE_COMMANDS,
  type CommandName,
} from './protocol/command.js';
export { Message, type QueueAcker } from './protocol/message.js';
export { MessageOptions, optionsText, splitOptions } from './protocol/options.js';
export {
  ACK_TYPES,
  formatAckTypes,
  isAckType,
  parseAckTypes,
  type AckStatus,
  type AckType,
} from './protocol/ack.js';
export { VersionInfo, convertVersionToNumber } from './protocol/versionInfo.js';
export { FIELD_NAMES, FIELDS, FIELD_BY_KEY, type FieldName, type HeaderFields } from './protocol/fields.js';
export { decodeHeader, encodeHeader, type DecodedHeader, type HeaderDialect } from './protocol/header.js';
export { FrameReader, encodeFrame, encodePrefix, PREFIX_BYTES } from './protocol/frame.js';
export { splitSowBatch, type SowRecord } from './protocol/sowBatch.js';
export { ProtocolError } from './protocol/protocolError.js';

// Errors (the seed's exception hierarchy).
export * from './errors.js';

// Connection strings (their InvalidUriError is the one of errors.ts).
export {
  parseUri,
  formatUri,
  describePeer,
  validateUri,
  URI_OPTIONS,
  splitCredentials,
  insertPassword,
  locateCredentials,
  encodeCredential,
  REDACTED_PASSWORD,
  type SplitCredentials,
  type CredentialSpan,
  type AmpsUri,
  type FormatUriOptions,
  type UriProtocol,
  type UriBind,
  type UriOptions,
  type UriTransport,
  type UriPart,
  type UriProblem,
  type HostFamily,
} from './uri.js';

// Transports.
export {
  DEFAULT_MAX_FRAME_BYTES,
  type InboundFrame,
  type Transport,
  type TransportConnectOptions,
  type TransportHandlers,
  type TransportKind,
} from './transport/transport.js';
export {
  connectTransport,
  DEFAULT_CONNECT_TIMEOUT_MS,
  TransportConnectError,
  type ConnectTransportOptions,
  type TransportLogger,
} from './transport/connect.js';
export { createMemoryTransportPair, type MemoryTransport } from './transport/memory.js';
export type { TlsOptions } from './transport/tls.js';
export { MAX_TLS_FILE_BYTES, readTlsFile, type TlsFileOption } from './transport/tlsFile.js';

// Payload codecs, the filter language, stores, HA helpers (other modules of client/).
export * from './types/index.js';
export * from './expression/index.js';
export {
  StoreCorruptError,
  BookmarkFormatError,
  LEGACY_NOW,
  classifyBookmark,
  formatBookmark,
  isBookmarkTimestamp,
  isNow,
  parseBookmark,
  splitBookmarkList,
  MemoryBookmarkStore,
  FileBookmarkStore,
  RingBookmarkStore,
  ConflatingRecoveryPointAdapter,
  SowRecoveryPointAdapter,
  MemoryPublishStore,
  FilePublishStore,
  HybridPublishStore,
  type StoreRecoveryReport,
  type StoreSyncPolicy,
  type BookmarkKind,
  type ParsedBookmark,
  type BookmarkStore,
  type BookmarkedMessage,
  type RecoverableBookmarkStore,
  type MemoryBookmarkStoreOptions,
  type FileBookmarkStoreOptions,
  type RingBookmarkStoreOptions,
  type AdapterTimers,
  type ConflatingOptions,
  type RecoveryPoint,
  type RecoveryPointAdapter,
  type SowRecoveryClient,
  type SowRecoveryPointAdapterOptions,
  type PublishReplaySink,
  type PublishStore,
  type PublishStoreOptions,
  type PublishToStore,
  type RecoverablePublishStore,
  type StoredPublish,
  type FilePublishStoreOptions,
  type HybridPublishStoreOptions,
  StoreLock,
  parseStoreLock,
  storeLockPath,
  type StoreLockOwner,
} from './stores/index.js';
export * from './ha/delayStrategy.js';
export {
  DefaultServerChooser,
  isUserInitiated,
  redactUri,
  type ConnectionInfo,
  type ServerChooser,
  type ServerFailure,
} from './ha/serverChooser.js';

// High availability: reconnect, fail over, resubscribe, replay publishes.
export {
  HAClient,
  HAConnectionError,
  DEFAULT_HA_TIMEOUT_MS,
  type HAClientOptions,
  type HADisconnectHandler,
  type HAConnectFailure,
  type HAConnectionState,
  type HAConnectionStatus,
  type HAConnectionStateListener,
} from './ha/haClient.js';
