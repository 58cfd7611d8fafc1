import { DEFAULT_HA, PROFILE_COLORS } from '../../../common/src/dto/profiles.js';
import type { ProfileColor, ProfileHa, StoreChoice } from '../../../common/src/dto/profiles.js';
import { ValidationError } from '../../../common/src/ipc/errors.js';
import {
  PROFILE_LIMITS,
  adminUrlSchema,
  haSchema,
  pemUploadSchema,
  profileIdSchema,
  refine,
  serverSchema,
  serversSchema,
  storeChoiceSchema,
} from '../../../common/src/ipc/profileSchemas.js';
import {
  array,
  boolean,
  enumOf,
  number,
  object,
  optional,
  string,
} from '../../../common/src/ipc/schemaLib.js';
import type { StoredSecret } from '../platform/secretCipher.js';
import { splitPassword } from './connectionStrings.js';

/** The version this build writes. Version 1 kept the password in `uri`; 2 had one string plus failovers. */
export const PROFILES_FILE_VERSION = 3;

/** A PEM file kept in the profiles file (CA and certificate: public, stored as text). */
export interface StoredPem {
  fileName: string;
  pem: string;
}

/** A private key: only its name and size in clear, the PEM through the SecretCipher. */
export interface StoredKey {
  fileName: string;
  bytes: number;
  secret: StoredSecret;
}

/** One profile as stored (version 3). Never holds a password or key in plain text. */
export interface StoredProfile {
  id: string;
  name: string;
  /** Without passwords, in HA order. */
  servers: string[];
  user?: string;
  clientName?: string;
  heartbeatSeconds?: number;
  tls: { verify: boolean; ca?: StoredPem; cert?: StoredPem; key?: StoredKey };
  ha: ProfileHa;
  bookmarkStore: StoreChoice;
  publishStore: StoreChoice;
  adminUrl?: string;
  color?: ProfileColor;
  production: boolean;
  secret?: StoredSecret;
}

/** An older file kept beside the new one after a migration, until the user confirms. */
export interface MigrationBackup {
  /** File name inside the profiles folder. */
  file: string;
  fromVersion: number;
}

/** The file (version 3). */
export interface ProfilesFile {
  version: 3;
  profiles: StoredProfile[];
  migrationBackup?: MigrationBackup;
}

const text = (maxLength: number) => string({ maxLength, minLength: 1 });

/** Largest stored secret (a key of 1 MiB, encrypted and base64-encoded, with room). */
const MAX_SECRET = 2 * PROFILE_LIMITS.pem + 4096;
const secretSchema = object({
  scheme: enumOf(['safeStorage', 'memory'] as const),
  data: text(MAX_SECRET),
});

const storedProfileSchema = object({
  id: profileIdSchema,
  name: text(PROFILE_LIMITS.name),
  servers: refine(serversSchema, (list) =>
    list.some((s) => splitPassword(s).password !== undefined)
      ? 'a server holds a password in plain text'
      : undefined,
  ),
  user: optional(text(PROFILE_LIMITS.user)),
  clientName: optional(text(PROFILE_LIMITS.name)),
  heartbeatSeconds: optional(number({ integer: true, min: 0, max: 3600 })),
  tls: object({
    verify: boolean(),
    ca: optional(pemUploadSchema),
    cert: optional(pemUploadSchema),
    key: optional(
      object({
        fileName: text(PROFILE_LIMITS.fileName),
        bytes: number({ integer: true, min: 1, max: PROFILE_LIMITS.pem }),
        secret: secretSchema,
      }),
    ),
  }),
  ha: haSchema,
  bookmarkStore: storeChoiceSchema,
  publishStore: storeChoiceSchema,
  adminUrl: optional(adminUrlSchema),
  color: optional(enumOf(PROFILE_COLORS)),
  production: boolean(),
  secret: optional(secretSchema),
});

const migrationBackupSchema = object({
  file: string({ maxLength: 255, minLength: 1, pattern: /^profiles\.[A-Za-z0-9._-]+\.json$/ }),
  fromVersion: number({ integer: true, min: 1, max: PROFILES_FILE_VERSION - 1 }),
});

/** A new profile's settings where the user gave none. */
export const profileDefaults = (): Pick<
  StoredProfile,
  'tls' | 'ha' | 'bookmarkStore' | 'publishStore' | 'production'
> => ({
  tls: { verify: true },
  ha: structuredClone(DEFAULT_HA),
  bookmarkStore: { kind: 'none' },
  publishStore: { kind: 'none' },
  production: false,
});

/** Version 1 entry: the password sat inside `uri`. */
const entryV1 = object({
  id: profileIdSchema,
  name: text(PROFILE_LIMITS.name),
  uri: text(PROFILE_LIMITS.connectionString),
  clientName: optional(text(PROFILE_LIMITS.name)),
});

/** Version 2 entry: one connection string, failover strings in the options. */
const entryV2 = object({
  id: profileIdSchema,
  name: text(PROFILE_LIMITS.name),
  connectionString: serverSchema,
  messageType: text(32),
  options: object({
    clientName: optional(text(PROFILE_LIMITS.name)),
    heartbeatSeconds: optional(number({ integer: true, min: 0, max: 3600 })),
    failoverConnectionStrings: optional(array(serverSchema, { maxLength: PROFILE_LIMITS.servers - 1 })),
  }),
  secret: optional(secretSchema),
});

/** One entry brought to version 3, with a plain password an old format held (to encrypt at once). */
interface Migrated {
  profile: StoredProfile;
  password?: string;
}

