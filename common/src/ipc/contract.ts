import type { AppInfo } from '../dto/app.js';
import type {
  ConnectionInfo,
  ConnectionRef,
  ConnectionStatusEvent,
  OpenConnectionRequest,
} from '../dto/connections.js';
import type {
  ExportedProfiles,
  ExportProfilesRequest,
  ImportProfilesRequest,
  ImportProfilesResult,
  Profile,
  ProfileRef,
  ProfilesState,
  ReorderProfilesRequest,
  SaveProfileRequest,
} from '../dto/profiles.js';
import type { HaStatus } from '../dto/ha.js';
import type {
  ExportedWireLog,
  ExportWireLogRequest,
  GetWireLogRequest,
  PerformanceStats,
  ServerOverview,
  SetWireSamplingRequest,
  WireLog,
} from '../dto/inspector.js';
import type {
  PublishBulkRequest,
  PublishJobInfo,
  PublishJobRef,
  PublishLibrary,
  PublishLibraryRef,
  SavePublishLibraryRequest,
  PublishProgress,
  PublishRepeatRequest,
  PublishRequest,
  PublishResult,
  PublishUploadChunk,
  PublishUploadRef,
} from '../dto/publish.js';
import type { SandboxInfo } from '../dto/sandbox.js';
import type { DecodedMessagePayload, DecodedPayloadRequest } from '../dto/decodedPayload.js';
import type {
  MessagePayload,
  MessagePayloadRequest,
  PayloadRows,
  PayloadRowsRequest,
  PayloadText,
  PayloadTextRequest,
  ReplayControl,
  SubscribeSpec,
  SubscriptionBatch,
  SubscriptionEndedEvent,
  SubscriptionInfo,
  SubscriptionRef,
} from '../dto/subscriptions.js';
import type {
  SowBatch,
  SowCountRequest,
  SowCountResult,
  SowDeleteRequest,
  SowDeleteResult,
  SowEndedEvent,
  SowExportRequest,
  SowExportProgress,
  SowExportResult,
  SowPageOpenRequest,
  SowPageRequest,
  SowPageWindow,
  SowQueryRef,
  SowQuerySpec,
  SowRecordDetail,
  SowRecordHistory,
  SowRecordHistoryRequest,
  SowRecordRequest,
  SowViewInfo,
  SowReplaceFilterRequest,
} from '../dto/sow.js';
import type { SowAsOfDiff, SowAsOfDiffRequest } from '../dto/sowAsOf.js';
import type {
  MessageExportProgress,
  MessageExportRequest,
  MessageExportResult,
  RecordingProgress,
  RecordingRequest,
  RevealMessageFileRequest,
} from '../dto/messageExport.js';
import type { ListTopicsRequest, TopicList } from '../dto/topics.js';
import type { LoadWorkspaceResult, SaveWorkspaceRequest } from '../dto/workspace.js';

/** Stops an event stream. */
export type Unsubscribe = () => void;

/**
 * Everything the renderer may ask of the main process. Requests take at most one plain-data
 * argument and return a promise of plain data; event streams are `onX(callback) => unsubscribe`.
 * Every member gets its channel from {@link MEMBER_KINDS}; the compiler checks both directions.
 */
export interface ExplorerApi {
  getAppInfo(): Promise<AppInfo>;

  listProfiles(): Promise<ProfilesState>;
  saveProfile(request: SaveProfileRequest): Promise<Profile>;
  deleteProfile(request: ProfileRef): Promise<void>;
  duplicateProfile(request: ProfileRef): Promise<Profile>;
  reorderProfiles(request: ReorderProfilesRequest): Promise<void>;
  exportProfiles(request: ExportProfilesRequest): Promise<ExportedProfiles>;
  importProfiles(request: ImportProfilesRequest): Promise<ImportProfilesResult>;
  /** The user has seen the migration notice: delete the kept old-version profiles file. */
  confirmProfilesMigration(): Promise<ProfilesState>;

  loadWorkspace(): Promise<LoadWorkspaceResult>;
  saveWorkspace(request: SaveWorkspaceRequest): Promise<void>;

  listTopics(request: ListTopicsRequest): Promise<TopicList>;

