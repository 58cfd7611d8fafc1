import { describe, expect, it } from 'vitest';
import type { ConnectionInfo } from '../../common/src/dto/connections.js';
import type {
  PublishProgress,
  PublishRepeatRequest,
  PublishRequest,
  PublishResult,
  SavePublishLibraryRequest,
} from '../../common/src/dto/publish.js';
import type { SowDeleteRequest } from '../../common/src/dto/sow.js';
import type { ExplorerApi } from '../../common/src/ipc/contract.js';
import { ConfirmGate } from '../src/publish/confirmGate.js';
import { keyFilter, mergeDelta } from '../src/publish/deltaMerge.js';
import { checkPayload, composerKind, messageTypeOfUri } from '../src/publish/payloadCheck.js';
import { completionContext } from '../src/publish/payloadLanguage.js';
import { PublishJobsModel } from '../src/publish/publishJobsModel.js';
import { PublishModel } from '../src/publish/publishModel.js';
import { SowDeleteModel } from '../src/publish/sowDeleteModel.js';

const info = (production = false): ConnectionInfo => ({
  connectionId: 'c1',
  name: 'local',
  connectionString: 'tcp://127.0.0.1:9007/amps/json',
  servers: ['tcp://127.0.0.1:9007/amps/json', 'tcp://127.0.0.1:9008/amps/json'],
  serverIndex: 1,
  state: 'loggedOn',
  openedAt: 0,
  production,
});

function fakeApi(options: { production?: boolean; result?: PublishResult } = {}) {
  const published: PublishRequest[] = [];
  const saved: SavePublishLibraryRequest[] = [];
  const repeats: PublishRepeatRequest[] = [];
  const deletes: SowDeleteRequest[] = [];
  let progress: ((p: PublishProgress) => void) | undefined;
  const api = {
    listConnections: () => Promise.resolve([info(options.production)]),
    listTopics: () =>
      Promise.resolve({
        source: 'sandbox' as const,
        topics: [{ name: 'orders', sow: { keyFields: ['/id', '/region'] } }],
      }),
    loadPublishLibrary: () => Promise.resolve({ templates: [], history: [] }),
    savePublishLibrary: (r: SavePublishLibraryRequest) => {
      saved.push(r);
      return Promise.resolve();
    },
    publish: (r: PublishRequest) => {
      published.push(r);
      return Promise.resolve(
        options.result ?? { ack: { status: 'success' as const }, server: 'tcp://127.0.0.1:9008/amps/json' },
      );
    },
    publishRepeat: (r: PublishRepeatRequest) => {
      repeats.push(r);
      // The job reports before its id comes back (it may even end first).
      progress?.({
        jobId: 'pub-1',
        connectionId: 'c1',
        sent: r.count,
        failed: 0,
        total: r.count,
        elapsedMs: 10,
        ratePerSec: 100,
        errors: [],
        done: true,
      });
      return Promise.resolve({ jobId: 'pub-1' });
    },
    onPublishProgress: (cb: (p: PublishProgress) => void) => {
      progress = cb;
      return () => (progress = undefined);
    },
    publishStop: () => Promise.resolve(),
    sowCount: () => Promise.resolve({ count: 3 }),
    sowDelete: (r: SowDeleteRequest) => {
      deletes.push(r);
      return Promise.resolve({ deleted: 3 });
    },
  } as unknown as ExplorerApi;
  return { api, published, saved, repeats, deletes };
}

async function composer(options: { production?: boolean; result?: PublishResult } = {}) {
  const fake = fakeApi(options);
  const gate = new ConfirmGate();
  const model = new PublishModel(fake.api, gate);
  await model.bind('c1', 'p1');
  return { ...fake, gate, model };
}

describe('payload checks by message type', () => {
  it('checks JSON with the position of the problem, XML, FIX fields (sent with SOH) and refuses binary types', () => {
    const bad = checkPayload('json', '{"a": 1,}');
    expect(bad).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^not JSON/) as unknown as string,
    });
    expect(checkPayload('xml', '<a><b/></a>')).toEqual({ ok: true, data: '<a><b/></a>' });
    expect(checkPayload('xml', '<a><b></a>').ok).toBe(false);
    expect(checkPayload('fix', '35=D|55=IBM\n38=100')).toEqual({
      ok: true,
      data: '35=D\u000155=IBM\u000138=100\u0001',
    });
    expect(checkPayload('fix', 'x=1')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/tag "x" is not a number/) as unknown as string,
    });
    expect(checkPayload('nvfix', 'sym=IBM|qty')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/field 2 \(qty\) has no "="/) as unknown as string,
    });
    expect(checkPayload(composerKind('msgpack'), '{"a":1}')).toEqual({ ok: true, data: '{"a":1}' });
    expect(checkPayload(composerKind('bson'), '{"a":')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/written as JSON/) as unknown as string,
    });
    expect(messageTypeOfUri('tcp://h:9007/amps/xml')).toBe('xml');
  });
});

