import { describe, expect, it } from 'vitest';
import { bulkRecords, csvCells } from '../main/services/publish/bulkRecords.js';
import type { BulkRecord } from '../main/services/publish/bulkRecords.js';

async function* chunks(...parts: string[]): AsyncGenerator<string> {
  for (const p of parts) yield p;
}

async function all(format: 'ndjson' | 'csv' | 'json-array', ...parts: string[]): Promise<BulkRecord[]> {
  const out: BulkRecord[] = [];
  for await (const batch of bulkRecords(format, chunks(...parts))) out.push(...batch);
  return out;
}

describe('bulk file records', () => {
  it('splits NDJSON lines across chunk boundaries, keeps line numbers, skips blank lines', async () => {
    expect(await all('ndjson', '{"a":', '1}\r\n\n{"b"', ':2}\n{bad}')).toEqual([
      { line: 1, data: '{"a":1}' },
      { line: 3, data: '{"b":2}' },
      { line: 4, error: expect.stringMatching(/^not JSON/) as unknown as string },
    ]);
  });

  it('splits a JSON array into its items across chunks, strings and nesting included', async () => {
    expect(await all('json-array', ' [ {"s": "a,]\\"', '}"}, [1, {"x": [2]}]', ',\n3 ]  ')).toEqual([
      { line: 1, data: '{"s": "a,]\\"}"}' },
      { line: 1, data: '[1, {"x": [2]}]' },
      { line: 2, data: '3' },
    ]);
    await expect(all('json-array', '{"a":1}')).rejects.toThrow(/must start with "\["/);
    await expect(all('json-array', '[1, 2')).rejects.toThrow(/not closed/);
    await expect(all('json-array', '[1] x')).rejects.toThrow(/text after the end/);
  });

  it('reads CSV cells with quotes and names a bad header', async () => {
    expect(csvCells('a,"b,c","d ""e"""')).toEqual(['a', 'b,c', 'd "e"']);
    expect(csvCells('"open')).toBe('a quoted cell is not closed (cells may not span lines)');
    expect(await all('csv', 'id,flag,big\n', '1,true,12345678901234567890\n')).toEqual([
      { line: 2, data: '{"id":1,"flag":true,"big":"12345678901234567890"}' },
    ]);
    await expect(all('csv', 'id,,x\n1,2,3\n')).rejects.toThrow(/empty column name at column 2/);
  });
});