function migrateEntry(raw: unknown, version: number, path: string): Migrated {
  if (version === 1) {
    const v1 = entryV1.parse(raw, path);
    const split = splitPassword(v1.uri);
    const profile = storedProfileSchema.parse(
      {
        id: v1.id,
        name: v1.name,
        servers: [split.connectionString],
        ...(v1.clientName === undefined ? {} : { clientName: v1.clientName }),
        ...profileDefaults(),
      },
      path,
    );
    return split.password === undefined || split.password === ''
      ? { profile }
      : { profile, password: split.password };
  }
  if (version === 2) {
    const v2 = entryV2.parse(raw, path);
    const servers = [v2.connectionString, ...(v2.options.failoverConnectionStrings ?? [])].map(
      (s) => splitPassword(s).connectionString,
    );
    const { clientName, heartbeatSeconds } = v2.options;
    const profile = storedProfileSchema.parse(
      {
        id: v2.id,
        name: v2.name,
        servers,
        ...(clientName === undefined ? {} : { clientName }),
        ...(heartbeatSeconds === undefined ? {} : { heartbeatSeconds }),
        ...profileDefaults(),
        ...(v2.secret === undefined ? {} : { secret: v2.secret }),
      },
      path,
    );
    return { profile };
  }
  return { profile: storedProfileSchema.parse(raw, path) as StoredProfile };
}

/** An entry that could not be read, set aside with why. */
export interface RejectedEntry {
  index: number;
  reason: string;
  name?: string;
  /** The entry as it was in the file. */
  entry: unknown;
}

/** The result of reading a file. */
export interface LoadedFile {
  file: ProfilesFile;
  /** Profile id → plain password pulled out of an older format; to be encrypted at once. */
  extractedPasswords: Map<string, string>;
  /** The version found on disk. */
  fromVersion: number;
  /** Entries set aside (the others loaded). */
  rejected: RejectedEntry[];
}

/** The file's `version` is newer than this build understands. */
export class NewerVersionError extends Error {
  override name = 'NewerVersionError';
  constructor(readonly version: number) {
    super(`profiles file version ${version} is newer than this app (${PROFILES_FILE_VERSION})`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The UTF-8 byte order mark some editors write (Notepad): accepted and ignored. */
const BOM = '\uFEFF';

/**
 * Parses the file text: JSON (a leading BOM is ignored), the version, then every entry on its
 * own through the migrations of its version. A bad entry is returned in `rejected` and the good
 * ones load. Throws SyntaxError / ValidationError when the file as a whole is unreadable,
 * NewerVersionError for a future version.
 */
export function parseProfilesFile(textContent: string): LoadedFile {
  const raw: unknown = JSON.parse(textContent.startsWith(BOM) ? textContent.slice(1) : textContent);
  if (!isRecord(raw)) throw new ValidationError('profiles file', 'expected a JSON object');
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ValidationError(
      'profiles file.version',
      `expected a version number, got ${JSON.stringify(version)}`,
    );
  }
  if (version > PROFILES_FILE_VERSION) throw new NewerVersionError(version);
  const entries = raw.profiles;
  if (!Array.isArray(entries)) throw new ValidationError('profiles file.profiles', 'expected an array');
  if (entries.length > PROFILE_LIMITS.profiles) {
    throw new ValidationError('profiles file.profiles', `more than ${PROFILE_LIMITS.profiles} profiles`);
  }
  const profiles: StoredProfile[] = [];
  const extractedPasswords = new Map<string, string>();
  const rejected: RejectedEntry[] = [];
  const ids = new Set<string>();
  entries.forEach((entry: unknown, index) => {
    const name = isRecord(entry) && typeof entry.name === 'string' ? entry.name.slice(0, 200) : undefined;
    const reject = (reason: string): void => {
      rejected.push({ index, reason, entry, ...(name === undefined ? {} : { name }) });
    };
    let migrated: Migrated;
    try {
      migrated = migrateEntry(entry, version, `profiles[${index}]`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      reject(error.message);
      return;
    }
    if (ids.has(migrated.profile.id)) {
      reject(`profiles[${index}].id: ${migrated.profile.id} is used by an earlier profile`);
      return;
    }
    ids.add(migrated.profile.id);
    profiles.push(migrated.profile);
    if (migrated.password !== undefined) extractedPasswords.set(migrated.profile.id, migrated.password);
  });
  const file: ProfilesFile = { version: PROFILES_FILE_VERSION, profiles };
  if (version === PROFILES_FILE_VERSION && raw.migrationBackup !== undefined) {
    try {
      file.migrationBackup = migrationBackupSchema.parse(
        raw.migrationBackup,
        'profiles file.migrationBackup',
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // A damaged note about a backup is dropped; the backup file itself is left where it is.
    }
  }
  return { file, extractedPasswords, fromVersion: version, rejected };
}

/**
 * Reads the passwords of an old-version file kept as a migration backup (profile id → password).
 * Entries that cannot be read are skipped: the backup is only a source of passwords.
 */
export function passwordsOfBackup(textContent: string): Map<string, string> {
  const out = new Map<string, string>();
  try {
    const loaded = parseProfilesFile(textContent);
    for (const [id, password] of loaded.extractedPasswords) out.set(id, password);
  } catch {
    // An unreadable backup gives no passwords; it stays on disk for the user.
  }
  return out;
}

/** The text written to disk. */
export const serializeProfilesFile = (file: ProfilesFile): string => `${JSON.stringify(file, null, 2)}\n`;