  /** Opens an HA connection owned by the caller (window or browser tab); at most 16 per owner. */
  openConnection(request: OpenConnectionRequest): Promise<ConnectionInfo>;
  closeConnection(request: ConnectionRef): Promise<void>;
  /** "Reconnect now": skips the delay strategy's wait (or reconnects a closed/failed HA loop). */
  reconnectConnection(request: ConnectionRef): Promise<ConnectionInfo>;
  /** The caller's own connections. */
  listConnections(): Promise<ConnectionInfo[]>;
  /** State changes of the caller's connections. */
  onConnectionStatus(callback: (event: ConnectionStatusEvent) => void): Unsubscribe;
  /** Server health, failover timeline, delay strategy and stores of one connection (poll it). */
  getHaStatus(request: ConnectionRef): Promise<HaStatus>;
  /** Drops the current server's transport and moves on to the next server of the list. */
  simulateFailover(request: ConnectionRef): Promise<void>;

  subscribe(spec: SubscribeSpec): Promise<SubscriptionRef>;
  unsubscribe(request: SubscriptionRef): Promise<void>;
  pauseSubscription(request: SubscriptionRef): Promise<void>;
  resumeSubscription(request: SubscriptionRef): Promise<void>;
  /** Pauses / resumes a bookmark replay on the server (the replay stops where it is; messages are not lost). */
  controlReplay(request: ReplayControl): Promise<void>;
  /** The whole payload of a message shown cut, while main still keeps it (the newest few of the subscription). */
  getMessagePayload(request: MessagePayloadRequest): Promise<MessagePayload>;
  /** Rows of a kept whole payload for the virtualized viewer, with its size, line and row counts. */
  getPayloadRows(request: PayloadRowsRequest): Promise<PayloadRows>;
  /** A span of a kept whole payload's text by character offset (copy the whole payload in chunks). */
  getPayloadText(request: PayloadTextRequest): Promise<PayloadText>;
  /** One held message decoded by its connection's message type for the detail pane (payloads up to 4 MiB). */
  getDecodedPayload(request: DecodedPayloadRequest): Promise<DecodedMessagePayload>;
  onSubscriptionBatch(callback: (batch: SubscriptionBatch) => void): Unsubscribe;
  onSubscriptionEnded(callback: (event: SubscriptionEndedEvent) => void): Unsubscribe;
  /** The caller's subscriptions still running in main (after a reload: to re-attach or end). */
  listSubscriptions(): Promise<SubscriptionInfo[]>;
  /** Batches of this subscription flow to the caller again (what the ring kept, then live). */
  attachSubscription(request: SubscriptionRef): Promise<SubscriptionInfo>;
  /** Main writes messages it holds of the subscription to a file in its exports folder (streaming); resolves with the path. */
  exportMessages(request: MessageExportRequest): Promise<MessageExportResult>;
  /** Progress of the caller's message exports. */
  onMessageExportProgress(callback: (progress: MessageExportProgress) => void): Unsubscribe;
  /** Main records every message of the live subscription to an NDJSON file until a count, a time, its size bound or stop. */
  startRecording(request: RecordingRequest): Promise<RecordingProgress>;
  /** Stops the subscription's recording; resolves with its final state. */
  stopRecording(request: SubscriptionRef): Promise<RecordingProgress>;
  /** Progress of the caller's recordings (the last event of one has `stopped` set). */
  onRecordingProgress(callback: (progress: RecordingProgress) => void): Unsubscribe;
  /** Shows the subscription's last export or recording in the system's file manager (the desktop app; the browser host refuses). */
  revealMessageFile(request: RevealMessageFileRequest): Promise<void>;

  /** Publishes; with `ack` set, resolves with the server's ack (a failure is not an error). */
  publish(request: PublishRequest): Promise<PublishResult>;
  /** Publishes a template N times from main, paced; progress on onPublishProgress. */
  publishRepeat(request: PublishRepeatRequest): Promise<PublishJobRef>;
  /** One chunk of a file the user picked for a bulk publish (main writes it to a temp file). */
  publishUpload(chunk: PublishUploadChunk): Promise<PublishUploadRef>;
  /** Publishes every record of an uploaded file, streamed by main; progress on onPublishProgress. */
  publishBulk(request: PublishBulkRequest): Promise<PublishJobRef>;
  /** Stops a repeat or bulk job of the caller; resolves once it ended. */
  publishStop(request: PublishJobRef): Promise<void>;
  /** Progress of the caller's publish jobs (the last event of a job has `done: true`). */
  onPublishProgress(callback: (progress: PublishProgress) => void): Unsubscribe;
  /** The caller's publish jobs still running (after a reload: the ones to claim again, or they end). */
  listPublishJobs(): Promise<PublishJobInfo[]>;
  /** Claims a running job again after a reload; its progress events follow as before. */
  attachPublishJob(request: PublishJobRef): Promise<PublishJobInfo>;
  /** The named templates and last sends of a profile (kept by main in the user-data folder). */
  loadPublishLibrary(request: PublishLibraryRef): Promise<PublishLibrary>;
  /** Replaces the templates and last sends of a profile. */
  savePublishLibrary(request: SavePublishLibraryRequest): Promise<void>;

