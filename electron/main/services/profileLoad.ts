/**
 * Reading `profiles.json` at start, with its recovery: stale temp files of an interrupted write
 * are removed, an unreadable file is moved aside, bad entries are set aside in the sidecar, a
 * file from a newer version makes profiles read-only, and an old-version file is migrated
 * (kept beside the new one while its passwords can only live in memory).
 */
import { join } from 'node:path';
import type { ProfilesProblem } from '../../../common/src/dto/profiles.js';
import { serializeError } from '../../../common/src/ipc/errors.js';
import type { Logger } from '../platform/logger.js';
import type { SecretCipher } from '../platform/secretCipher.js';
import type { FileOps } from './atomicFile.js';
import { removeStaleTemps, writeFileAtomic } from './atomicFile.js';
import {
  NewerVersionError,
  PROFILES_FILE_VERSION,
  parseProfilesFile,
  passwordsOfBackup,
  serializeProfilesFile,
} from './profileFile.js';
import type { LoadedFile, ProfilesFile, RejectedEntry } from './profileFile.js';
import { appendRejected, REJECTED_FILE } from './profileRejects.js';

/** What loading leaves for the profile store: updated in place as the file is read. */
export interface ProfilesLoadState {
  file: ProfilesFile;
  problems: ProfilesProblem[];
  writable: boolean;
  readOnlyReason: string | undefined;
}

/** Where the file is and what loading uses. */
export interface ProfilesLoadIo {
  /** `<dir>/profiles.json`. */
  path: string;
  /** The user-data folder (backups and the sidecar go there). */
  dir: string;
  fs: FileOps;
  cipher: SecretCipher;
  logger: Logger;
  now: () => Date;
}

/** Reads the profiles file into `state`, recovering what it can and reporting the rest. */
export function loadProfilesFile(io: ProfilesLoadIo, state: ProfilesLoadState): Promise<void> {
  return new ProfilesFileLoad(io, state).run();
}

class ProfilesFileLoad {
  readonly #io: ProfilesLoadIo;
  readonly #state: ProfilesLoadState;

  constructor(io: ProfilesLoadIo, state: ProfilesLoadState) {
    this.#io = io;
    this.#state = state;
  }

  async run(): Promise<void> {
    const { fs, path } = this.#io;
    const stale = await removeStaleTemps(fs, path);
    if (stale.length > 0)
      this.#io.logger.warn(`profiles: removed ${stale.length} temp file(s) of an interrupted write`);
    let text: string;
    try {
      text = await fs.readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.#readOnly(`cannot read ${path}: ${serializeError(error).message}`, 'unreadable');
      return;
    }
    let loaded: LoadedFile;
    try {
      loaded = parseProfilesFile(text);
    } catch (error) {
      if (error instanceof NewerVersionError) {
        this.#readOnly(`${error.message}; profiles are read-only until you update`, 'newer-version');
        return;
      }
      await this.#quarantine(error);
      return;
    }
    this.#state.file = loaded.file;
    if (loaded.rejected.length > 0 && !(await this.#setAside(loaded.rejected))) return;
    await this.#checkBackup();
    if (loaded.fromVersion !== PROFILES_FILE_VERSION) await this.#migrate(loaded, text);
  }

  /** Keeps rejected entries in the sidecar and reports each; false when they could not be kept. */
  async #setAside(rejected: RejectedEntry[]): Promise<boolean> {
    const sidecar = join(this.#io.dir, REJECTED_FILE);
    try {
      await appendRejected(this.#io.fs, sidecar, rejected, this.#io.now());
    } catch (error) {
      this.#readOnly(
        `${rejected.length} profile(s) could not be read and could not be set aside (${serializeError(error).message}); profiles are read-only so they are not lost`,
        'unreadable',
      );
      return false;
    }
    for (const r of rejected) {
      const label = r.name === undefined ? `entry ${r.index + 1}` : `"${r.name}" (entry ${r.index + 1})`;
      this.#state.problems.push({
        kind: 'rejected-entry',
        message: `profile ${label} was set aside: ${r.reason}`,
        backupFile: sidecar,
        index: r.index,
        ...(r.name === undefined ? {} : { name: r.name }),
      });
    }
    this.#io.logger.warn(`profiles: ${rejected.length} entry(ies) set aside in ${sidecar}`);
    return true;
  }

