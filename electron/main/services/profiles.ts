import { join } from 'node:path';
import type {
  Profile,
  ProfilesProblem,
  ProfilesState,
  SaveProfileRequest,
} from '../../../common/src/dto/profiles.js';
import { PROFILE_LIMITS } from '../../../common/src/ipc/profileSchemas.js';
import { ExplorerError } from '../../../common/src/ipc/errors.js';
import type { Logger } from '../platform/logger.js';
import type { SecretCipher } from '../platform/secretCipher.js';
import type { FileOps } from './atomicFile.js';
import { nodeFileOps, writeFileAtomic } from './atomicFile.js';
import { PROFILES_FILE_VERSION, serializeProfilesFile } from './profileFile.js';
import type { ProfilesFile, StoredProfile } from './profileFile.js';
import { loadProfilesFile } from './profileLoad.js';
import type { ProfilesLoadState } from './profileLoad.js';
import { buildStoredProfile, newProfileId, toProfile } from './profileRecords.js';

/** A profile the app provides itself (the local sandbox); not stored in the file. */
export interface BuiltInProfile {
  profile: Profile;
  password?: string;
}

/** A profile with its secrets, for opening a connection (main process only; never log it). */
export interface ResolvedProfile {
  profile: Profile;
  password?: string;
  /** PEM texts of the profile's TLS files (the key decrypted). */
  tls: { ca?: string; cert?: string; key?: string };
}

/** Options of {@link ProfileStore}. */
export interface ProfileStoreOptions {
  /** The user-data folder; the file is `<dir>/profiles.json`. */
  dir: string;
  cipher: SecretCipher;
  logger: Logger;
  fs?: FileOps;
  /** Built-in profiles listed first (e.g. "Local sandbox"). */
  builtIns?: () => BuiltInProfile[];
  now?: () => Date;
}

/** The file name inside the user-data folder. */
export const PROFILES_FILE = 'profiles.json';

const profileError = (name: string, code: string, message: string): ExplorerError =>
  new ExplorerError({ name, code, message });
const unknownProfile = (id: string): ExplorerError =>
  profileError('UnknownProfileError', 'unknown-profile', `profile ${id} does not exist`);

/**
 * Saved connection profiles in `<userData>/profiles.json`: written atomically, versioned with
 * migrations, passwords and TLS keys only through the SecretCipher (never plain text in the
 * file or logs). Nothing is lost silently:
 * - a file that cannot be read at all is moved to `profiles.corrupt-<timestamp>.json`;
 * - one bad entry is set aside in `profiles.rejected.json` with why, the others load;
 * - a migration that took plain passwords out of an old file while no persistent key store is
 *   available keeps the old file as `profiles.v<N>.json` until {@link confirmMigration};
 * - a file from a newer version is left alone and saving is refused.
 */
