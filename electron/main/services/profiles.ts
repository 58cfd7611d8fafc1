import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type {
  Profile,
  ProfilesProblem,
  ProfilesState,
  SaveProfileRequest,
} from '../../../common/src/dto/profiles.js';
import { ExplorerError, serializeError } from '../../../common/src/ipc/errors.js';
import type { Logger } from '../platform/logger.js';
import type { SecretCipher } from '../platform/secretCipher.js';
import type { FileOps } from './atomicFile.js';
import { nodeFileOps, removeStaleTemps, writeFileAtomic } from './atomicFile.js';
import type { ProfileResolver } from './connections.js';
import { splitPassword } from './connectionStrings.js';
import {
  NewerVersionError,
  PROFILES_FILE_VERSION,
  parseProfilesFile,
  serializeProfilesFile,
} from './profileFile.js';
import type { ProfilesFileV2, StoredProfile } from './profileFile.js';

/** A profile the app provides itself (the local sandbox); not stored in the file. */
export interface BuiltInProfile {
  profile: Profile;
  password?: string;
}

/** Options of {@link ProfileStore}. */
export interface ProfileStoreOptions {
  /** The user-data folder; the file is `<dir>/profiles.json`. */
  dir: string;
  cipher: SecretCipher;
  logger: Logger;
  fs?: FileOps;
  /** Built-in profiles listed first (e.g. "Local sandbox" while the sandbox runs). */
  builtIns?: () => BuiltInProfile[];
  now?: () => Date;
}

/** The file name inside the user-data folder. */
export const PROFILES_FILE = 'profiles.json';

const profileError = (name: string, code: string, message: string): ExplorerError =>
  new ExplorerError({ name, code, message });

/**
 * Saved connection profiles in `<userData>/profiles.json`: written atomically, versioned with
 * migrations, passwords only through the SecretCipher (never plain text in the file or logs).
 * A file that cannot be read is moved to `profiles.corrupt-<timestamp>.json` and reported; it
 * is never silently replaced. A file from a newer version is left alone and saving is refused.
 */
export class ProfileStore implements ProfileResolver {
  readonly path: string;
  readonly #options: ProfileStoreOptions;
  readonly #fs: FileOps;
  #file: ProfilesFileV2 = { version: PROFILES_FILE_VERSION, profiles: [] };
  #problem: ProfilesProblem | undefined;
  #writable = true;
  #loaded: Promise<void> | undefined;
  /** Serializes writes so two saves never interleave. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: ProfileStoreOptions) {
    this.#options = options;
    this.#fs = options.fs ?? nodeFileOps;
    this.path = join(options.dir, PROFILES_FILE);
  }

  /** Reads the file once (later calls return the same promise). */
  load(): Promise<void> {
    this.#loaded ??= this.#load();
    return this.#loaded;
  }