describe('the publish form', () => {
  it('shows the target with its current server, sends with the options and reports the ack', async () => {
    const c = await composer();
    expect(c.model.state.target).toEqual({
      name: 'local',
      server: 'tcp://127.0.0.1:9008/amps/json',
      production: false,
      messageType: 'json',
    });
    c.model.edit({
      topic: 'orders',
      payload: '{"id":1}',
      ack: 'persisted',
      expiration: '30',
      correlationId: 'abc',
      sowKey: 'k1',
    });
    await c.model.send();
    expect(c.published).toEqual([
      {
        connectionId: 'c1',
        topic: 'orders',
        data: '{"id":1}',
        ack: 'persisted',
        expiration: 30,
        correlationId: 'abc',
        sowKey: 'k1',
      },
    ]);
    expect(c.model.state.outcomes[0]).toMatchObject({
      status: 'accepted',
      server: 'tcp://127.0.0.1:9008/amps/json',
    });
    expect(c.model.state.history[0]).toMatchObject({
      topic: 'orders',
      payload: '{"id":1}',
      status: 'accepted',
    });
    expect(c.saved.at(-1)?.profileKey).toBe('p1');
  });

  it('reports a refused publish with the server reason, never as sent', async () => {
    const c = await composer({ result: { ack: { status: 'failure', reason: 'not entitled' } } });
    c.model.edit({ topic: 'orders', payload: '{}' });
    await c.model.send();
    expect(c.model.state.outcomes[0]).toMatchObject({ status: 'failed', reason: 'not entitled' });
  });

  it('does not send a payload that fails its check, nor a bad expiration', async () => {
    const c = await composer();
    c.model.edit({ topic: 'orders', payload: '{"a":' });
    expect(c.model.blocker()).toMatch(/^not JSON/);
    c.model.edit({ payload: '{}', expiration: 'soon' });
    expect(c.model.blocker()).toBe('Expiration must be a whole number of seconds, not "soon"');
    await c.model.send();
    expect(c.published).toEqual([]);
  });

  it('previews the next message of a template, sends it, and counts {{seq}} on', async () => {
    const c = await composer();
    c.model.edit({ topic: 'orders', payload: '{"seq":{{seq}},"s":"{{pick "IBM"}}"}', templated: true });
    expect(c.model.state.preview).toBe('{"seq":1,"s":"IBM"}');
    await c.model.send();
    expect(c.published[0]?.data).toBe('{"seq":1,"s":"IBM"}');
    expect(c.model.state.preview).toBe('{"seq":2,"s":"IBM"}');
    c.model.edit({ payload: '{"x":{{nope}}}' });
    expect(c.model.state.payloadProblem?.message).toMatch(/unknown variable "nope".*line 1, column 6/);
  });

  it('asks before sending on a production connection', async () => {
    const c = await composer({ production: true });
    c.model.edit({ topic: 'orders', payload: '{}' });
    await c.model.send();
    expect(c.published).toEqual([]);
    expect(c.gate.state.pending?.what).toBe('Publish 1 message to orders');
    await c.gate.answer(false);
    expect(c.published).toEqual([]);
    await c.model.send();
    await c.gate.answer(true);
    expect(c.published).toHaveLength(1);
  });

  it('saves named templates and reopens history entries', async () => {
    const c = await composer();
    c.model.edit({ topic: 'orders', payload: '{"n":{{seq}}}', templated: true });
    await c.model.saveTemplate(' ticks ');
    expect(c.saved.at(-1)?.templates).toEqual([
      { name: 'ticks', topic: 'orders', command: 'publish', payload: '{"n":{{seq}}}', ack: 'processed' },
    ]);
    c.model.reopen({ topic: 'other', command: 'delta_publish', payload: '{"a":1}', ack: 'none' });
    expect(c.model.state).toMatchObject({
      topic: 'other',
      command: 'delta_publish',
      payload: '{"a":1}',
      templated: false,
    });
  });
});

describe('repeat and sow_delete', () => {
  it('starts a repeat in main with the form options and adopts progress that came before the job id', async () => {
    const c = await composer();
    const jobs = new PublishJobsModel(c.api, c.model, c.gate);
    c.model.edit({ topic: 'orders', payload: '{"n":{{seq}}}', templated: true, ack: 'none' });
    jobs.edit({ count: '1000', rate: '500' });
    await jobs.repeat();
    expect(c.repeats).toEqual([
      {
        connectionId: 'c1',
        topic: 'orders',
        template: '{"n":{{seq}}}',
        count: 1000,
        ratePerSec: 500,
        ack: 'none',
      },
    ]);
    expect(jobs.state).toMatchObject({ running: undefined, progress: { sent: 1000, done: true } });
    jobs.edit({ count: '0' });
    await jobs.repeat();
    expect(jobs.state.problem).toMatch(/Count must be a whole number/);
    jobs.dispose();
  });

  it('deletes by data through the key fields of the topic, and counts a filter first', async () => {
    const c = await composer();
    const del = new SowDeleteModel(c.api, c.model, c.gate);
    c.model.edit({ topic: 'orders' });
    del.edit({ mode: 'data', data: '{"id":7,"region":"E\'U","qty":1}' });
    await del.count();
    expect(del.state.matching).toBe(3);
    await del.remove();
    expect(c.deletes).toEqual([
      { connectionId: 'c1', topic: 'orders', filter: "/id = 7 AND /region = 'E''U'" },
    ]);
    expect(del.state.deleted).toBe(3);
    del.edit({ mode: 'data', data: '{"qty":1}' });
    await del.remove();
    expect(del.state.problem).toBe('Cannot delete by data: the message has no value for the key field /id');
  });
});

