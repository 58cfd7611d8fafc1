/** Temporary directories for store tests, removed after each test file. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';

/** Creates a fresh directory under the OS temp dir, deleted when the test file finishes. */
export function useTempDir(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `amps-${prefix}-`));
    made.push(dir);
    return dir;
  };
}