  async state(): Promise<ProfilesState> {
    await this.load();
    const builtIns = (this.#options.builtIns?.() ?? []).map((b) => b.profile);
    return {
      profiles: [...builtIns, ...this.#file.profiles.map((p) => this.#toProfile(p))],
      secretsPersistent: this.#options.cipher.info.persistent,
      ...(this.#problem === undefined ? {} : { problem: { ...this.#problem } }),
    };
  }

  /** Creates or updates a profile; a password inside the connection string is moved out of it. */
  save(request: SaveProfileRequest): Promise<Profile> {
    return this.#serial(async () => {
      await this.load();
      this.#assertWritable();
      if (request.id !== undefined && this.#isBuiltIn(request.id)) {
        throw profileError(
          'ReadOnlyProfileError',
          'read-only-profile',
          `profile ${request.id} is built in and cannot be changed`,
        );
      }
      const split = splitPassword(request.connectionString);
      const failover = request.options.failoverConnectionStrings?.map(
        (s) => splitPassword(s).connectionString,
      );
      const existing =
        request.id === undefined ? undefined : this.#file.profiles.find((p) => p.id === request.id);
      if (request.id !== undefined && existing === undefined) {
        throw profileError('UnknownProfileError', 'unknown-profile', `profile ${request.id} does not exist`);
      }
      const password = request.password !== undefined ? request.password : split.password;
      const next: StoredProfile = {
        id: existing?.id ?? `p-${randomUUID()}`,
        name: request.name,
        connectionString: split.connectionString,
        messageType: request.messageType,
        options: {
          ...request.options,
          ...(failover === undefined ? {} : { failoverConnectionStrings: failover }),
        },
      };
      if (password === undefined) {
        if (existing?.secret !== undefined) next.secret = existing.secret;
      } else if (password !== null && password !== '') {
        next.secret = this.#options.cipher.encrypt(password);
      }
      const profiles =
        existing === undefined
          ? [...this.#file.profiles, next]
          : this.#file.profiles.map((p) => (p.id === next.id ? next : p));
      await this.#write({ version: PROFILES_FILE_VERSION, profiles });
      this.#options.logger.info(`profiles: saved ${next.id}`);
      return this.#toProfile(next);
    });
  }

  delete(id: string): Promise<void> {
    return this.#serial(async () => {
      await this.load();
      this.#assertWritable();
      if (this.#isBuiltIn(id)) {
        throw profileError(
          'ReadOnlyProfileError',
          'read-only-profile',
          `profile ${id} is built in and cannot be deleted`,
        );
      }
      if (!this.#file.profiles.some((p) => p.id === id)) {
        throw profileError('UnknownProfileError', 'unknown-profile', `profile ${id} does not exist`);
      }
      await this.#write({
        version: PROFILES_FILE_VERSION,
        profiles: this.#file.profiles.filter((p) => p.id !== id),
      });
      this.#options.logger.info(`profiles: deleted ${id}`);
    });
  }

  /** The profile and its decrypted password, for opening a connection. */
  async resolve(profileId: string): Promise<{ profile: Profile; password?: string }> {
    await this.load();
    const builtIn = this.#options.builtIns?.().find((b) => b.profile.id === profileId);
    if (builtIn !== undefined) return builtIn;
    const stored = this.#file.profiles.find((p) => p.id === profileId);
    if (stored === undefined)
      throw profileError('UnknownProfileError', 'unknown-profile', `profile ${profileId} does not exist`);
    const password = stored.secret === undefined ? undefined : this.#options.cipher.decrypt(stored.secret);
    return { profile: this.#toProfile(stored), ...(password === undefined ? {} : { password }) };
  }

  async #load(): Promise<void> {
    const fs = this.#fs;
    const stale = await removeStaleTemps(fs, this.path);
    if (stale.length > 0)
      this.#options.logger.warn(`profiles: removed ${stale.length} temp file(s) of an interrupted write`);
    let text: string;
    try {
      text = await fs.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.#writable = false;
      this.#problem = {
        kind: 'unreadable',
        message: `cannot read ${this.path}: ${serializeError(error).message}`,
      };
      this.#options.logger.error(`profiles: ${this.#problem.message}`);
      return;
    }
    let loaded: ReturnType<typeof parseProfilesFile>;
    try {
      loaded = parseProfilesFile(text);
    } catch (error) {
      if (error instanceof NewerVersionError) {
        this.#writable = false;
        this.#problem = {
          kind: 'newer-version',
          message: `${error.message}; profiles are read-only until you update`,
        };
        this.#options.logger.warn(`profiles: ${error.message}`);
        return;
      }
      await this.#quarantine(error);
      return;
    }
    this.#file = loaded.file;
    if (loaded.fromVersion === PROFILES_FILE_VERSION) return;
    // Encrypt what the migration pulled out of the old format and rewrite at once, so the
    // plain-text password of the old file leaves the disk.
    for (const p of this.#file.profiles) {
      const password = loaded.extractedPasswords.get(p.id);
      if (password !== undefined) p.secret = this.#options.cipher.encrypt(password);
    }
    try {
      await this.#write(this.#file);
      this.#options.logger.info(
        `profiles: migrated file from version ${loaded.fromVersion} to ${PROFILES_FILE_VERSION}`,
      );
    } catch (error) {
      this.#options.logger.warn(
        `profiles: could not rewrite the migrated file: ${serializeError(error).message}`,
      );
    }
  }

  /** Moves an unreadable file aside, so it is kept but not in the way. */
  async #quarantine(error: unknown): Promise<void> {
    const stamp = (this.#options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const backupFile = join(this.#options.dir, `profiles.corrupt-${stamp}.json`);
    const reason = serializeError(error).message;
    try {
      await this.#fs.rename(this.path, backupFile);
      this.#problem = {
        kind: 'corrupt',
        message: `the profiles file could not be read (${reason}); it was kept as ${backupFile} and a new one will be started`,
        backupFile,
      };
    } catch (renameError) {
      this.#writable = false;
      this.#problem = {
        kind: 'unreadable',
        message: `the profiles file could not be read (${reason}) nor moved aside (${serializeError(renameError).message}); profiles are read-only`,
      };
    }
    this.#options.logger.error(`profiles: ${this.#problem.message}`);
  }

  async #write(file: ProfilesFileV2): Promise<void> {
    await writeFileAtomic(this.#fs, this.path, serializeProfilesFile(file));
    this.#file = file;
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #assertWritable(): void {
    if (!this.#writable) {
      throw profileError(
        'ProfilesUnavailableError',
        'profiles-read-only',
        `profiles cannot be saved: ${this.#problem?.message ?? 'the file is not writable'}`,
      );
    }
  }

  #isBuiltIn(id: string): boolean {
    return this.#options.builtIns?.().some((b) => b.profile.id === id) ?? false;
  }

  #toProfile(p: StoredProfile): Profile {
    // safeStorage secrets are not decrypted just to list them (that may prompt the OS key store).
    const hasPassword =
      p.secret !== undefined &&
      (p.secret.scheme === 'safeStorage'
        ? this.#options.cipher.info.persistent
        : this.#options.cipher.decrypt(p.secret) !== undefined);
    return {
      id: p.id,
      name: p.name,
      connectionString: p.connectionString,
      messageType: p.messageType,
      options: structuredClone(p.options),
      hasPassword,
      builtIn: false,
    };
  }
}
