/** Message types a profile may declare (the last segment of the connection string path). */
export const MESSAGE_TYPES = ['json', 'fix', 'nvfix', 'xml', 'binary', 'bflat', 'msgpack'] as const;
/** One message type. */
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Per-profile connection options. */
export interface ProfileOptions {
  /** Client name sent at logon; a default is generated when absent. */
  clientName?: string;
  /** Heartbeat interval in seconds (0 = off). */
  heartbeatSeconds?: number;
  /** Further connection strings for an HAClient; empty or absent = plain Client. */
  failoverConnectionStrings?: string[];
}

/** A saved connection profile as the renderer sees it: never carries the password. */
export interface Profile {
  id: string;
  name: string;
  /** Connection string WITHOUT the password. */
  connectionString: string;
  messageType: MessageType;
  options: ProfileOptions;
  /** A password is stored (encrypted, or in memory when storage is not persistent). */
  hasPassword: boolean;
  /** Built-in profile (the local sandbox): cannot be edited or deleted. */
  builtIn: boolean;
}

/** Create (no id) or update (id) a profile. */
export interface SaveProfileRequest {
  id?: string;
  name: string;
  connectionString: string;
  messageType: MessageType;
  options: ProfileOptions;
  /** New password; `null` clears it; absent keeps the stored one. */
  password?: string | null;
}

/** A problem found while loading the profiles file, reported to the UI. */
export interface ProfilesProblem {
  kind: 'corrupt' | 'unreadable' | 'newer-version';
  message: string;
  /** Where the unreadable file was kept, when it was moved aside. */
  backupFile?: string;
}

/** The profile list with any load problem and how passwords are kept. */
export interface ProfilesState {
  profiles: Profile[];
  problem?: ProfilesProblem;
  /** False when passwords live only in memory for this session (the UI says so). */
  secretsPersistent: boolean;
}

/** Identifies a profile. */
export interface ProfileRef {
  id: string;
}