describe('bulk upload', () => {
  it('hands a picked file to main in bounded chunks, characters split across slices kept whole', async () => {
    const c = await composer();
    const chunks: string[] = [];
    const bulk: unknown[] = [];
    Object.assign(c.api, {
      publishUpload: (chunk: { uploadId?: string; data: string }) => {
        chunks.push(chunk.data);
        expect(chunk.uploadId).toBe(chunks.length === 1 ? undefined : 'upload-1');
        return Promise.resolve({ uploadId: 'upload-1', bytes: 0 });
      },
      publishBulk: (request: unknown) => {
        bulk.push(request);
        return Promise.resolve({ jobId: 'pub-2' });
      },
    });
    const jobs = new PublishJobsModel(c.api, c.model, c.gate);
    // 1.5 MiB of lines with a 3-byte character, so slices cut characters in half.
    const line = `${JSON.stringify({ note: '€'.repeat(40) })}\n`;
    const text = line.repeat(Math.ceil((1.5 * 1024 * 1024) / line.length));
    const bytes = new TextEncoder().encode(text);
    jobs.pick({
      name: 'orders.ndjson',
      size: bytes.length,
      slice: (a, b) => ({ arrayBuffer: () => Promise.resolve(bytes.slice(a, b).buffer) }),
    });
    c.model.edit({ topic: 'orders', ack: 'none' });
    await jobs.bulk();
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.every((d) => d.length <= 1024 * 1024)).toBe(true);
    expect(chunks.join('')).toBe(text);
    expect(bulk).toEqual([
      { connectionId: 'c1', topic: 'orders', uploadId: 'upload-1', format: 'ndjson', ack: 'none' },
    ]);
    jobs.dispose();
  });
});

describe('delta merge and completion', () => {
  it('merges nested objects field by field and replaces the rest', () => {
    expect(
      mergeDelta({ id: 1, a: { x: 1, y: 2 }, l: [1, 2], s: 'k' }, { a: { y: 3 }, l: [9], n: null }),
    ).toEqual({
      id: 1,
      a: { x: 1, y: 3 },
      l: [9],
      s: 'k',
      n: null,
    });
    expect(keyFilter([], {})).toEqual({
      problem: 'the topic has no key fields: a SowKey is needed to find its record',
    });
  });

  it('completes variables after {{ and field names in a key', () => {
    expect(completionContext('{"a": {{se', 10)).toEqual({ kind: 'variable', start: 8 });
    expect(completionContext('{\n  "na', 7)).toEqual({ kind: 'field', start: 5 });
    expect(completionContext('{"a": 1', 7)).toBeUndefined();
  });
});

describe('repeat and bulk of a binary message type', () => {
  it('start in main with the type to encode each message as, instead of refusing', async () => {
    const fake = fakeApi();
    const bulk: unknown[] = [];
    Object.assign(fake.api, {
      listTopics: () =>
        Promise.resolve({ source: 'sandbox' as const, topics: [{ name: 'ticks', messageType: 'msgpack' }] }),
      publishUpload: () => Promise.resolve({ uploadId: 'upload-1', bytes: 0 }),
      publishBulk: (request: unknown) => {
        bulk.push(request);
        return Promise.resolve({ jobId: 'pub-2' });
      },
    });
    const gate = new ConfirmGate();
    const model = new PublishModel(fake.api, gate);
    await model.bind('c1', 'p1');
    const jobs = new PublishJobsModel(fake.api, model, gate);
    model.edit({ topic: 'ticks', payload: '{"n":{{seq}}}', templated: true, ack: 'none' });
    expect(model.encodeAs()).toBe('msgpack');
    jobs.edit({ count: '3', rate: '' });
    await jobs.repeat();
    expect(jobs.state.problem).toBeUndefined();
    expect(fake.repeats).toEqual([
      { connectionId: 'c1', topic: 'ticks', template: '{"n":{{seq}}}', count: 3, ack: 'none', encodeAs: 'msgpack' },
    ]);
    const bytes = new TextEncoder().encode('{"n":1}\n');
    jobs.pick({ name: 'ticks.ndjson', size: bytes.length, slice: () => ({ arrayBuffer: () => Promise.resolve(bytes.buffer) }) });
    await jobs.bulk();
    expect(bulk).toEqual([
      { connectionId: 'c1', topic: 'ticks', uploadId: 'upload-1', format: 'ndjson', ack: 'none', encodeAs: 'msgpack' },
    ]);
    jobs.dispose();
  });
});
