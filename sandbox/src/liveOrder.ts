/**
 * The records of one paginated subscription (spec §7.3) in its order, kept as the SOW changes:
 * each publish moves one record (a removal and an insertion in sorted blocks of a few hundred
 * records), and the window (`skip_n`, `top_n`) is read off by rank. Without it every publish
 * that touches the window selected the page from the whole SOW again, which held a 100 k
 * record topic to a few thousand publishes a second. The order is the one `orderby` defines
 * (orderBy.ts: missing values first, numbers by value, then strings, then other values),
 * made total by SOW key as pages are (pageSelect.ts); each record's sort values are computed
 * once, when it enters.
 */
import { valueAt } from './delta.js';
import type { OrderTerm } from './orderBy.js';
import type { SowRecord } from './sowStore.js';

/** Records per block by default; a block twice its size is split. */
const BLOCK = 512;

interface Entry {
  readonly record: SowRecord;
  readonly key: string;
  /** The first term's value class as `orderby` ranks it (missing 0, number 1, string 2, other 3). */
  readonly c0: number;
  /** The first term's value as a number (class 1) or a text (classes 2 and 3). */
  readonly v0: number | string;
  /** Per term, the first one included, as c0 and v0 (empty with one term, to keep entries small). */
  readonly classes: readonly number[];
  readonly values: readonly (number | string)[];
}

const NONE: readonly never[] = Object.freeze([]);

function entryOf(record: SowRecord, terms: readonly OrderTerm[]): Entry {
  const classes: number[] = [];
  const values: (number | string)[] = [];
  for (const term of terms) {
    const v = valueAt(record.json, term.path);
    if (v === undefined || v === null || v === '') {
      classes.push(0);
      values.push(0);
    } else if (typeof v === 'number' || typeof v === 'boolean') {
      classes.push(1);
      values.push(Number(v));
    } else if (typeof v === 'string') {
      const n = Number(v);
      const numeric = Number.isFinite(n) && v.trim() !== '';
      classes.push(numeric ? 1 : 2);
      values.push(numeric ? n : v);
    } else {
      classes.push(3);
      values.push(JSON.stringify(v));
    }
  }
  const c0 = classes[0] ?? 0;
  const v0 = values[0] ?? 0;
  if (terms.length <= 1) return { record, key: record.key, c0, v0, classes: NONE, values: NONE };
  return { record, key: record.key, c0, v0, classes, values };
}

/** A paginated subscription's matching records in its order. */
export class LiveOrder {
  readonly #terms: readonly OrderTerm[];
  readonly #byKey = new Map<string, Entry>();
  readonly #block: number;
  #blocks: Entry[][] = [];
  /** The length of each block, side by side (counting ranks reads these, not every block). */
  #sizes = new Int32Array(0);
  /** The SOW store version the order reflects (SowStore.version). */
  version: number;

