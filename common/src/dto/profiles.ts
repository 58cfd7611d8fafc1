/** Message types a profile may declare (the last segment of the connection string path). */
export const MESSAGE_TYPES = ['json', 'fix', 'nvfix', 'xml', 'binary', 'bflat', 'msgpack'] as const;
/** One message type. */
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** The colour labels a profile may carry (the UI maps each to a theme colour). */
export const PROFILE_COLORS = ['red', 'orange', 'yellow', 'green', 'teal', 'blue', 'purple', 'gray'] as const;
/** One colour label. */
export type ProfileColor = (typeof PROFILE_COLORS)[number];

/** A file the user picked, as the renderer sees it: its name and size, never its content. */
export interface PickedFile {
  fileName: string;
  bytes: number;
}

/** A PEM file the user picked, sent once to main when saving (then kept in main). */
export interface PemUpload {
  fileName: string;
  /** The PEM text (at most {@link MAX_PEM_BYTES} characters, printable ASCII). */
  pem: string;
}

/** Largest PEM file accepted for a CA, certificate or key (1 MiB). */
export const MAX_PEM_BYTES = 1024 * 1024;

/** TLS settings of a profile (used for `tcps://` and `wss://` servers). */
export interface ProfileTls {
  /** Verify the server's certificate (on by default; off only when the user says so). */
  verify: boolean;
  /** Certificate authority bundle (replaces the system's roots for this profile). */
  ca?: PickedFile;
  /** Client certificate. */
  cert?: PickedFile;
  /** Client private key: stored like the password (safeStorage, or memory only in browser mode). */
  key?: PickedFile;
}

/** How long an HA connection waits before the next attempt. */
export type HaDelay =
  | { kind: 'fixed'; delayMs: number }
  | {
      kind: 'exponential';
      /** First wait for a server. */
      initialMs: number;
      /** Longest wait. */
      maxMs: number;
      /** Each further wait for the same server is this many times longer (>= 1). */
      backoff: number;
      /** Random extra wait, in multiples of `initialMs`. */
      jitter: number;
    };

/** HA behaviour of a profile (every connection is an HA client; one server = an HA list of one). */
export interface ProfileHa {
  delay: HaDelay;
  /** Give up after an outage this long (absent = never). */
  giveUpMs?: number;
  /** Place the running subscriptions again after a reconnect. */
  resubscribe: boolean;
}

/** Where a bookmark or publish store lives. A file path is chosen by the user. */
export type StoreChoice = { kind: 'none' } | { kind: 'memory' } | { kind: 'file'; path: string };

/** The HA defaults of a new profile (the official clients' exponential defaults). */
export const DEFAULT_HA: ProfileHa = Object.freeze({
  delay: Object.freeze({ kind: 'exponential', initialMs: 200, maxMs: 20_000, backoff: 2, jitter: 1 }),
  resubscribe: true,
}) as ProfileHa;

/** A saved connection profile as the renderer sees it: never carries a password or key. */
export interface Profile {
  id: string;
  name: string;
  /** One or more connection strings WITHOUT password, in HA order. */
  servers: string[];
  /**
   * Logon user for every server; when set it replaces the user written in a server's connection
   * string. Absent: each server's own user (if any).
   */
  user?: string;
  /** A password is stored (encrypted, or in memory when storage is not persistent). */
  hasPassword: boolean;
  /** Client name sent at logon; absent = a default unique per launch. */
  clientName?: string;
  /** Heartbeat interval in seconds (0 = off; absent = the client's default). */
  heartbeatSeconds?: number;
  tls: ProfileTls;
  ha: ProfileHa;
  bookmarkStore: StoreChoice;
  publishStore: StoreChoice;
  /** The AMPS admin HTTP interface for topic discovery, e.g. `http://host:8085/amps`. */
  adminUrl?: string;
  color?: ProfileColor;
  /** Views on a production profile carry a red accent and ask before publish / delete. */
  production: boolean;
  /** Built-in profile (the local sandbox): cannot be edited or deleted. */
  builtIn: boolean;
  /** The first server's message type (the last segment of its path); derived, not saved. */
  messageType: MessageType;
}

/** TLS settings of a save: for each file, a new upload, `null` to clear, absent to keep. */
export interface SaveProfileTls {
  verify: boolean;
  ca?: PemUpload | null;
  cert?: PemUpload | null;
  key?: PemUpload | null;
}

/**
 * Create (no id) or update (id) a profile; an update replaces the profile. A password typed
 * inside a server's connection string is moved out of it. The plain optional fields (`user`,
 * `clientName`, `heartbeatSeconds`, `adminUrl`, `color`) are unset when absent. Absent `tls` =
 * verify on / kept, files kept; absent `ha` = {@link DEFAULT_HA} for a new profile, kept on
 * update; absent stores = `none` / kept; absent `production` = false / kept.
 */
export interface SaveProfileRequest {
  id?: string;
  name: string;
  servers: string[];
  user?: string;
  /** New password; `null` clears it; absent keeps the stored one. */
  password?: string | null;
  clientName?: string;
  heartbeatSeconds?: number;
  tls?: SaveProfileTls;
  ha?: ProfileHa;
  bookmarkStore?: StoreChoice;
  publishStore?: StoreChoice;
  adminUrl?: string;
  color?: ProfileColor;
  production?: boolean;
}

/** A problem found while loading the profiles file, reported to the UI. */
export interface ProfilesProblem {
  /**
   * `corrupt`: the whole file could not be read and was moved aside; `unreadable`: it could not
   * even be opened (profiles read-only); `newer-version`: written by a newer app (read-only);
   * `rejected-entry`: one entry was invalid and set aside (the others loaded);
   * `migration-backup`: the file was migrated from an older version and the old file was kept,
   * because passwords could not be stored persistently (see `confirmProfilesMigration`).
   */
  kind: 'corrupt' | 'unreadable' | 'newer-version' | 'rejected-entry' | 'migration-backup';
  message: string;
  /** Where the unreadable file, the rejected entry or the old version was kept. */
  backupFile?: string;
  /** For `rejected-entry`: its position in the file's profile list. */
  index?: number;
  /** For `rejected-entry`: its name, when it had a readable one. */
  name?: string;
}

/** The profile list with any load problems and how passwords are kept. */
export interface ProfilesState {
  /** Built-in profiles first, then the saved ones in the user's order. */
  profiles: Profile[];
  problems: ProfilesProblem[];
  /** False when passwords live only in memory for this session (the UI says so). */
  secretsPersistent: boolean;
}

/** Identifies a profile. */
export interface ProfileRef {
  id: string;
}

/** The saved profiles in a new order (every saved id exactly once; built-ins stay first). */
export interface ReorderProfilesRequest {
  ids: string[];
}

/** What to export. */
export interface ExportProfilesRequest {
  /** Include passwords and TLS keys in plain text (the UI warns before). */
  includePasswords: boolean;
}

/** An exported profiles file, offered to the user as a download. */
export interface ExportedProfiles {
  fileName: string;
  json: string;
}

/** A profiles file the user picked for import. */
export interface ImportProfilesRequest {
  fileName: string;
  json: string;
}

/** What an import did: entries added as new profiles, and the ones skipped with why. */
export interface ImportProfilesResult {
  added: number;
  skipped: { index: number; reason: string }[];
}
