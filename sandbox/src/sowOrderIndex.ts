/**
 * A sorted index of one SOW store per order (an `orderby` clause, or the SOW key order when
 * there is none), kept while the store does not change: pages of a big SOW (`top_n`,
 * `skip_n`) are then read off the index instead of ordering the store for every page, so a
 * jump into the middle of a 1 M record SOW walks it once with cheap checks. The sort values
 * of each record are computed once per build (not per comparison). A store that changes all
 * the time is not indexed again before {@link REBUILD_MIN_MS}, nor before ten times what its
 * last build took: meanwhile its pages are selected as before.
 */
import { valueAt } from './delta.js';
import type { OrderTerm } from './orderBy.js';
import type { SowRecord, SowStore } from './sowStore.js';

/** Least time between two builds of one store's index for one order, ms. */
export const REBUILD_MIN_MS = 2_000;

/** Most orders indexed per store (the oldest is dropped). */
const MAX_ORDERS = 4;

interface Built {
  version: number;
  builtAt: number;
  /** When it may be built again if the store changed. */
  staleUntil: number;
  records: SowRecord[];
}

const indexes = new WeakMap<SowStore, Map<string, Built>>();

/** The sort values of one term for every record: class (missing < number < string < other, as `orderby` ranks them), number, text. */
interface TermColumn {
  rank: Uint8Array;
  num: Float64Array;
  text: string[];
  sign: number;
}

function column(records: readonly SowRecord[], term: OrderTerm): TermColumn {
  const n = records.length;
  const col: TermColumn = {
    rank: new Uint8Array(n),
    num: new Float64Array(n),
    text: new Array<string>(n),
    sign: term.descending ? -1 : 1,
  };
  for (let i = 0; i < n; i++) {
    const v = valueAt((records[i] as SowRecord).json, term.path);
    col.text[i] = '';
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'boolean' || typeof v === 'number') {
      col.rank[i] = 1;
      col.num[i] = Number(v);
    } else if (typeof v === 'string') {
      const num = Number(v);
      if (Number.isFinite(num) && v.trim() !== '') {
        col.rank[i] = 1;
        col.num[i] = num;
      } else {
        col.rank[i] = 2;
        col.text[i] = v;
      }
    } else {
      col.rank[i] = 3;
      col.text[i] = JSON.stringify(v);
    }
  }
  return col;
}

const orderKey = (terms: readonly OrderTerm[]): string =>
  terms.map((t) => `${t.path} ${t.descending ? 'DESC' : 'ASC'}`).join(',');

/** The store's records in `terms` order, ties (and no terms) by SOW key, every record of the store. */
function build(store: SowStore, terms: readonly OrderTerm[]): SowRecord[] {
  const records = [...store.records.values()];
  const columns = terms.map((t) => column(records, t));
  const order = Array.from({ length: records.length }, (_, i) => i);
  order.sort((a, b) => {
    for (const c of columns) {
      const ra = c.rank[a] as number;
      const rb = c.rank[b] as number;
      let d = ra - rb;
      if (d === 0 && ra === 1) d = (c.num[a] as number) - (c.num[b] as number);
      else if (d === 0 && ra > 1)
        d =
          (c.text[a] as string) < (c.text[b] as string)
            ? -1
            : (c.text[a] as string) > (c.text[b] as string)
              ? 1
              : 0;
      if (d !== 0) return d * c.sign;
    }
    const ka = (records[a] as SowRecord).key;
    const kb = (records[b] as SowRecord).key;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return order.map((i) => records[i] as SowRecord);
}

/**
 * The store's records in order, from the index (built now when missing or stale), or
 * undefined when the store changed since the last build and that build is too recent: the
 * caller selects the page itself.
 */
export function orderedRecords(
  store: SowStore,
  terms: readonly OrderTerm[],
  now = Date.now(),
): SowRecord[] | undefined {
  let byOrder = indexes.get(store);
  if (byOrder === undefined) {
    byOrder = new Map();
    indexes.set(store, byOrder);
  }
  const key = orderKey(terms);
  const built = byOrder.get(key);
  if (built !== undefined && built.version === store.version) return built.records;
  if (built !== undefined && now < built.staleUntil) return undefined;
  const t0 = performance.now();
  const records = build(store, terms);
  const cost = performance.now() - t0;
  byOrder.delete(key);
  byOrder.set(key, {
    version: store.version,
    builtAt: now,
    staleUntil: now + Math.max(REBUILD_MIN_MS, cost * 10),
    records,
  });
  if (byOrder.size > MAX_ORDERS) {
    const oldest = byOrder.keys().next().value;
    if (oldest !== undefined) byOrder.delete(oldest);
  }
  return records;
}

/** What {@link pageFromOrdered} selects by. */
export interface OrderedSelection {
  filter?: ((json: unknown) => boolean) | undefined;
  sowKeys?: ReadonlySet<string> | undefined;
  topN?: number | undefined;
  skipN?: number | undefined;
  now: number;
}

/**
 * The page (`skip_n`, `top_n`) of records in index order that are not expired and match the
 * keys and filter, with the counts of the stats ack (records of the topic, records matching).
 */
export function pageFromOrdered(
  ordered: readonly SowRecord[],
  sel: OrderedSelection,
): { records: SowRecord[]; topicMatches: number; matches: number } {
  const skip = sel.skipN ?? 0;
  const end = sel.topN === undefined ? Infinity : skip + sel.topN;
  const records: SowRecord[] = [];
  let topicMatches = 0;
  let matches = 0;
  const { filter, sowKeys, now } = sel;
  for (const r of ordered) {
    if (r.expiresAt !== undefined && r.expiresAt <= now) continue;
    topicMatches++;
    if (sowKeys !== undefined && !sowKeys.has(r.key)) continue;
    if (filter !== undefined && (r.json === undefined || !filter(r.json))) continue;
    if (matches >= skip && matches < end) records.push(r);
    matches++;
  }
  return { records, topicMatches, matches };
}