export class ProfileStore {
  readonly path: string;
  readonly #options: ProfileStoreOptions;
  readonly #fs: FileOps;
  #file: ProfilesFile = { version: PROFILES_FILE_VERSION, profiles: [] };
  #problems: ProfilesProblem[] = [];
  #writable = true;
  #readOnlyReason: string | undefined;
  #loaded: Promise<void> | undefined;
  /** Serializes writes so two saves never interleave. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: ProfileStoreOptions) {
    this.#options = options;
    this.#fs = options.fs ?? nodeFileOps;
    this.path = join(options.dir, PROFILES_FILE);
  }

  get cipher(): SecretCipher {
    return this.#options.cipher;
  }

  /** Reads the file once (later calls return the same promise). */
  load(): Promise<void> {
    // A load that failed is not kept: the next call tries again rather than fail forever.
    this.#loaded ??= this.#load().catch((error: unknown) => {
      this.#loaded = undefined;
      throw error;
    });
    return this.#loaded;
  }

  async state(): Promise<ProfilesState> {
    await this.load();
    return {
      profiles: [...this.#builtIns().map((b) => structuredClone(b.profile)), ...this.#saved()],
      problems: this.#problems.map((p) => ({ ...p })),
      secretsPersistent: this.#options.cipher.info.persistent,
    };
  }

  /** The saved profiles in their stored form (for export); copies. */
  async stored(): Promise<StoredProfile[]> {
    await this.load();
    return structuredClone(this.#file.profiles);
  }

  /** Creates or updates a profile; a password inside a server string is moved out of it. */
  save(request: SaveProfileRequest): Promise<Profile> {
    return this.#serial(async () => {
      await this.#ready();
      if (request.id !== undefined && this.#isBuiltIn(request.id)) {
        throw profileError(
          'ReadOnlyProfileError',
          'read-only-profile',
          `profile ${request.id} is built in and cannot be changed (duplicate it to make your own)`,
        );
      }
      const existing =
        request.id === undefined ? undefined : this.#file.profiles.find((p) => p.id === request.id);
      if (request.id !== undefined && existing === undefined) throw unknownProfile(request.id);
      if (existing === undefined) this.#assertRoom(1);
      const next = buildStoredProfile(request, existing, this.#options.cipher);
      const profiles =
        existing === undefined
          ? [...this.#file.profiles, next]
          : this.#file.profiles.map((p) => (p.id === next.id ? next : p));
      await this.#write({ ...this.#file, profiles });
      this.#options.logger.info(`profiles: saved ${next.id}`);
      return toProfile(next, this.#options.cipher);
    });
  }

  /** Adds several new profiles in one write (import); returns how many. */
  addMany(requests: SaveProfileRequest[]): Promise<number> {
    return this.#serial(async () => {
      await this.#ready();
      this.#assertRoom(requests.length);
      const added = requests.map((r) =>
        buildStoredProfile({ ...r, id: undefined }, undefined, this.#options.cipher),
      );
      if (added.length === 0) return 0;
      await this.#write({ ...this.#file, profiles: [...this.#file.profiles, ...added] });
      this.#options.logger.info(`profiles: imported ${added.length}`);
      return added.length;
    });
  }

  delete(id: string): Promise<void> {
    return this.#serial(async () => {
      await this.#ready();
      if (this.#isBuiltIn(id)) {
        throw profileError(
          'ReadOnlyProfileError',
          'read-only-profile',
          `profile ${id} is built in and cannot be deleted`,
        );
      }
      if (!this.#file.profiles.some((p) => p.id === id)) throw unknownProfile(id);
      await this.#write({ ...this.#file, profiles: this.#file.profiles.filter((p) => p.id !== id) });
      this.#options.logger.info(`profiles: deleted ${id}`);
    });
  }

  /** Copies a profile (a built-in one too) under a new id and "(copy)" name, right after it. */
  duplicate(id: string): Promise<Profile> {
    return this.#serial(async () => {
      await this.#ready();
      this.#assertRoom(1);
      const builtIn = this.#builtIns().find((b) => b.profile.id === id);
      let copy: StoredProfile;
      let at: number;
      if (builtIn !== undefined) {
        const { profile, password } = builtIn;
        copy = buildStoredProfile(
          {
            name: profile.name,
            servers: profile.servers,
            ha: profile.ha,
            bookmarkStore: profile.bookmarkStore,
            publishStore: profile.publishStore,
            production: profile.production,
            tls: { verify: profile.tls.verify },
            ...(password === undefined ? {} : { password }),
          },
          undefined,
          this.#options.cipher,
        );
        at = 0;
      } else {
        at = this.#file.profiles.findIndex((p) => p.id === id);
        const original = this.#file.profiles[at];
        if (original === undefined) throw unknownProfile(id);
        copy = { ...structuredClone(original), id: newProfileId() };
        at += 1;
      }
      copy.name = `${copy.name} (copy)`.slice(0, PROFILE_LIMITS.name);
      const profiles = [...this.#file.profiles];
      profiles.splice(at, 0, copy);
      await this.#write({ ...this.#file, profiles });
      this.#options.logger.info(`profiles: duplicated ${id} as ${copy.id}`);
      return toProfile(copy, this.#options.cipher);
    });
  }

  /** Puts the saved profiles in the given order: every saved id exactly once (built-ins ignored). */
  reorder(ids: string[]): Promise<void> {
    return this.#serial(async () => {
      await this.#ready();
      const wanted = ids.filter((id) => !this.#isBuiltIn(id));
      const byId = new Map(this.#file.profiles.map((p) => [p.id, p]));
      const seen = new Set<string>();
      for (const id of wanted) {
        if (!byId.has(id)) throw unknownProfile(id);
        if (seen.has(id))
          throw profileError('InvalidOrderError', 'invalid-order', `profile ${id} is listed twice`);
        seen.add(id);
      }
      const missing = this.#file.profiles.filter((p) => !seen.has(p.id)).map((p) => p.id);
      if (missing.length > 0) {
        throw profileError(
          'InvalidOrderError',
          'invalid-order',
          `the new order leaves out ${missing.length} profile(s): ${missing.slice(0, 5).join(', ')}`,
        );
      }
      await this.#write({ ...this.#file, profiles: wanted.map((id) => byId.get(id) as StoredProfile) });
    });
  }

  /** The user has read the migration notice: deletes the kept old-version file. */
  confirmMigration(): Promise<ProfilesState> {
    return this.#serial(async () => {
      await this.#ready();
      const backup = this.#file.migrationBackup;
      if (backup !== undefined) {
        await this.#fs.rm(join(this.#options.dir, backup.file), { force: true });
        const { migrationBackup: _, ...rest } = this.#file;
        await this.#write(rest);
        this.#options.logger.info(`profiles: removed the migration backup ${backup.file}`);
      }
      this.#problems = this.#problems.filter((p) => p.kind !== 'migration-backup');
      return this.state();
    });
  }

  /** The profile with its decrypted password and TLS files, for opening a connection. */
  async resolve(profileId: string): Promise<ResolvedProfile> {
    await this.load();
    const builtIn = this.#builtIns().find((b) => b.profile.id === profileId);
    if (builtIn !== undefined) return { ...structuredClone(builtIn), tls: {} };
    const stored = this.#file.profiles.find((p) => p.id === profileId);
    if (stored === undefined) throw unknownProfile(profileId);
    const cipher = this.#options.cipher;
    const password = stored.secret === undefined ? undefined : cipher.decrypt(stored.secret);
    const tls: ResolvedProfile['tls'] = {};
    if (stored.tls.ca !== undefined) tls.ca = stored.tls.ca.pem;
    if (stored.tls.cert !== undefined) tls.cert = stored.tls.cert.pem;
    if (stored.tls.key !== undefined) {
      const key = cipher.decrypt(stored.tls.key.secret);
      if (key === undefined) {
        throw profileError(
          'SecretUnavailableError',
          'secret-unavailable',
          `the TLS key of profile "${stored.name}" cannot be read in this session${
            cipher.info.persistent ? '' : ' (secrets are kept in memory only here)'
          }: pick the key file again`,
        );
      }
      tls.key = key;
    }
    return {
      profile: toProfile(stored, cipher),
      ...(password === undefined ? {} : { password }),
      tls,
    };
  }

  /** Reads the file (recovery and migration: profileLoad.ts) into this store's state. */
  async #load(): Promise<void> {
    const state: ProfilesLoadState = {
      file: this.#file,
      problems: this.#problems,
      writable: this.#writable,
      readOnlyReason: this.#readOnlyReason,
    };
    try {
      await loadProfilesFile(
        {
          path: this.path,
          dir: this.#options.dir,
          fs: this.#fs,
          cipher: this.#options.cipher,
          logger: this.#options.logger,
          now: () => this.#options.now?.() ?? new Date(),
        },
        state,
      );
    } finally {
      this.#file = state.file;
      this.#problems = state.problems;
      this.#writable = state.writable;
      this.#readOnlyReason = state.readOnlyReason;
    }
  }

  async #write(file: ProfilesFile): Promise<void> {
    await writeFileAtomic(this.#fs, this.path, serializeProfilesFile(file));
    this.#file = file;
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #ready(): Promise<void> {
    await this.load();
    if (!this.#writable) {
      throw profileError(
        'ProfilesUnavailableError',
        'profiles-read-only',
        `profiles cannot be saved: ${this.#readOnlyReason ?? 'the file is not writable'}`,
      );
    }
  }

  #assertRoom(adding: number): void {
    if (this.#file.profiles.length + adding > PROFILE_LIMITS.profiles) {
      throw profileError(
        'TooManyProfilesError',
        'too-many-profiles',
        `at most ${PROFILE_LIMITS.profiles} profiles can be saved (${this.#file.profiles.length} exist)`,
      );
    }
  }

  #builtIns(): BuiltInProfile[] {
    return this.#options.builtIns?.() ?? [];
  }

  #saved(): Profile[] {
    return this.#file.profiles.map((p) => toProfile(p, this.#options.cipher));
  }

  #isBuiltIn(id: string): boolean {
    return this.#builtIns().some((b) => b.profile.id === id);
  }
}
