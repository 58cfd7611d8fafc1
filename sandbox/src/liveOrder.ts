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
const BLOCK = 256;

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

/** The number the searches compare first: a first-term number, else 0 (its class tells the rest). */
const numberOf = (e: Entry): number => (e.c0 === 1 ? (e.v0 as number) : 0);

/**
 * A block of entries in order, with each entry's first sort value (class and number) side by
 * side in typed arrays: a search reads those, and an entry itself only on a tie or a text.
 */
class Block {
  readonly entries: Entry[];
  #c: Uint8Array;
  #v: Float64Array;

  constructor(entries: Entry[], capacity: number) {
    this.entries = entries;
    this.#c = new Uint8Array(Math.max(capacity, entries.length));
    this.#v = new Float64Array(Math.max(capacity, entries.length));
    entries.forEach((e, i) => {
      this.#c[i] = e.c0;
      this.#v[i] = numberOf(e);
    });
  }

  get length(): number {
    return this.entries.length;
  }

  classAt(i: number): number {
    return this.#c[i] as number;
  }

  numberAt(i: number): number {
    return this.#v[i] as number;
  }

  insert(i: number, e: Entry): void {
    const n = this.entries.length;
    if (n >= this.#c.length) {
      const c = new Uint8Array(n * 2);
      const v = new Float64Array(n * 2);
      c.set(this.#c);
      v.set(this.#v);
      this.#c = c;
      this.#v = v;
    }
    this.#c.copyWithin(i + 1, i, n);
    this.#v.copyWithin(i + 1, i, n);
    this.#c[i] = e.c0;
    this.#v[i] = numberOf(e);
    this.entries.splice(i, 0, e);
  }

  removeAt(i: number): void {
    const n = this.entries.length;
    this.#c.copyWithin(i, i + 1, n);
    this.#v.copyWithin(i, i + 1, n);
    this.entries.splice(i, 1);
  }
}

/** A paginated subscription's matching records in its order. */
export class LiveOrder {
  readonly #terms: readonly OrderTerm[];
  readonly #byKey = new Map<string, Entry>();
  readonly #block: number;
  #blocks: Block[] = [];
  /** The length of each block, side by side (counting ranks reads these, not every block). */
  #sizes = new Int32Array(0);
  /** The first sort value (class, number) of each block's last entry, side by side, for finding a block. */
  #lastC = new Uint8Array(0);
  #lastV = new Float64Array(0);
  readonly #descending: boolean;
  /** The SOW store version the order reflects (SowStore.version). */
  version: number;

  /** Orders `records` (those the subscription matches) by `terms`, ties by SOW key. */
  constructor(terms: readonly OrderTerm[], records: Iterable<SowRecord>, version: number, block = BLOCK) {
    this.#terms = terms;
    this.#block = Math.max(2, block);
    this.#descending = terms[0]?.descending ?? false;
    this.version = version;
    const entries: Entry[] = [];
    for (const r of records) {
      const e = entryOf(r, terms);
      entries.push(e);
      this.#byKey.set(r.key, e);
    }
    entries.sort((a, b) => this.#compare(a, b));
    for (let i = 0; i < entries.length; i += this.#block)
      this.#blocks.push(new Block(entries.slice(i, i + this.#block), 2 * this.#block));
    this.#resized();
  }

  get size(): number {
    return this.#byKey.size;
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
      this.#blocks.push(new Block([e], 2 * this.#block));
      this.#resized();
      return { was, now: 0 };
    }
    const b = this.#blockFor(e);
    const block = this.#blocks[b] as Block;
    const i = this.#lowerBound(block, e);
    // Counted while the blocks and the key map hold the same records (before e is in either).
    const now = this.#before(b) + i;
    this.#byKey.set(record.key, e);
    block.insert(i, e);
    const half = this.#block;
    if (block.length >= 2 * half) {
      const all = block.entries;
      this.#blocks.splice(
        b,
        1,
        new Block(all.slice(0, half), 2 * half),
        new Block(all.slice(half), 2 * half),
      );
      this.#resized();
    } else {
      this.#changed(b);
    }
    return { was, now };
  }

  /** Takes a record out; returns the rank it had, or -1 when it was not in the order. */
  remove(key: string): number {
    const e = this.#byKey.get(key);
    if (e === undefined) return -1;
    const b = this.#blockFor(e);
    const block = this.#blocks[b] as Block;
    const i = this.#lowerBound(block, e);
    if (block.entries[i] !== e) throw new Error(`the order of a paginated subscription lost record ${key}`);
    const rank = this.#before(b) + i;
    this.#byKey.delete(key);
    block.removeAt(i);
    if (block.length === 0) {
      this.#blocks.splice(b, 1);
      this.#resized();
    } else {
      this.#changed(b);
    }
    return rank;
  }

  /** The records at ranks `skip` .. `skip + count - 1`, in order. */
  slice(skip: number, count: number): SowRecord[] {
    const out: SowRecord[] = [];
    let at = 0;
    for (const { entries } of this.#blocks) {
      if (out.length >= count) break;
      if (at + entries.length <= skip) {
        at += entries.length;
        continue;
      }
      for (let i = Math.max(0, skip - at); i < entries.length && out.length < count; i++)
        out.push((entries[i] as Entry).record);
      at += entries.length;
    }
    return out;
  }

  /** The side-by-side figures of every block again, after blocks were added or dropped. */
  #resized(): void {
    if (this.#sizes.length < this.#blocks.length) {
      const room = Math.max(16, this.#blocks.length * 2);
      this.#sizes = new Int32Array(room);
      this.#lastC = new Uint8Array(room);
      this.#lastV = new Float64Array(room);
    }
    for (let b = 0; b < this.#blocks.length; b++) this.#changed(b);
  }

  /** The side-by-side figures of block `b` again, after an entry went in or out. */
  #changed(b: number): void {
    const block = this.#blocks[b] as Block;
    const last = block.length - 1;
    this.#sizes[b] = block.length;
    this.#lastC[b] = block.classAt(last);
    this.#lastV[b] = block.numberAt(last);
  }

  /**
   * Compares the first sort value (class `c`, number `v`) of an entry in the order with `e`'s
   * by those figures alone: the sign when they decide, 0 when the entries must be compared.
   */
  #quick(c: number, v: number, e: Entry): number {
    let d = c - e.c0;
    if (d === 0 && c === 1) d = v - (e.v0 as number);
    return this.#descending ? -d : d;
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
      let d = this.#quick(this.#lastC[mid] as number, this.#lastV[mid] as number, e);
      if (d === 0) {
        const { entries } = this.#blocks[mid] as Block;
        d = this.#compare(entries[entries.length - 1] as Entry, e);
      }
      if (d < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Where `e` goes in `block`: the first entry that does not sort before it. */
  #lowerBound(block: Block, e: Entry): number {
    let lo = 0;
    let hi = block.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      let d = this.#quick(block.classAt(mid), block.numberAt(mid), e);
      if (d === 0) d = this.#compare(block.entries[mid] as Entry, e);
      if (d < 0) lo = mid + 1;
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
