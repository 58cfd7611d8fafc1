/**
 * The publish composer's named templates and last sends, per profile, in
 * `<userData>/publish-library.json`: written atomically, bounded, validated when read. A file
 * that cannot be used is moved aside to `publish-library.corrupt-<timestamp>.json` (never
 * overwritten) and the reason is reported with the next load.
 */
import { join } from 'node:path';
import type { PublishLibrary, SavePublishLibraryRequest } from '../../../../common/src/dto/publish.js';
import { MAX_HISTORY, MAX_TEMPLATES } from '../../../../common/src/dto/publish.js';
import { serializeError } from '../../../../common/src/ipc/errors.js';
import { publishHistorySchema, publishTemplateSchema } from '../../../../common/src/ipc/publishSchemas.js';
import type { FileOps } from '../atomicFile.js';
import { nodeFileOps, writeFileAtomic } from '../atomicFile.js';

/** The file name inside the user-data folder. */
export const PUBLISH_LIBRARY_FILE = 'publish-library.json';
/** Largest file read back. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** Profiles whose library is kept (the oldest-written go first beyond this). */
const MAX_PROFILES = 256;

interface FileShape {
  version: 1;
  profiles: Record<string, { templates: unknown[]; history: unknown[] }>;
}

/** Reads and writes the libraries of every profile. */
export class PublishLibraryStore {
  readonly path: string;
  readonly #fs: FileOps;
  readonly #now: () => Date;
  #cache: Map<string, PublishLibrary> | undefined;
  #problem: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: { dir: string; fs?: FileOps; now?: () => Date }) {
    this.path = join(options.dir, PUBLISH_LIBRARY_FILE);
    this.#fs = options.fs ?? nodeFileOps;
    this.#now = options.now ?? (() => new Date());
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(task, task);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #all(): Promise<Map<string, PublishLibrary>> {
    if (this.#cache !== undefined) return this.#cache;
    const map = new Map<string, PublishLibrary>();
    let text: string;
    try {
      const handle = await this.#fs.open(this.path, 'r');
      try {
        const { size } = await handle.stat();
        if (size > MAX_FILE_BYTES) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
        text = await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        await this.#setAside(serializeError(error).message);
      this.#cache = map;
      return map;
    }
    try {
      const parsed = JSON.parse(text) as FileShape;
      if (parsed.version !== 1 || typeof parsed.profiles !== 'object' || parsed.profiles === null) {
        throw new Error('not a version 1 publish library');
      }
      for (const [key, lib] of Object.entries(parsed.profiles)) {
        map.set(key, {
          templates: lib.templates
            .slice(0, MAX_TEMPLATES)
            .map((t, i) => publishTemplateSchema.parse(t, `${key}.templates[${i}]`)),
          history: lib.history
            .slice(0, MAX_HISTORY)
            .map((h, i) => publishHistorySchema.parse(h, `${key}.history[${i}]`)),
        });
      }
    } catch (error) {
      map.clear();
      await this.#setAside(serializeError(error).message);
    }
    this.#cache = map;
    return map;
  }

  async #setAside(why: string): Promise<void> {
    const stamp = this.#now().toISOString().replace(/[:.]/g, '-');
    const aside = join(this.path, '..', `publish-library.corrupt-${stamp}.json`);
    try {
      await this.#fs.rename(this.path, aside);
      this.#problem = `the saved publish templates could not be used (${why}); the file was kept as ${aside}`;
    } catch (error) {
      this.#problem = `the saved publish templates could not be used (${why}) nor moved aside: ${serializeError(error).message}`;
    }
  }

  /** The library of a profile (empty when it has none); reports a set-aside file once. */
  load(profileKey: string): Promise<PublishLibrary> {
    return this.#serial(async () => {
      const map = await this.#all();
      const lib = map.get(profileKey) ?? { templates: [], history: [] };
      const problem = this.#problem;
      this.#problem = undefined;
      return { ...structuredClone(lib), ...(problem === undefined ? {} : { problem }) };
    });
  }

  /** Replaces the library of a profile. */
  save(request: SavePublishLibraryRequest): Promise<void> {
    return this.#serial(async () => {
      const map = await this.#all();
      map.delete(request.profileKey);
      map.set(request.profileKey, { templates: request.templates, history: request.history });
      while (map.size > MAX_PROFILES) map.delete(map.keys().next().value as string);
      const file: FileShape = { version: 1, profiles: Object.fromEntries(map) };
      await writeFileAtomic(this.#fs, this.path, JSON.stringify(file));
    });
  }
}
