import { MESSAGE_TYPES } from '../../../common/src/dto/profiles.js';
import type { MessageType, ProfileOptions } from '../../../common/src/dto/profiles.js';
import { array, enumOf, number, object, optional, string } from '../../../common/src/ipc/schemaLib.js';
import { LIMITS } from '../../../common/src/ipc/schemas.js';
import type { StoredSecret } from '../platform/secretCipher.js';
import { splitPassword } from './connectionStrings.js';

/** The version this build writes. */
export const PROFILES_FILE_VERSION = 2;

/** One profile as stored (version 2). */
export interface StoredProfile {
  id: string;
  name: string;
  /** Without password. */
  connectionString: string;
  messageType: MessageType;
  options: ProfileOptions;
  secret?: StoredSecret;
}

/** The file (version 2). */
export interface ProfilesFileV2 {
  version: 2;
  profiles: StoredProfile[];
}

const text = (maxLength: number) => string({ maxLength, minLength: 1 });

const storedProfile = object({
  id: text(LIMITS.id),
  name: text(LIMITS.name),
  connectionString: text(LIMITS.connectionString),
  messageType: enumOf(MESSAGE_TYPES),
  options: object({
    clientName: optional(text(LIMITS.name)),
    heartbeatSeconds: optional(number({ integer: true, min: 0, max: 3600 })),
    failoverConnectionStrings: optional(
      array(text(LIMITS.connectionString), { maxLength: LIMITS.failoverServers }),
    ),
  }),
  secret: optional(object({ scheme: enumOf(['safeStorage', 'memory'] as const), data: text(8192) })),
});

const fileV2 = object({
  version: number({ integer: true, min: 2, max: 2 }),
  profiles: array(storedProfile, { maxLength: 10_000 }),
});

/**
 * Version 1 (the first release): the password sat inside `uri`, and the message type was only
 * the last path segment of the URI.
 */
const fileV1 = object({
  version: number({ integer: true, min: 1, max: 1 }),
  profiles: array(
    object({
      id: text(LIMITS.id),
      name: text(LIMITS.name),
      uri: text(LIMITS.connectionString),
      clientName: optional(text(LIMITS.name)),
    }),
    { maxLength: 10_000 },
  ),
});

/** The result of reading a file: current-format data plus passwords a migration took out. */
export interface LoadedFile {
  file: ProfilesFileV2;
  /** Profile id → plain password pulled out of an older format; to be encrypted at once. */
  extractedPasswords: Map<string, string>;
  /** The version found on disk. */
  fromVersion: number;
}

/** The file's `version` is newer than this build understands. */
export class NewerVersionError extends Error {
  override name = 'NewerVersionError';
  constructor(readonly version: number) {
    super(`profiles file version ${version} is newer than this app (${PROFILES_FILE_VERSION})`);
  }
}

const messageTypeOf = (uri: string): MessageType => {
  const path = uri.replace(/[?#].*$/s, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  return (MESSAGE_TYPES as readonly string[]).includes(last) ? (last as MessageType) : 'json';
};

/** Migrates version 1 to 2: moves the password out of the URI, derives the message type. */
function migrate1to2(input: unknown): { file: ProfilesFileV2; extracted: Map<string, string> } {
  const v1 = fileV1.parse(input, 'profiles file');
  const extracted = new Map<string, string>();
  const profiles = v1.profiles.map((p): StoredProfile => {
    const split = splitPassword(p.uri);
    if (split.password !== undefined && split.password !== '') extracted.set(p.id, split.password);
    return {
      id: p.id,
      name: p.name,
      connectionString: split.connectionString,
      messageType: messageTypeOf(split.connectionString),
      options: p.clientName === undefined ? {} : { clientName: p.clientName },
    };
  });
  return { file: { version: 2, profiles }, extracted };
}

/**
 * Parses the file text: JSON, then the version chain of migrations, then the current schema.
 * Throws SyntaxError / ValidationError for a corrupt file, NewerVersionError for a future one.
 */
export function parseProfilesFile(textContent: string): LoadedFile {
  const raw: unknown = JSON.parse(textContent);
  const version =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw)
      ? (raw as Record<string, unknown>).version
      : undefined;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return {
      file: fileV2.parse(raw, 'profiles file') as ProfilesFileV2,
      extractedPasswords: new Map(),
      fromVersion: 2,
    };
  }
  if (version > PROFILES_FILE_VERSION) throw new NewerVersionError(version);
  if (version === 1) {
    const { file, extracted } = migrate1to2(raw);
    return { file, extractedPasswords: extracted, fromVersion: 1 };
  }
  return {
    file: fileV2.parse(raw, 'profiles file') as ProfilesFileV2,
    extractedPasswords: new Map(),
    fromVersion: 2,
  };
}

/** The text written to disk. */
export const serializeProfilesFile = (file: ProfilesFileV2): string => `${JSON.stringify(file, null, 2)}\n`;
