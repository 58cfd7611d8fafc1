import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportRecords } from '../main/services/sow/sowExport.js';
import { SowRecords } from '../main/services/sow/sowRecords.js';

type Report = [written: number, total: number, done: boolean];

function records(n: number): SowRecords {
  const r = new SowRecords();
  for (let i = 0; i < n; i++) r.put(`k${i}`, JSON.stringify({ id: i, name: `n${i}` }), { topic: 'orders' });
  return r;
}

describe('SOW export progress', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sow-export-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const format of ['csv', 'json', 'ndjson'] as const) {
    it(`${format}: reports 0 of the total first, rising counts while writing, and the total once done`, async () => {
      const reports: Report[] = [];
      const result = await exportRecords({
        dir,
        name: 'orders',
        format,
        records: records(5000),
        now: 0,
        progressMs: 0,
        onProgress: (written, total, done) => reports.push([written, total, done]),
      });
      expect(result.records).toBe(5000);
      expect(reports[0]).toEqual([0, 5000, false]);
      expect(reports.at(-1)).toEqual([5000, 5000, true]);
      const middle = reports.slice(1, -1);
      expect(middle.length).toBeGreaterThanOrEqual(4);
      for (const [written, total, done] of middle) {
        expect(done).toBe(false);
        expect(total).toBe(5000);
        expect(written).toBeGreaterThan(0);
        expect(written).toBeLessThan(5000);
      }
      const written = middle.map((r) => r[0]);
      expect(written).toEqual([...written].sort((a, b) => a - b));
      const text = await readFile(result.path, 'utf8');
      expect(text).toContain('n4999');
    });
  }

  it('selected keys: the total counts only the keys the view holds', async () => {
    const reports: Report[] = [];
    const result = await exportRecords({
      dir,
      name: 'orders',
      format: 'ndjson',
      records: records(10),
      keys: ['k1', 'k3', 'gone'],
      now: 0,
      onProgress: (written, total, done) => reports.push([written, total, done]),
    });
    expect(result.records).toBe(2);
    expect(reports).toEqual([
      [0, 2, false],
      [2, 2, true],
    ]);
  });
});
