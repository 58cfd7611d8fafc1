import { MAX_PEM_BYTES, PROFILE_COLORS } from '../dto/profiles.js';
import type {
  ExportProfilesRequest,
  HaDelay,
  ImportProfilesRequest,
  PemUpload,
  ProfileHa,
  ReorderProfilesRequest,
  SaveProfileRequest,
  StoreChoice,
} from '../dto/profiles.js';
import { ValidationError } from './errors.js';
import { array, boolean, enumOf, nullable, number, object, oneOf, optional, string } from './schemaLib.js';
import type { Schema } from './schemaLib.js';

/** Limits of profile payloads and of the profiles file. */
export const PROFILE_LIMITS = {
  id: 128,
  name: 200,
  user: 256,
  password: 1024,
  connectionString: 2048,
  /** Servers of one HA list. */
  servers: 16,
  path: 4096,
  adminUrl: 2048,
  fileName: 255,
  pem: MAX_PEM_BYTES,
  /** Profiles in one file (saved or imported). */
  profiles: 1000,
  /** An import file, as JSON text (room for a few PEM files). */
  importJson: 8 * 1024 * 1024,
} as const;

/** Adds a check to a schema; `check` returns a problem or undefined. */
export function refine<T>(inner: Schema<T>, check: (value: T) => string | undefined): Schema<T> {
  return {
    describe: inner.describe,
    parse(value, path = 'value') {
      const out = inner.parse(value, path);
      const problem = check(out);
      if (problem !== undefined) throw new ValidationError(path, problem);
      return out;
    },
  };
}

const text = (maxLength: number) => string({ maxLength, minLength: 1 });

/** A profile id (also the ids the store generates). */
export const profileIdSchema = string({
  maxLength: PROFILE_LIMITS.id,
  minLength: 1,
  pattern: /^[A-Za-z0-9._:-]+$/,
  patternName: 'an identifier (letters, digits, . _ : -)',
});

/** One server's connection string (not parsed here; the client parses it when connecting). */
export const serverSchema = refine(text(PROFILE_LIMITS.connectionString), (s) =>
  /[\s]/.test(s.trim()) || s.trim() !== s ? 'a connection string must not contain spaces' : undefined,
);

/** The HA server list: one to {@link PROFILE_LIMITS.servers} connection strings. */
export const serversSchema = refine(array(serverSchema, { maxLength: PROFILE_LIMITS.servers }), (list) =>
  list.length === 0 ? 'at least one server is needed' : undefined,
);

const ms = (min: number, max: number) => number({ integer: true, min, max });
const HOUR = 3_600_000;

/** The reconnect delay of an HA profile. */
export const haDelaySchema: Schema<HaDelay> = oneOf([
  object({ kind: enumOf(['fixed'] as const), delayMs: ms(0, HOUR) }),
  refine(
    object({
      kind: enumOf(['exponential'] as const),
      initialMs: ms(1, HOUR),
      maxMs: ms(1, HOUR),
      backoff: number({ min: 1, max: 100 }),
      jitter: number({ min: 0, max: 100 }),
    }),
    (d) =>
      d.maxMs < d.initialMs ? `maxMs (${d.maxMs}) must not be below initialMs (${d.initialMs})` : undefined,
  ),
]);

/** HA settings of a profile. */
export const haSchema: Schema<ProfileHa> = object({
  delay: haDelaySchema,
  giveUpMs: optional(ms(1, 7 * 24 * HOUR)),
  resubscribe: boolean(),
});

/** An absolute file path (POSIX `/…`, Windows `C:\…` or `\\server\…`), no NUL. */
export const absolutePathSchema = string({
  maxLength: PROFILE_LIMITS.path,
  minLength: 1,
  pattern: /^(?:\/|[A-Za-z]:[\\/]|\\\\)[^\0]*$/,
  patternName: 'an absolute file path',
});

/** A bookmark or publish store choice. */
export const storeChoiceSchema: Schema<StoreChoice> = oneOf([
  object({ kind: enumOf(['none', 'memory'] as const) }),
  object({ kind: enumOf(['file'] as const), path: absolutePathSchema }),
]);

/** An http(s) URL of an admin interface. */
export const adminUrlSchema = string({
  maxLength: PROFILE_LIMITS.adminUrl,
  minLength: 1,
  pattern: /^https?:\/\/[^\s/?#@]+(?:[/?#]\S*)?$/i,
  patternName: 'an http:// or https:// URL without credentials',
});

const NOT_PEM_TEXT = /[^\t\n\r\x20-\x7e]/;

/** Problem with a PEM text, or undefined when it looks like PEM (linear-time checks only). */
export function pemProblem(pem: string): string | undefined {
  if (NOT_PEM_TEXT.test(pem)) return 'is not PEM text (it holds non-ASCII or control characters)';
  const begin = pem.indexOf('-----BEGIN ');
  if (begin < 0) return 'is not PEM text (no -----BEGIN line)';
  if (pem.indexOf('-----END ', begin) < 0) return 'is not PEM text (no -----END line)';
  return undefined;
}

/** A PEM file picked by the user: name and text, at most 1 MiB. */
export const pemUploadSchema: Schema<PemUpload> = object({
  fileName: text(PROFILE_LIMITS.fileName),
  pem: refine(string({ maxLength: PROFILE_LIMITS.pem, minLength: 1 }), pemProblem),
});

const optionalText = (maxLength: number) => optional(text(maxLength));

/** The payload of `saveProfile`. */
export const saveProfileSchema: Schema<SaveProfileRequest> = object({
  id: optional(profileIdSchema),
  name: text(PROFILE_LIMITS.name),
  servers: serversSchema,
  user: optionalText(PROFILE_LIMITS.user),
  password: optional(nullable(string({ maxLength: PROFILE_LIMITS.password }))),
  clientName: optionalText(PROFILE_LIMITS.name),
  heartbeatSeconds: optional(number({ integer: true, min: 0, max: 3600 })),
  tls: optional(
    object({
      verify: boolean(),
      ca: optional(nullable(pemUploadSchema)),
      cert: optional(nullable(pemUploadSchema)),
      key: optional(nullable(pemUploadSchema)),
    }),
  ),
  ha: optional(haSchema),
  bookmarkStore: optional(storeChoiceSchema),
  publishStore: optional(storeChoiceSchema),
  adminUrl: optional(adminUrlSchema),
  color: optional(enumOf(PROFILE_COLORS)),
  production: optional(boolean()),
});

/** The payload of `reorderProfiles`. */
export const reorderProfilesSchema: Schema<ReorderProfilesRequest> = object({
  ids: array(profileIdSchema, { maxLength: PROFILE_LIMITS.profiles }),
});

/** The payload of `exportProfiles`. */
export const exportProfilesSchema: Schema<ExportProfilesRequest> = object({ includePasswords: boolean() });

/** The payload of `importProfiles`. */
export const importProfilesSchema: Schema<ImportProfilesRequest> = object({
  fileName: text(PROFILE_LIMITS.fileName),
  json: string({ maxLength: PROFILE_LIMITS.importJson, minLength: 1 }),
});