  /** Orders `records` (those the subscription matches) by `terms`, ties by SOW key. */
  constructor(terms: readonly OrderTerm[], records: Iterable<SowRecord>, version: number, block = BLOCK) {
    this.#terms = terms;
    this.#block = Math.max(2, block);
    this.version = version;
    const entries: Entry[] = [];
    for (const r of records) {
      const e = entryOf(r, terms);
      entries.push(e);
      this.#byKey.set(r.key, e);
    }
    entries.sort((a, b) => this.#compare(a, b));
    for (let i = 0; i < entries.length; i += this.#block)
      this.#blocks.push(entries.slice(i, i + this.#block));
    this.#resized();
  }

  get size(): number {
    return this.#byKey.size;
  }

  has(key: string): boolean {
    return this.#byKey.has(key);
  }

  /**
   * Places the record's current state (the one of its key taken out first).
   * @returns the rank it had before (-1 when it was not in the order) and the rank it has now
   */
  upsert(record: SowRecord): { was: number; now: number } {
    const was = this.remove(record.key);
    const e = entryOf(record, this.#terms);
    if (this.#blocks.length === 0) {
      this.#byKey.set(record.key, e);
      this.#blocks.push([e]);
      this.#resized();
      return { was, now: 0 };
    }
    const b = this.#blockFor(e);
    const block = this.#blocks[b] as Entry[];
    const i = this.#lowerBound(block, e);
    // Counted while the blocks and the key map hold the same records (before e is in either).
    const now = this.#before(b) + i;
    this.#byKey.set(record.key, e);
    block.splice(i, 0, e);
    const half = this.#block;
    this.#sizes[b] = block.length;
    if (block.length >= 2 * half) {
      this.#blocks.splice(b, 1, block.slice(0, half), block.slice(half));
      this.#resized();
    }
    return { was, now };
  }

  /** Takes a record out; returns the rank it had, or -1 when it was not in the order. */
  remove(key: string): number {
    const e = this.#byKey.get(key);
    if (e === undefined) return -1;
    const b = this.#blockFor(e);
    const block = this.#blocks[b] as Entry[];
    const i = this.#lowerBound(block, e);
    if (block[i] !== e) throw new Error(`the order of a paginated subscription lost record ${key}`);
    const rank = this.#before(b) + i;
    this.#byKey.delete(key);
    block.splice(i, 1);
    this.#sizes[b] = block.length;
    if (block.length === 0) {
      this.#blocks.splice(b, 1);
      this.#resized();
    }
    return rank;
  }

  /** The records at ranks `skip` .. `skip + count - 1`, in order. */
  slice(skip: number, count: number): SowRecord[] {
    const out: SowRecord[] = [];
    let at = 0;
    for (const block of this.#blocks) {
      if (out.length >= count) break;
      if (at + block.length <= skip) {
        at += block.length;
        continue;
      }
      for (let i = Math.max(0, skip - at); i < block.length && out.length < count; i++)
        out.push((block[i] as Entry).record);
      at += block.length;
    }
    return out;
  }

  /** The block lengths again, after blocks were added or dropped. */
  #resized(): void {
    if (this.#sizes.length < this.#blocks.length)
      this.#sizes = new Int32Array(Math.max(16, this.#blocks.length * 2));
    this.#blocks.forEach((block, i) => (this.#sizes[i] = block.length));
  }

  /** Records in the blocks before block `b` (counted from the nearer end; the blocks must hold every record of the key map). */
  #before(b: number): number {
    const sizes = this.#sizes;
    const count = this.#blocks.length;
    let n = 0;
    if (b <= count / 2) {
      for (let i = 0; i < b; i++) n += sizes[i] as number;
      return n;
    }
    for (let i = b; i < count; i++) n += sizes[i] as number;
    return this.#byKey.size - n;
  }

  /** The first block whose last entry does not sort before `e` (the last block when none). */
  #blockFor(e: Entry): number {
    let lo = 0;
    let hi = this.#blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const block = this.#blocks[mid] as Entry[];
      if (this.#compare(block[block.length - 1] as Entry, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Where `e` goes in `block`: the first entry that does not sort before it. */
  #lowerBound(block: readonly Entry[], e: Entry): number {
    let lo = 0;
    let hi = block.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#compare(block[mid] as Entry, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #compare(a: Entry, b: Entry): number {
    const terms = this.#terms;
    if (terms.length > 0) {
      const c = a.c0;
      let d = c - b.c0;
      if (d === 0 && c === 1) d = (a.v0 as number) - (b.v0 as number);
      else if (d === 0 && c > 1) d = a.v0 < b.v0 ? -1 : a.v0 > b.v0 ? 1 : 0;
      if (d !== 0) return (terms[0] as OrderTerm).descending ? -d : d;
    }
    for (let i = 1; i < terms.length; i++) {
      const ca = a.classes[i] as number;
      let d = ca - (b.classes[i] as number);
      if (d === 0 && ca === 1) d = (a.values[i] as number) - (b.values[i] as number);
      else if (d === 0 && ca > 1) {
        const va = a.values[i] as string;
        const vb = b.values[i] as string;
        d = va < vb ? -1 : va > vb ? 1 : 0;
      }
      if (d !== 0) return (terms[i] as OrderTerm).descending ? -d : d;
    }
    const ka = a.key;
    const kb = b.key;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  }
}