  /** Places a SOW view (query, live or live delta) owned by the caller; batches follow on onSowBatch. */
  sowQuery(spec: SowQuerySpec): Promise<SowQueryRef>;
  /** Changes the filter of a live view atomically (`replace`): entering records come as upserts, leaving ones as oof `match`. */
  sowReplaceFilter(request: SowReplaceFilterRequest): Promise<void>;
  /** Ends a view (unsubscribes a live one) and frees its records in main. */
  sowCancel(request: SowQueryRef): Promise<void>;
  /** One record of a view with its headers (row detail). */
  sowRecord(request: SowRecordRequest): Promise<SowRecordDetail | null>;
  /** How many records of a topic match a filter (delete preview). */
  sowCount(request: SowCountRequest): Promise<SowCountResult>;
  /** sow_delete by keys or by filter; resolves with the server's count of deleted records. */
  sowDelete(request: SowDeleteRequest): Promise<SowDeleteResult>;
  /** Main writes the view's records to a file (streaming); resolves with where it went. */
  sowExport(request: SowExportRequest): Promise<SowExportResult>;
  /** A running export's progress (records written of the total), while main writes the file. */
  onSowExportProgress(callback: (progress: SowExportProgress) => void): Unsubscribe;
  onSowBatch(callback: (batch: SowBatch) => void): Unsubscribe;
  onSowEnded(callback: (event: SowEndedEvent) => void): Unsubscribe;
  /** The caller's SOW views held in main (after a reload: the ones to attach again, or they end). */
  listSowViews(): Promise<SowViewInfo[]>;
  /** Attaches a held view again: its current records follow as batches, then its live changes. */
  attachSowView(request: SowQueryRef): Promise<SowViewInfo>;
  /** Opens a server-paged window over a big SOW (paginated sow_and_subscribe); resolves once it is filled. */
  sowPageOpen(request: SowPageOpenRequest): Promise<SowPageWindow>;
  /** Moves a paged window to other `skip_n` / `top_n`; resolves with the filled window. */
  sowPage(request: SowPageRequest): Promise<SowPageWindow>;
  /** Ends a paged window and its subscription. */
  sowPageClose(request: SowQueryRef): Promise<void>;
  /** A live paged window changed (a record entered, left or changed in it). */
  onSowPage(callback: (window: SowPageWindow) => void): Unsubscribe;
  /** The past versions of one record (bookmark replay from EPOCH filtered on its key fields), oldest first. */
  sowRecordHistory(request: SowRecordHistoryRequest): Promise<SowRecordHistory>;
  /** The SOW of a topic in the transaction log as of two points in time (historical sow queries), compared by SowKey. */
  sowAsOfDiff(request: SowAsOfDiffRequest): Promise<SowAsOfDiff>;

  /** The wire inspector of a connection the caller owns: entries after `afterSeq`, counters. */
  getWireLog(request: GetWireLogRequest): Promise<WireLog>;
  /** Lists one data message in N beside counting them (0 = count only). */
  setWireSampling(request: SetWireSamplingRequest): Promise<void>;
  /** The kept entries and counters as NDJSON text, for the caller to save. */
  exportWireLog(request: ExportWireLogRequest): Promise<ExportedWireLog>;
  /** Main's RSS, the caller's message rate, drops, conflation and each stream's buffer use. */
  getPerformance(): Promise<PerformanceStats>;
  /** Instance, version, uptime, clients and topics of the sandbox or an AMPS admin URL. */
  getServerOverview(request: ConnectionRef): Promise<ServerOverview>;

  getSandboxInfo(): Promise<SandboxInfo>;
  /** The sandbox started, failed or stopped (a first launch learns here when it is ready). */
  onSandboxStatus(callback: (info: SandboxInfo) => void): Unsubscribe;
}

/** Every member name of the contract. */
export type MemberName = keyof ExplorerApi;
/** Members that are event streams (`onX`). */
export type EventName = Extract<MemberName, `on${string}`>;
/** Members that are requests. */
export type RequestName = Exclude<MemberName, EventName>;

/** The payload a request takes (`undefined` when it takes none). */
export type RequestPayload<K extends RequestName> =
  Parameters<ExplorerApi[K]> extends [infer P] ? P : undefined;
/** The value a request resolves to. */
export type RequestResult<K extends RequestName> = Awaited<ReturnType<ExplorerApi[K]>>;
/** The payload an event stream delivers. */
export type EventPayload<K extends EventName> = Parameters<Parameters<ExplorerApi[K]>[0]>[0];

