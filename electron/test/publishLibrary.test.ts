import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PublishTemplate } from '../../common/src/dto/publish.js';
import { PublishLibraryStore } from '../main/services/publish/publishLibraryStore.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amps-publib-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const template: PublishTemplate = {
  name: 'orders',
  topic: 'orders',
  command: 'publish',
  payload: '{"n":{{seq}}}',
  ack: 'processed',
};

describe('the publish library store', () => {
  it('keeps templates and history per profile across instances', async () => {
    const a = new PublishLibraryStore({ dir });
    await a.save({
      profileKey: 'p1',
      templates: [template],
      history: [{ at: 1, topic: 'orders', command: 'publish', payload: '{}', ack: 'none', status: 'sent' }],
    });
    await a.save({ profileKey: 'p2', templates: [], history: [] });
    const b = new PublishLibraryStore({ dir });
    expect(await b.load('p1')).toEqual({
      templates: [template],
      history: [{ at: 1, topic: 'orders', command: 'publish', payload: '{}', ack: 'none', status: 'sent' }],
    });
    expect(await b.load('p2')).toEqual({ templates: [], history: [] });
    expect(await b.load('other')).toEqual({ templates: [], history: [] });
  });

  it('sets a damaged file aside, says so once, and starts empty', async () => {
    await writeFile(
      join(dir, 'publish-library.json'),
      '{"version":1,"profiles":{"p1":{"templates":[{"name":""}],"history":[]}}}',
    );
    const store = new PublishLibraryStore({ dir, now: () => new Date(Date.UTC(2026, 0, 1)) });
    const first = await store.load('p1');
    expect(first.templates).toEqual([]);
    expect(first.problem).toMatch(
      /could not be used.*p1\.templates\[0\]\.name.*kept as .*publish-library\.corrupt-2026-01-01T00-00-00-000Z\.json/,
    );
    expect((await store.load('p1')).problem).toBeUndefined();
    expect(await readdir(dir)).toContain('publish-library.corrupt-2026-01-01T00-00-00-000Z.json');
  });
});
