/**
 * Bounded history of one or more numeric series over time, kept as columns that uPlot draws
 * directly (`[xs, ys1, ys2, …]`, x in seconds). The oldest points are dropped beyond the
 * capacity; a series appearing later has `null` before its first point, so each point stays at
 * its own time. At most `maxSeries` series; points of further ones are counted as refused.
 */

/** uPlot's aligned data: x values, then one array per series (null = no point). */
export type AlignedColumns = [number[], ...(number | null)[][]];

export interface SeriesHistoryOptions {
  /** Points (x values) kept at most. */
  capacity: number;
  /** Series kept at most. */
  maxSeries?: number;
}

export class SeriesHistory {
  readonly capacity: number;
  readonly maxSeries: number;
  #xs: number[] = [];
  #names: string[] = [];
  #columns: (number | null)[][] = [];
  /** Points given for a series past `maxSeries`. */
  refused = 0;
  /** Points (non-null values) held. */
  #points = 0;

  constructor(options: SeriesHistoryOptions) {
    if (!(options.capacity >= 1))
      throw new RangeError(`capacity must be at least 1, got ${options.capacity}`);
    this.capacity = Math.floor(options.capacity);
    this.maxSeries = Math.max(1, options.maxSeries ?? 8);
  }

  /** Series names, in the order of their columns. */
  get names(): readonly string[] {
    return this.#names;
  }

  /** Number of x positions held. */
  get length(): number {
    return this.#xs.length;
  }

  /** Number of values held across every series. */
  get points(): number {
    return this.#points;
  }

  /**
   * Adds one row at time `x` (ms) with values by series name; a name not seen yet becomes a new
   * series. Values that are not finite numbers are ignored.
   */
  push(xMs: number, values: Readonly<Record<string, number>>): void {
    const row = new Array<number | null>(this.#names.length).fill(null);
    let any = false;
    for (const [name, value] of Object.entries(values)) {
      if (!Number.isFinite(value)) continue;
      let i = this.#names.indexOf(name);
      if (i < 0) {
        if (this.#names.length >= this.maxSeries) {
          this.refused++;
          continue;
        }
        i = this.#names.length;
        this.#names.push(name);
        this.#columns.push(new Array<number | null>(this.#xs.length).fill(null));
        row.push(null);
      }
      row[i] = value;
      any = true;
    }
    if (!any) return;
    this.#xs.push(xMs / 1000);
    for (let i = 0; i < this.#columns.length; i++) {
      const v = row[i] ?? null;
      this.#columns[i]?.push(v);
      if (v !== null) this.#points++;
    }
    while (this.#xs.length > this.capacity) {
      this.#xs.shift();
      for (const col of this.#columns) if (col.shift() != null) this.#points--;
    }
  }

  /** Copies of the columns for drawing. */
  columns(): AlignedColumns {
    return [this.#xs.slice(), ...this.#columns.map((c) => c.slice())];
  }

  clear(): void {
    this.#xs = [];
    this.#names = [];
    this.#columns = [];
    this.#points = 0;
    this.refused = 0;
  }
}