/**
 * The runtime list of contract members with their kind. `satisfies` makes a missing or extra
 * member a compile error; {@link KindsMatchNames} makes a wrongly-kinded member one too.
 */
export const MEMBER_KINDS = {
  getAppInfo: 'request',
  listProfiles: 'request',
  saveProfile: 'request',
  deleteProfile: 'request',
  duplicateProfile: 'request',
  reorderProfiles: 'request',
  exportProfiles: 'request',
  importProfiles: 'request',
  confirmProfilesMigration: 'request',
  loadWorkspace: 'request',
  saveWorkspace: 'request',
  listTopics: 'request',
  openConnection: 'request',
  closeConnection: 'request',
  reconnectConnection: 'request',
  listConnections: 'request',
  onConnectionStatus: 'event',
  getHaStatus: 'request',
  simulateFailover: 'request',
  subscribe: 'request',
  unsubscribe: 'request',
  pauseSubscription: 'request',
  resumeSubscription: 'request',
  controlReplay: 'request',
  getMessagePayload: 'request',
  getPayloadRows: 'request',
  getPayloadText: 'request',
  getDecodedPayload: 'request',
  onSubscriptionBatch: 'event',
  onSubscriptionEnded: 'event',
  listSubscriptions: 'request',
  attachSubscription: 'request',
  exportMessages: 'request',
  onMessageExportProgress: 'event',
  startRecording: 'request',
  stopRecording: 'request',
  onRecordingProgress: 'event',
  revealMessageFile: 'request',
  publish: 'request',
  publishRepeat: 'request',
  publishUpload: 'request',
  publishBulk: 'request',
  publishStop: 'request',
  onPublishProgress: 'event',
  listPublishJobs: 'request',
  attachPublishJob: 'request',
  loadPublishLibrary: 'request',
  savePublishLibrary: 'request',
  sowQuery: 'request',
  sowReplaceFilter: 'request',
  sowCancel: 'request',
  sowRecord: 'request',
  sowCount: 'request',
  sowDelete: 'request',
  sowExport: 'request',
  onSowExportProgress: 'event',
  onSowBatch: 'event',
  onSowEnded: 'event',
  listSowViews: 'request',
  attachSowView: 'request',
  sowPageOpen: 'request',
  sowPage: 'request',
  sowPageClose: 'request',
  onSowPage: 'event',
  sowRecordHistory: 'request',
  sowAsOfDiff: 'request',
  getWireLog: 'request',
  setWireSampling: 'request',
  exportWireLog: 'request',
  getPerformance: 'request',
  getServerOverview: 'request',
  getSandboxInfo: 'request',
  onSandboxStatus: 'event',
} as const satisfies { [K in MemberName]: K extends EventName ? 'event' : 'request' };

/** Compile-time proof that the kind table names exactly the contract's members. */
export type KindsMatchNames = [keyof typeof MEMBER_KINDS] extends [MemberName]
  ? [MemberName] extends [keyof typeof MEMBER_KINDS]
    ? true
    : false
  : false;
const kindsMatchNames: KindsMatchNames = true;
void kindsMatchNames;

/** Channel prefix shared by Electron IPC and the browser-host WebSocket bridge. */
export const CHANNEL_PREFIX = 'amps:';

/** A channel name derived from a member name. */
export type ChannelOf<K extends MemberName> = `${typeof CHANNEL_PREFIX}${K}`;

/** Member → channel, derived from {@link MEMBER_KINDS} (names are never written twice). */
export const CHANNELS = Object.freeze(
  Object.fromEntries(Object.keys(MEMBER_KINDS).map((name) => [name, `${CHANNEL_PREFIX}${name}`])),
) as { readonly [K in MemberName]: ChannelOf<K> };

/** Request member names, in table order. */
export const REQUEST_NAMES = Object.freeze(
  (Object.keys(MEMBER_KINDS) as MemberName[]).filter((n): n is RequestName => MEMBER_KINDS[n] === 'request'),
);
/** Event member names, in table order. */
export const EVENT_NAMES = Object.freeze(
  (Object.keys(MEMBER_KINDS) as MemberName[]).filter((n): n is EventName => MEMBER_KINDS[n] === 'event'),
);

/** Channel → member name, for transports that receive a channel string. */
export function memberOfChannel(channel: string): MemberName | undefined {
  if (!channel.startsWith(CHANNEL_PREFIX)) return undefined;
  const name = channel.slice(CHANNEL_PREFIX.length);
  return Object.hasOwn(MEMBER_KINDS, name) ? (name as MemberName) : undefined;
}