  /**
   * Rewrites an old-format file in the current format. Passwords pulled out of it are
   * encrypted; when they can only be kept in memory, the old file is kept beside the new one
   * (its passwords are read again at each launch) until the user confirms.
   */
  async #migrate(loaded: LoadedFile, oldText: string): Promise<void> {
    const { cipher, logger } = this.#io;
    for (const p of this.#state.file.profiles) {
      const password = loaded.extractedPasswords.get(p.id);
      if (password !== undefined) p.secret = cipher.encrypt(password);
    }
    try {
      if (loaded.extractedPasswords.size > 0 && !cipher.info.persistent) {
        const file = await this.#freeName(`profiles.v${loaded.fromVersion}`);
        await writeFileAtomic(this.#io.fs, join(this.#io.dir, file), oldText);
        this.#state.file.migrationBackup = { file, fromVersion: loaded.fromVersion };
        this.#reportBackup(file, loaded.fromVersion);
      }
      await writeFileAtomic(this.#io.fs, this.#io.path, serializeProfilesFile(this.#state.file));
      logger.info(`profiles: migrated file from version ${loaded.fromVersion} to ${PROFILES_FILE_VERSION}`);
    } catch (error) {
      this.#readOnly(
        `the profiles file (version ${loaded.fromVersion}) could not be migrated: ${serializeError(error).message}`,
        'unreadable',
      );
    }
  }

  /** A kept old-version file: reported, and its passwords used where memory lost them. */
  async #checkBackup(): Promise<void> {
    const backup = this.#state.file.migrationBackup;
    if (backup === undefined) return;
    let text: string;
    try {
      text = await this.#io.fs.readFile(join(this.#io.dir, backup.file), 'utf8');
    } catch {
      delete this.#state.file.migrationBackup;
      return;
    }
    const cipher = this.#io.cipher;
    const passwords = passwordsOfBackup(text);
    for (const p of this.#state.file.profiles) {
      const password = passwords.get(p.id);
      if (password !== undefined && (p.secret === undefined || cipher.decrypt(p.secret) === undefined)) {
        p.secret = cipher.encrypt(password);
      }
    }
    this.#reportBackup(backup.file, backup.fromVersion);
  }

  #reportBackup(file: string, fromVersion: number): void {
    this.#state.problems.push({
      kind: 'migration-backup',
      message:
        `the profiles file was upgraded from version ${fromVersion}; its passwords cannot be stored ` +
        `persistently here, so the old file is kept as ${file} (it holds them in plain text) until you confirm`,
      backupFile: join(this.#io.dir, file),
    });
  }

  /** `<base>.json`, or `<base>-<timestamp>.json` when that exists already. */
  async #freeName(base: string): Promise<string> {
    const names = await this.#io.fs.readdir(this.#io.dir).catch(() => [] as string[]);
    const plain = `${base}.json`;
    return names.includes(plain) ? `${base}-${this.#stamp()}.json` : plain;
  }

  /** Moves an unreadable file aside, so it is kept but not in the way. */
  async #quarantine(error: unknown): Promise<void> {
    const backupFile = join(this.#io.dir, `profiles.corrupt-${this.#stamp()}.json`);
    const reason = serializeError(error).message;
    try {
      await this.#io.fs.rename(this.#io.path, backupFile);
      this.#state.problems.push({
        kind: 'corrupt',
        message: `the profiles file could not be read (${reason}); it was kept as ${backupFile} and a new one will be started`,
        backupFile,
      });
      this.#io.logger.error(`profiles: the file could not be read; kept as ${backupFile}`);
    } catch (renameError) {
      this.#readOnly(
        `the profiles file could not be read (${reason}) nor moved aside (${serializeError(renameError).message}); profiles are read-only`,
        'unreadable',
      );
    }
  }

  #readOnly(message: string, kind: ProfilesProblem['kind']): void {
    this.#state.writable = false;
    this.#state.readOnlyReason = message;
    this.#state.problems.push({ kind, message });
    this.#io.logger.error(`profiles: ${message}`);
  }

  #stamp(): string {
    return this.#io.now().toISOString().replace(/[:.]/g, '-');
  }
}
