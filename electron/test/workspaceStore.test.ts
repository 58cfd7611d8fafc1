import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_WORKSPACE_BYTES } from '../../common/src/dto/workspace.js';
import type { WorkspaceState } from '../../common/src/dto/workspace.js';
import { parseRequest } from '../../common/src/ipc/schemas.js';
import { memoryLogger } from '../main/platform/logger.js';
import type { FileOps } from '../main/services/atomicFile.js';
import { nodeFileOps } from '../main/services/atomicFile.js';
import { WorkspaceStore } from '../main/services/workspaceStore.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amps-workspace-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});
const store = (fs?: FileOps) =>
  new WorkspaceStore({
    dir,
    logger: memoryLogger(),
    now: () => new Date('2026-12-07T03:00:00.000Z'),
    ...(fs === undefined ? {} : { fs }),
  });
const STATE: WorkspaceState = {
  version: 1,
  data: {
    theme: 'dark',
    panes: { side: 22.5, bottom: 30 },
    tabs: [
      { kind: 'subscription', profileId: 'local-sandbox', topic: 'orders', filter: '/qty > 5' },
      { kind: 'sow', profileId: 'p-1', topic: 'positions', orderBy: null },
    ],
    active: 1,
  },
};

describe('workspace store', () => {
  it('has nothing on first launch, then gives back what was saved after a restart', async () => {
    expect(await store().load()).toEqual({ state: null });
    await store().save(STATE);
    expect(await store().load()).toEqual({ state: STATE });
    expect(JSON.parse(await readFile(join(dir, 'workspace.json'), 'utf8'))).toEqual(STATE);
  });

  it('keeps a corrupt file aside, reports it once, and starts fresh without overwriting it', async () => {
    await writeFile(join(dir, 'workspace.json'), '{"version": 1, "data": {"tabs": [');
    const first = await store().load();
    const aside = join(dir, 'workspace.corrupt-2026-12-07T03-00-00-000Z.json');
    expect(first.state).toBeNull();
    expect(first.problem).toMatch(
      /could not be used \(.*\); it was kept as .*workspace\.corrupt-2026-12-07T03-00-00-000Z\.json/,
    );
    expect(await readFile(aside, 'utf8')).toBe('{"version": 1, "data": {"tabs": [');
    expect(await store().load()).toEqual({ state: null });
    await store().save(STATE);
    expect((await readdir(dir)).sort()).toEqual([
      'workspace.corrupt-2026-12-07T03-00-00-000Z.json',
      'workspace.json',
    ]);
  });

  it('sets aside a file of another version or shape, naming what is wrong', async () => {
    await writeFile(join(dir, 'workspace.json'), JSON.stringify({ version: 2, data: {} }));
    expect((await store().load()).problem).toMatch(/workspace\.version: must be <= 1 \(got 2\)/);
    await writeFile(join(dir, 'workspace.json'), JSON.stringify({ version: 1, data: [] }));
    expect((await store().load()).problem).toMatch(/workspace\.data: expected a JSON object/);
  });

  it('accepts a byte order mark and refuses a file larger than the limit', async () => {
    await writeFile(join(dir, 'workspace.json'), `\uFEFF${JSON.stringify(STATE)}`);
    expect(await store().load()).toEqual({ state: STATE });
    await writeFile(
      join(dir, 'workspace.json'),
      JSON.stringify({ version: 1, data: { big: 'x'.repeat(2 * MAX_WORKSPACE_BYTES + 10) } }),
    );
    expect((await store().load()).problem).toMatch(/larger than the workspace limit/);
  });

  it('refuses to save over a bad file it could not move aside', async () => {
    await writeFile(join(dir, 'workspace.json'), 'not json');
    const stuck: FileOps = { ...nodeFileOps, rename: () => Promise.reject(new Error('EACCES')) };
    const s = store(stuck);
    expect((await s.load()).problem).toMatch(/nor moved aside \(EACCES\)/);
    await expect(s.save(STATE)).rejects.toMatchObject({ code: 'workspace-read-only' });
    expect(await readFile(join(dir, 'workspace.json'), 'utf8')).toBe('not json');
  });

  it('validates a save request: a JSON object with a version, bounded in size and depth', () => {
    expect(parseRequest('saveWorkspace', { state: STATE })).toEqual({ state: STATE });
    expect(() => parseRequest('saveWorkspace', { state: { version: 1, data: { f: () => 1 } } })).toThrow(
      /payload\.state\.data\.f: not a JSON value \(function\)/,
    );
    expect(() => parseRequest('saveWorkspace', { state: { version: 1, data: { n: Number.NaN } } })).toThrow(
      /not a finite number/,
    );
    expect(() =>
      parseRequest('saveWorkspace', { state: { version: 1, data: { s: 'x'.repeat(MAX_WORKSPACE_BYTES) } } }),
    ).toThrow(/larger than 1048576 bytes as JSON/);
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 80; i += 1) {
      const next: Record<string, unknown> = {};
      deep.d = next;
      deep = next;
    }
    expect(() => parseRequest('saveWorkspace', { state: { version: 1, data: root } })).toThrow(
      /nested deeper than 64 levels/,
    );
    expect(() => parseRequest('saveWorkspace', { state: { data: {} } })).toThrow(
      /payload\.state\.version: missing/,
    );
  });
});
