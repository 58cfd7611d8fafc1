import type { AppInfo } from '../dto/app.js';
import type {
  ConnectionInfo,
  ConnectionRef,
  ConnectionStatusEvent,
  OpenConnectionRequest,
} from '../dto/connections.js';
import type { Profile, ProfileRef, ProfilesState, SaveProfileRequest } from '../dto/profiles.js';
import type { PublishRequest } from '../dto/publish.js';
import type { SandboxInfo } from '../dto/sandbox.js';
import type {
  SubscribeSpec,
  SubscriptionBatch,
  SubscriptionEndedEvent,
  SubscriptionRef,
} from '../dto/subscriptions.js';

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

  openConnection(request: OpenConnectionRequest): Promise<ConnectionInfo>;
  closeConnection(request: ConnectionRef): Promise<void>;
  listConnections(): Promise<ConnectionInfo[]>;
  onConnectionStatus(callback: (event: ConnectionStatusEvent) => void): Unsubscribe;

  subscribe(spec: SubscribeSpec): Promise<SubscriptionRef>;
  unsubscribe(request: SubscriptionRef): Promise<void>;
  pauseSubscription(request: SubscriptionRef): Promise<void>;
  resumeSubscription(request: SubscriptionRef): Promise<void>;
  onSubscriptionBatch(callback: (batch: SubscriptionBatch) => void): Unsubscribe;
  onSubscriptionEnded(callback: (event: SubscriptionEndedEvent) => void): Unsubscribe;

  publish(request: PublishRequest): Promise<void>;

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
  openConnection: 'request',
  closeConnection: 'request',
  listConnections: 'request',
  onConnectionStatus: 'event',
  subscribe: 'request',
  unsubscribe: 'request',
  pauseSubscription: 'request',
  resumeSubscription: 'request',
  onSubscriptionBatch: 'event',
  onSubscriptionEnded: 'event',
  publish: 'request',
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
