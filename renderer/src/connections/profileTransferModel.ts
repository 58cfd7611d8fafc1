/**
 * Import and export of saved profiles, and the words for the problems of a profiles file, as
 * plain logic (no DOM). The component picks the file and offers the download.
 */
import type { ImportProfilesResult, ProfilesProblem } from '../../../common/src/dto/profiles.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { PROFILE_LIMITS } from '../../../common/src/ipc/profileSchemas.js';
import { Model, messageOf } from '../lib/model.js';

/** What the import/export panel shows. */
export interface ProfileTransferSnapshot {
  busy: boolean;
  /** Export passwords and TLS keys too (the warning shows while ticked). */
  includePasswords: boolean;
  /** The last import's outcome. */
  imported: (ImportProfilesResult & { fileName: string }) | undefined;
  /** The last export's file name. */
  exported: string | undefined;
  error: string | undefined;
}

/** A file the user picked for import; `text` absent when it was too large to read. */
export interface PickedJson {
  fileName: string;
  size: number;
  text?: string;
}

/** Import/export of profiles through main. */
export class ProfileTransferModel extends Model<ProfileTransferSnapshot> {
  readonly #api: ExplorerApi;

  constructor(api: ExplorerApi) {
    super({
      busy: false,
      includePasswords: false,
      imported: undefined,
      exported: undefined,
      error: undefined,
    });
    this.#api = api;
  }

  setIncludePasswords(on: boolean): void {
    this.update({ includePasswords: on });
  }

  /** Asks main for the export; resolves with the file to offer as a download. */
  async export(): Promise<{ fileName: string; json: string } | undefined> {
    this.update({ busy: true, error: undefined, exported: undefined });
    try {
      const file = await this.#api.exportProfiles({ includePasswords: this.state.includePasswords });
      this.update({ busy: false, exported: file.fileName });
      return file;
    } catch (error) {
      this.update({ busy: false, error: `Export failed: ${messageOf(error)}` });
      return undefined;
    }
  }

  /** Imports a picked file (at most {@link PROFILE_LIMITS.importJson} bytes); resolves true when something was added. */
  async import(file: PickedJson): Promise<boolean> {
    if (file.size > PROFILE_LIMITS.importJson || file.text === undefined) {
      this.update({
        error: `Import refused: ${file.fileName} is larger than ${PROFILE_LIMITS.importJson / (1024 * 1024)} MiB (${file.size} bytes)`,
        imported: undefined,
      });
      return false;
    }
    if (file.text.trim() === '') {
      this.update({ error: `Import refused: ${file.fileName} is empty`, imported: undefined });
      return false;
    }
    this.update({ busy: true, error: undefined, imported: undefined });
    try {
      const result = await this.#api.importProfiles({ fileName: file.fileName, json: file.text });
      this.update({ busy: false, imported: { ...result, fileName: file.fileName } });
      return result.added > 0;
    } catch (error) {
      this.update({ busy: false, error: `Import of ${file.fileName} failed: ${messageOf(error)}` });
      return false;
    }
  }
}

/** One line about an import's outcome. */
export function describeImport(r: ImportProfilesResult & { fileName: string }): string {
  const added = `${r.added} profile${r.added === 1 ? '' : 's'} added from ${r.fileName}`;
  return r.skipped.length === 0 ? `${added}.` : `${added}; ${r.skipped.length} skipped:`;
}

/** A problem of the profiles file in words, saying what was set aside and where it was kept. */
export function describeProfilesProblem(p: ProfilesProblem): string {
  const kept = p.backupFile === undefined ? '' : ` It was kept as ${p.backupFile}.`;
  switch (p.kind) {
    case 'corrupt':
      return `The profiles file could not be read and was set aside: ${p.message}.${kept} Nothing was overwritten.`;
    case 'unreadable':
      return `The profiles file could not be opened: ${p.message}. Profiles are read-only until it can be.`;
    case 'newer-version':
      return `The profiles file was written by a newer version of the app: ${p.message}. Profiles are read-only.`;
    case 'rejected-entry': {
      const which = `Profile ${p.index === undefined ? '' : `#${p.index + 1} `}${p.name === undefined ? '' : `"${p.name}" `}`;
      return `${which}was set aside: ${p.message}.${kept}`;
    }
    case 'migration-backup':
      return `The profiles file was migrated from an older version: ${p.message}.${kept}`;
  }
}
