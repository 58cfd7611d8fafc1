/**
 * The grid bench's engine baseline: what @finos/perspective itself spends per keyed update on
 * the live phase's table (the same engine the view runs in a worker, here in this Node process,
 * with nothing else of the app around it): an indexed table of `rows` grid records, a view
 * sorted by /price (the changing column) whose first screen is read after every batch, as the
 * view draws it. CPU time per update, so a 2-core machine's share is plain: 50,000 updates/s
 * take `µs × 50,000 / 10,000` % of one core before the app does any of its own work.
 */
import { gridRecord } from './gridRecord.js';

interface PerspectiveView {
  to_columns(window: { start_row: number; end_row: number }): Promise<unknown>;
  delete(): Promise<void>;
}
interface PerspectiveTable {
  update(data: string, options: { format: 'json' }): Promise<unknown>;
  view(config: { sort: [string, 'asc' | 'desc'][] }): Promise<PerspectiveView>;
  delete(): Promise<void>;
}
interface PerspectiveNode {
  table(schema: Record<string, string>, options: { index: string }): Promise<PerspectiveTable>;
}

/** What the engine alone cost. */
export interface EngineCost {
  rows: number;
  updates: number;
  /** CPU time (user + system) per update, µs. */
  cpuMicrosPerUpdate: number;
  /** Updates per second it kept up with when it had a core to itself. */
  updatesPerSecOneCore: number;
}

const SCHEMA = {
  __key: 'string',
  '/id': 'float',
  '/sym': 'string',
  '/customer/name': 'string',
  '/customer/region': 'string',
  '/qty': 'float',
  '/price': 'float',
  '/side': 'string',
  '/time': 'string',
  '/note': 'string',
};

/** A grid record flattened as the view's columns name its fields. */
function flatRow(id: number, price?: number): Record<string, unknown> {
  const r = JSON.parse(gridRecord(id, price)) as {
    sym: string;
    customer: { name: string; region: string };
    qty: number;
    price: number;
    side: string;
    time: string;
    note: string;
  };
  return {
    __key: String(id),
    '/id': id,
    '/sym': r.sym,
    '/customer/name': r.customer.name,
    '/customer/region': r.customer.region,
    '/qty': r.qty,
    '/price': r.price,
    '/side': r.side,
    '/time': r.time,
    '/note': r.note,
  };
}

/** Feeds `updates` keyed updates (random keys, new prices) in batches of `batch`; returns the cost. */
export async function measureEngineCost(rows: number, updates: number, batch = 2_500): Promise<EngineCost> {
  const mod = (await import('@finos/perspective')) as unknown as { default: PerspectiveNode };
  const table = await mod.default.table(SCHEMA, { index: '__key' });
  try {
    const all: Record<string, unknown>[] = [];
    for (let i = 0; i < rows; i++) all.push(flatRow(i));
    await table.update(JSON.stringify(all), { format: 'json' });
    const view = await table.view({ sort: [['/price', 'asc']] });
    let seed = 2463534242;
    const random = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      seed >>>= 0;
      return seed / 0x1_0000_0000;
    };
    // The batches are made first: only the engine's work is timed.
    const batches: string[] = [];
    for (let done = 0; done < updates; done += batch) {
      const rowsOf: Record<string, unknown>[] = [];
      for (let i = 0; i < batch; i++) rowsOf.push(flatRow(Math.floor(random() * rows), 100 + random() * 900));
      batches.push(JSON.stringify(rowsOf));
    }
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const data of batches) {
      await table.update(data, { format: 'json' });
      await view.to_columns({ start_row: 0, end_row: 40 });
    }
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    await view.delete();
    const total = batches.length * batch;
    return {
      rows,
      updates: total,
      cpuMicrosPerUpdate: Math.round(((cpu.user + cpu.system) / total) * 10) / 10,
      updatesPerSecOneCore: Math.round((total * 1000) / wallMs),
    };
  } finally {
    await table.delete();
  }
}
