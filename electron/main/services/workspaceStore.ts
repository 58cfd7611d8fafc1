import { join } from 'node:path';
import { MAX_WORKSPACE_BYTES } from '../../../common/src/dto/workspace.js';
import type { LoadWorkspaceResult, WorkspaceState } from '../../../common/src/dto/workspace.js';
import { ExplorerError, serializeError } from '../../../common/src/ipc/errors.js';
import { workspaceStateSchema } from '../../../common/src/ipc/workspaceSchemas.js';
import type { Logger } from '../platform/logger.js';
import type { FileOps } from './atomicFile.js';
import { nodeFileOps, removeStaleTemps, writeFileAtomic } from './atomicFile.js';

/** The file name inside the user-data folder. */
export const WORKSPACE_FILE = 'workspace.json';

/** Options of {@link WorkspaceStore}. */
export interface WorkspaceStoreOptions {
  dir: string;
  logger: Logger;
  fs?: FileOps;
  now?: () => Date;
}

/** Largest file read back: the state's limit plus the envelope and pretty-printing room. */
const MAX_FILE_BYTES = 2 * MAX_WORKSPACE_BYTES;

/**
 * The renderer's workspace (tabs, their settings, pane sizes, theme) in
 * `<userData>/workspace.json`: written atomically, bounded, validated on both ways. A file that
 * cannot be used is moved to `workspace.corrupt-<timestamp>.json` and the reason reported once
 * by {@link load}; it is never overwritten.
 */
export class WorkspaceStore {
  readonly path: string;
  readonly #options: WorkspaceStoreOptions;
  readonly #fs: FileOps;
  #queue: Promise<unknown> = Promise.resolve();
  /** Set when an unusable file could not be moved aside: saving would overwrite it. */
  #blocked: string | undefined;

  constructor(options: WorkspaceStoreOptions) {
    this.#options = options;
    this.#fs = options.fs ?? nodeFileOps;
    this.path = join(options.dir, WORKSPACE_FILE);
  }

  /** The stored workspace; null on first launch or when the file could not be used (see `problem`). */
  load(): Promise<LoadWorkspaceResult> {
    return this.#serial(async () => {
      await removeStaleTemps(this.#fs, this.path);
      let text: string;
      try {
        text = await this.#readBounded();
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return { state: null };
        if (code === 'EFBIG') return this.#setAside('it is larger than the workspace limit');
        return {
          state: null,
          problem: `the saved workspace could not be read: ${serializeError(error).message}`,
        };
      }
      let state: WorkspaceState;
      try {
        const raw: unknown = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
        state = workspaceStateSchema.parse(raw, 'workspace');
      } catch (error) {
        return this.#setAside(serializeError(error).message);
      }
      return { state };
    });
  }

  /** Replaces the stored workspace (validated by the request schema already). */
  save(state: WorkspaceState): Promise<void> {
    return this.#serial(async () => {
      if (this.#blocked !== undefined) {
        throw new ExplorerError({
          name: 'WorkspaceUnavailableError',
          code: 'workspace-read-only',
          message: `the workspace is not saved: ${this.#blocked}`,
        });
      }
      await writeFileAtomic(this.#fs, this.path, `${JSON.stringify(state)}\n`);
    });
  }

  async #readBounded(): Promise<string> {
    const handle = await this.#fs.open(this.path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_FILE_BYTES) {
        throw Object.assign(new Error(`${size} bytes`), { code: 'EFBIG' });
      }
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  }

  async #setAside(reason: string): Promise<LoadWorkspaceResult> {
    const stamp = (this.#options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const aside = join(this.#options.dir, `workspace.corrupt-${stamp}.json`);
    try {
      await this.#fs.rename(this.path, aside);
    } catch (error) {
      const problem = `the saved workspace could not be used (${reason}) nor moved aside (${serializeError(error).message})`;
      this.#blocked = problem;
      this.#options.logger.error(`workspace: ${problem}`);
      return { state: null, problem };
    }
    const problem = `the saved workspace could not be used (${reason}); it was kept as ${aside} and a fresh workspace was started`;
    this.#options.logger.warn(`workspace: could not be used; kept as ${aside}`);
    return { state: null, problem };
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
