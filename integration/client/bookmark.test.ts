/** Bookmark subscriptions on transaction-logged topics (spec §8): EPOCH, NOW, a bookmark, MOST_RECENT. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../client/src/client.js';
import { InvalidTopicError } from '../../client/src/errors.js';
import { Command } from '../../client/src/protocol/command.js';
import { MemoryBookmarkStore } from '../../client/src/stores/bookmark/memoryBookmarkStore.js';
import { startSandbox, type SandboxFixture } from '../sandboxFixture.js';
import {
  ClientPool,
  drain,
  payloads,
  publishAll,
  sleep,
  take,
  TRANSPORTS,
  uniqueName,
  WAIT_MS,
} from './helpers.js';

let sandbox: SandboxFixture;
beforeAll(async () => {
  // Every topic whose name starts with "journal" is recorded in the transaction log.
  sandbox = await startSandbox({ txlogPatterns: ['^journal'] });
});
afterAll(() => sandbox.close());

const numbered = (from: number, to: number): { n: number }[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ n: from + i }));

describe.each(TRANSPORTS)('bookmark subscribe over $transport', ({ uriOf }) => {
  const pool = new ClientPool();
  afterEach(() => pool.closeAll());

  it('from EPOCH: every logged message, then the completed ack, then live messages', async () => {
    const topic = uniqueName('journal');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, numbered(1, 5));
    // Ask for the completed ack so the end of the replay is visible in the stream.
    const cmd = new Command('subscribe')
      .setTopic(topic)
      .setBookmark(Client.Bookmarks.EPOCH)
      .setAckType('completed');
    const stream = await sub.execute(cmd);
    const replay = await take(stream, 6, ['publish', 'ack']);
    expect(replay.map((m) => m.command)).toEqual([...Array<string>(5).fill('publish'), 'ack']);
    expect(payloads(replay.slice(0, 5))).toEqual(numbered(1, 5));
    const completed = replay[5];
    expect(completed?.ackType).toBe('completed');
    expect(completed?.status).toBe('success');
    // Every replayed message carries a distinct bookmark; the completed ack names the last one.
    const bookmarks = replay.slice(0, 5).map((m) => m.bookmark);
    expect(new Set(bookmarks).size).toBe(5);
    for (const bm of bookmarks) expect(bm).toMatch(/^\d+\|\d+\|$/);
    expect(completed?.bookmark).toBe(bookmarks[4]);

    await publishAll(pub, topic, numbered(6, 7));
    const live = await take(stream, 2, ['publish', 'ack']);
    expect(payloads(live)).toEqual(numbered(6, 7));
    for (const m of live) expect(m.bookmark).toMatch(/^\d+\|\d+\|$/);
  });

  it('from NOW: only messages published after the subscription', async () => {
    const topic = uniqueName('journal');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, numbered(1, 4));
    const stream = await sub.bookmarkSubscribe(topic, Client.Bookmarks.NOW);
    await publishAll(pub, topic, numbered(5, 6));
    expect(payloads(await take(stream, 2))).toEqual(numbered(5, 6));
    expect(await drain(stream, 100)).toEqual([]);
  });

  it('from a bookmark taken mid-stream: exactly the messages after it', async () => {
    const topic = uniqueName('journal');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, numbered(1, 10));
    const first = await sub.bookmarkSubscribe(topic, Client.Bookmarks.EPOCH);
    const all = await take(first, 10);
    const mid = all[3]?.bookmark ?? '';
    expect(all[3]?.json()).toEqual({ n: 4 });
    first.close();

    const resumed = await sub.bookmarkSubscribe(topic, mid);
    const replayed = await take(resumed, 6);
    expect(payloads(replayed)).toEqual(numbered(5, 10));
    // The replayed messages are the same log entries: same bookmarks.
    expect(replayed.map((m) => m.bookmark)).toEqual(all.slice(4).map((m) => m.bookmark));
    expect(await drain(resumed, 100)).toEqual([]);
    await publishAll(pub, topic, numbered(11, 11));
    const [next] = await take(resumed, 1);
    expect(next?.json()).toEqual({ n: 11 });
  });

  it('with a filter: replays only the matching messages', async () => {
    const topic = uniqueName('journal');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, numbered(1, 10));
    const stream = await sub.bookmarkSubscribe(topic, Client.Bookmarks.EPOCH, '/n % 3 = 0');
    expect(payloads(await take(stream, 3))).toEqual([{ n: 3 }, { n: 6 }, { n: 9 }]);
    expect(await drain(stream, 100)).toEqual([]);
  });

  it('MOST_RECENT with a bookmark store resumes after the last processed message', async () => {
    const topic = uniqueName('journal');
    const pub = await pool.open(uriOf(sandbox));
    const sub = new Client(uniqueName('resume'), { commandTimeoutMs: WAIT_MS });
    sub.setBookmarkStore(new MemoryBookmarkStore());
    try {
      await sub.connect(uriOf(sandbox));
      await sub.logon();
      await publishAll(pub, topic, numbered(1, 6));
      const subId = 'resumable';
      const first = await sub.bookmarkSubscribe(topic, Client.Bookmarks.MOST_RECENT, undefined, { subId });
      // Nothing stored yet: MOST_RECENT means EPOCH.
      const got = await take(first, 6);
      expect(payloads(got)).toEqual(numbered(1, 6));
      // The application processed the first four.
      for (const m of got.slice(0, 4)) sub.ack(m);
      first.close();
      await sub.publishFlush(WAIT_MS);

      await publishAll(pub, topic, numbered(7, 8));
      const again = await sub.bookmarkSubscribe(topic, Client.Bookmarks.MOST_RECENT, undefined, { subId });
      expect(payloads(await take(again, 4))).toEqual(numbered(5, 8));
      expect(await drain(again, 100)).toEqual([]);
    } finally {
      await sub.disconnect();
    }
  });

  it('MOST_RECENT without a bookmark store replays from EPOCH', async () => {
    const topic = uniqueName('journal');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, numbered(1, 3));
    const stream = await sub.bookmarkSubscribe(topic, Client.Bookmarks.MOST_RECENT);
    expect(payloads(await take(stream, 3))).toEqual(numbered(1, 3));
  });

  it('a bookmark subscription to a topic that is not logged fails with InvalidTopicError (spec §8.7)', async () => {
    const sub = await pool.open(uriOf(sandbox));
    await expect(
      sub.bookmarkSubscribe(uniqueName('unlogged'), Client.Bookmarks.EPOCH),
    ).rejects.toBeInstanceOf(InvalidTopicError);
    // The connection stays usable.
    await sub.publishFlush(WAIT_MS);
  });
  it('from a timestamp: the messages logged at or after it', async () => {
    const topic = uniqueName('journal');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, numbered(1, 3));
    // Bookmark timestamps have whole seconds: wait for the next second before taking it.
    const start = Math.floor(Date.now() / 1000) * 1000 + 1000;
    await sleep(start - Date.now() + 20);
    const stamp = new Date(start)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    await publishAll(pub, topic, numbered(4, 5));
    const stream = await sub.bookmarkSubscribe(topic, stamp);
    expect(payloads(await take(stream, 2))).toEqual(numbered(4, 5));
    expect(await drain(stream, 100)).toEqual([]);
  });

  it('top_n limits the replay, then live messages follow', async () => {
    const topic = uniqueName('journal');
    const [sub, pub] = await Promise.all([pool.open(uriOf(sandbox)), pool.open(uriOf(sandbox))]);
    await publishAll(pub, topic, numbered(1, 6));
    const stream = await sub.bookmarkSubscribe(topic, Client.Bookmarks.EPOCH, undefined, { topN: 2 });
    expect(payloads(await take(stream, 2))).toEqual(numbered(1, 2));
    expect(await drain(stream, 100)).toEqual([]);
    await publishAll(pub, topic, numbered(7, 7));
    expect(payloads(await take(stream, 1))).toEqual(numbered(7, 7));
  });
});
