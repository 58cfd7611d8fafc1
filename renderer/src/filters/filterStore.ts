/**
 * The filters a person used per topic (a history, most recent first) and the filters they
 * named, per connection profile. Kept in the page's localStorage (the workspace file holds
 * views, not these): a reload and a host restart in the same browser profile keep them.
 * Bounded: {@link HISTORY_LIMIT} per topic, {@link TOPIC_LIMIT} topics, {@link SAVED_LIMIT}
 * named filters per profile. A corrupt entry is set aside (reported), never thrown.
 */

/** The bits of `Storage` used here. */
export interface FilterStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const HISTORY_KEY = 'amps-explorer.filter-history';
export const SAVED_KEY = 'amps-explorer.saved-filters';
export const HISTORY_LIMIT = 20;
export const TOPIC_LIMIT = 200;
export const SAVED_LIMIT = 100;
/** The profile key of connections not opened from a saved profile. */
export const NO_PROFILE = '';

/** A filter saved under a name. */
export interface SavedFilter {
  name: string;
  filter: string;
}

type History = Record<string, string[]>;
type Saved = Record<string, SavedFilter[]>;

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isSavedArray = (v: unknown): v is SavedFilter[] =>
  Array.isArray(v) &&
  v.every(
    (s) =>
      typeof s === 'object' &&
      s !== null &&
      typeof (s as SavedFilter).name === 'string' &&
      typeof (s as SavedFilter).filter === 'string',
  );

/** Filter history per topic and named filters per profile, over a storage. */
export class FilterStore {
  readonly #storage: FilterStorage;
  /** What could not be read (the unreadable text is left in place until the next write). */
  problem: string | undefined;

  constructor(storage: FilterStorage) {
    this.#storage = storage;
  }

  #read<T>(key: string, valid: (v: unknown) => boolean): Record<string, T> {
    const text = this.#storage.getItem(key);
    if (text === null) return {};
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      const out: Record<string, T> = {};
      for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) if (valid(v)) out[k] = v as T;
      return out;
    } catch (error) {
      this.problem = `${key} could not be read (${error instanceof Error ? error.message : String(error)}); it starts empty`;
      return {};
    }
  }

  /** The filters used on `topic`, most recent first. */
  history(topic: string): string[] {
    return this.#read<string[]>(HISTORY_KEY, isStringArray)[topic] ?? [];
  }

  /** Records `filter` as the latest used on `topic` (blank filters are not recorded). */
  remember(topic: string, filter: string): void {
    const text = filter.trim();
    if (text === '' || topic.trim() === '') return;
    const all = this.#read<string[]>(HISTORY_KEY, isStringArray);
    const list = [text, ...(all[topic] ?? []).filter((f) => f !== text)].slice(0, HISTORY_LIMIT);
    delete all[topic];
    const kept: History = { [topic]: list };
    for (const [k, v] of Object.entries(all).slice(0, TOPIC_LIMIT - 1)) kept[k] = v;
    this.#storage.setItem(HISTORY_KEY, JSON.stringify(kept));
  }

  /** The named filters of a profile, by name. */
  saved(profile: string = NO_PROFILE): SavedFilter[] {
    return this.#read<SavedFilter[]>(SAVED_KEY, isSavedArray)[profile] ?? [];
  }

  /**
   * Saves `filter` as `name` for `profile` (replacing one of the same name).
   * @returns a problem to show, or undefined when saved
   */
  save(profile: string, name: string, filter: string): string | undefined {
    const label = name.trim();
    if (label === '') return 'A saved filter needs a name.';
    if (filter.trim() === '') return 'There is no filter to save.';
    const all = this.#read<SavedFilter[]>(SAVED_KEY, isSavedArray);
    const list = (all[profile] ?? []).filter((s) => s.name !== label);
    if (list.length >= SAVED_LIMIT) return `At most ${SAVED_LIMIT} filters can be saved per profile; delete one first.`;
    list.push({ name: label, filter: filter.trim() });
    list.sort((a, b) => a.name.localeCompare(b.name));
    all[profile] = list;
    this.#storage.setItem(SAVED_KEY, JSON.stringify(all));
    return undefined;
  }

  /** Deletes the named filter `name` of `profile`. */
  remove(profile: string, name: string): void {
    const all: Saved = this.#read<SavedFilter[]>(SAVED_KEY, isSavedArray);
    const list = (all[profile] ?? []).filter((s) => s.name !== name);
    if (list.length === 0) delete all[profile];
    else all[profile] = list;
    this.#storage.setItem(SAVED_KEY, JSON.stringify(all));
  }
}

/** The page's store (localStorage), or one in memory when the page has none. */
export function pageFilterStore(): FilterStore {
  const memory = new Map<string, string>();
  const storage: FilterStorage =
    typeof localStorage === 'undefined'
      ? { getItem: (k) => memory.get(k) ?? null, setItem: (k, v) => void memory.set(k, v) }
      : localStorage;
  return new FilterStore(storage);
}
