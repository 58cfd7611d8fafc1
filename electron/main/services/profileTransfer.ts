import type {
  ExportedProfiles,
  ImportProfilesResult,
  SaveProfileRequest,
} from '../../../common/src/dto/profiles.js';
import { ExplorerError, ValidationError } from '../../../common/src/ipc/errors.js';
import { PROFILE_LIMITS, saveProfileSchema } from '../../../common/src/ipc/profileSchemas.js';
import { splitPassword } from './connectionStrings.js';
import type { StoredProfile } from './profileFile.js';
import type { ProfileStore } from './profiles.js';

/** The `format` field of an exported profiles file. */
export const EXPORT_FORMAT = 'amps-explorer-profiles';
/** The version of the export format. */
export const EXPORT_VERSION = 1;

const importError = (message: string): ExplorerError =>
  new ExplorerError({ name: 'ImportError', code: 'invalid-import', message });

/**
 * The saved profiles as an export file: every setting, the CA and certificate files, and only
 * when `includePasswords` the passwords and private keys (in plain text; the UI warns).
 * Built-in profiles are not exported. A secret this session cannot read is left out.
 */
export async function exportProfiles(
  store: ProfileStore,
  includePasswords: boolean,
  now: Date = new Date(),
): Promise<ExportedProfiles> {
  const cipher = store.cipher;
  const profiles = (await store.stored()).map((p: StoredProfile) => {
    const entry: SaveProfileRequest = {
      name: p.name,
      servers: p.servers,
      ...(p.user === undefined ? {} : { user: p.user }),
      ...(p.clientName === undefined ? {} : { clientName: p.clientName }),
      ...(p.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: p.heartbeatSeconds }),
      tls: {
        verify: p.tls.verify,
        ...(p.tls.ca === undefined ? {} : { ca: p.tls.ca }),
        ...(p.tls.cert === undefined ? {} : { cert: p.tls.cert }),
      },
      ha: p.ha,
      bookmarkStore: p.bookmarkStore,
      publishStore: p.publishStore,
      ...(p.adminUrl === undefined ? {} : { adminUrl: p.adminUrl }),
      ...(p.color === undefined ? {} : { color: p.color }),
      production: p.production,
    };
    if (includePasswords) {
      const password = p.secret === undefined ? undefined : cipher.decrypt(p.secret);
      if (password !== undefined) entry.password = password;
      const key = p.tls.key === undefined ? undefined : cipher.decrypt(p.tls.key.secret);
      if (key !== undefined && p.tls.key !== undefined && entry.tls !== undefined) {
        entry.tls.key = { fileName: p.tls.key.fileName, pem: key };
      }
    }
    return entry;
  });
  const file = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    includesPasswords: includePasswords,
    profiles,
  };
  return {
    fileName: `amps-explorer-profiles-${now.toISOString().slice(0, 10)}.json`,
    json: `${JSON.stringify(file, null, 2)}\n`,
  };
}

const sameServers = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((s, i) => s === b[i]);

/**
 * Adds the profiles of an export file as new profiles (fresh ids; existing profiles are never
 * replaced). Each entry is validated on its own: a bad one is skipped with why, as is one with
 * the name and servers of a profile that exists already. The whole file is refused when it is
 * not an export file.
 */
export async function importProfiles(store: ProfileStore, json: string): Promise<ImportProfilesResult> {
  if (json.length > PROFILE_LIMITS.importJson) {
    throw importError(`the file is larger than ${PROFILE_LIMITS.importJson} bytes`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json.startsWith('\uFEFF') ? json.slice(1) : json);
  } catch (error) {
    throw importError(`the file is not JSON: ${(error as Error).message}`);
  }
  const record =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  if (record.format !== EXPORT_FORMAT) {
    throw importError(
      `the file is not an AMPS Explorer profiles export (format "${EXPORT_FORMAT}" expected)`,
    );
  }
  if (record.version !== EXPORT_VERSION) {
    throw importError(
      `export version ${JSON.stringify(record.version)} is not supported (expected ${EXPORT_VERSION})`,
    );
  }
  const entries = record.profiles;
  if (!Array.isArray(entries)) throw importError('profiles: expected an array');
  if (entries.length > PROFILE_LIMITS.profiles) {
    throw importError(`the file holds more than ${PROFILE_LIMITS.profiles} profiles`);
  }
  const existing = (await store.stored()).map((p) => ({ name: p.name, servers: p.servers }));
  const skipped: ImportProfilesResult['skipped'] = [];
  const accepted: { index: number; request: SaveProfileRequest; servers: string[] }[] = [];
  entries.forEach((entry: unknown, index) => {
    let request: SaveProfileRequest;
    try {
      const copy =
        typeof entry === 'object' && entry !== null ? { ...(entry as Record<string, unknown>) } : entry;
      if (typeof copy === 'object' && copy !== null) delete (copy as Record<string, unknown>).id;
      request = saveProfileSchema.parse(copy, `profiles[${index}]`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      skipped.push({ index, reason: error.message });
      return;
    }
    const servers = request.servers.map((s) => splitPassword(s).connectionString);
    const clash = [...existing, ...accepted.map((a) => ({ name: a.request.name, servers: a.servers }))].find(
      (p) => p.name === request.name && sameServers(p.servers, servers),
    );
    if (clash !== undefined) {
      skipped.push({
        index,
        reason: `a profile named "${request.name}" with the same servers exists already`,
      });
      return;
    }
    accepted.push({ index, request, servers });
  });
  let added = 0;
  try {
    added = await store.addMany(accepted.map((a) => a.request));
  } catch (error) {
    if (error instanceof ExplorerError && error.code === 'invalid-pem') {
      // One bad file in the batch: add the entries one by one, skipping the ones that fail.
      for (const { index, request } of accepted) {
        try {
          added += await store.addMany([request]);
        } catch (inner) {
          if (!(inner instanceof ExplorerError) || inner.code !== 'invalid-pem') throw inner;
          skipped.push({ index, reason: inner.message });
        }
      }
      skipped.sort((a, b) => a.index - b.index);
    } else {
      throw error;
    }
  }
  return { added, skipped };
}
