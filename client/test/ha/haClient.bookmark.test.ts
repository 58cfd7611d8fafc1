/**
 * HAClient bookmark subscriptions across drops: each resubscription resumes from the bookmark
 * store's most recent bookmark, and the application receives every message exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FixedDelayStrategy } from '../../src/ha/delayStrategy.js';
import { HAClient, type HAConnectionState } from '../../src/ha/haClient.js';
import { MemoryBookmarkStore } from '../../src/stores/bookmark/memoryBookmarkStore.js';
import type { MessageStream } from '../../src/stream.js';
import type { ScriptedServer } from './haClientHelpers.js';
import { closeOpened, JOURNAL_PUBLISHER, scriptedServer, testHAClient, waitFor } from './haClientHelpers.js';

afterEach(closeOpened);

const TOTAL = 120;

async function setUp(
  name: string,
): Promise<{ srv: ScriptedServer; ha: HAClient; count: (s: HAConnectionState) => number }> {
  const srv = await scriptedServer();
  const ha = testHAClient(name, [srv.uri], {
    delayStrategy: new FixedDelayStrategy(5, 5000),
    bookmarkStore: new MemoryBookmarkStore(),
  });
  const counts = new Map<HAConnectionState, number>();
  ha.addConnectionStateListener((s) => counts.set(s.state, (counts.get(s.state) ?? 0) + 1));
  await ha.connectAndLogon();
  return { srv, ha, count: (s) => counts.get(s) ?? 0 };
}

/**
 * How a drop happens: `wait` drops and waits for the resubscription; `flow` drops and keeps
 * producing during the outage; `replay` waits until the client has resubscribed after the
 * previous drop (its replay under way) and drops again at once.
 */
type Drop = [at: number, how: 'wait' | 'flow' | 'replay'];

/** Emits `total` numbered messages, a few per tick, dropping the client's connections as told. */
async function produce(
  srv: ScriptedServer,
  total: number,
  drops: Drop[],
  resubscribed: () => number,
): Promise<void> {
  let real = 0;
  let subsAtDrop = srv.commands('subscribe').length;
  for (let n = 1; n <= total; n++) {
    srv.emit('ticks', `{"n":${n}}`);
    for (const [at, how] of drops) {
      if (at !== n) continue;
      if (how === 'replay')
        await waitFor('a resubscribe', () => srv.commands('subscribe').length > subsAtDrop);
      if (srv.openConnections > 0) real++;
      subsAtDrop = srv.commands('subscribe').length;
      srv.dropAll();
      if (how === 'wait') await waitFor(`resubscription ${real}`, () => resubscribed() >= real);
    }
    if (n % 5 === 0) await new Promise((r) => setTimeout(r, 1));
  }
}

function numbers(texts: string[]): number[] {
  return texts.map((t) => (JSON.parse(t) as { n: number }).n);
}

async function readAll(stream: MessageStream, want: number): Promise<string[]> {
  const got: string[] = [];
  while (got.length < want) {
    const m = await stream.read(3000);
    if (!m) break;
    got.push(m.text);
  }
  return got;
}

const sequence = Array.from({ length: TOTAL }, (_, i) => i + 1);

describe('HAClient bookmark resubscription', () => {
  it('delivers a numbered sequence exactly once while a reader keeps up and the server drops it four times', async () => {
    const { srv, ha, count } = await setUp('bm-reader');
    const stream = await ha.bookmarkSubscribe('ticks', HAClient.Bookmarks.EPOCH);
    const reading = readAll(stream, TOTAL);
    await produce(
      srv,
      TOTAL,
      [
        [1, 'wait'],
        [30, 'flow'],
        [31, 'replay'],
        [77, 'wait'],
        [119, 'flow'],
      ],
      () => count('resubscribed'),
    );
    const got = numbers(await reading);
    expect(got).toEqual(sequence);
    // After the first drop the client no longer replays from EPOCH but from the last message it took.
    const subs = srv.commands('subscribe');
    expect(subs.length).toBeGreaterThanOrEqual(4);
    expect(subs[0]?.fields.bookmark).toBe('0');
    for (const s of subs.slice(1))
      expect(s.fields.bookmark).toMatch(new RegExp(`^${JOURNAL_PUBLISHER}\\|\\d+\\|$`));
    expect(new Set(subs.map((s) => s.fields.subId)).size).toBe(1);
    expect(await stream.read(50)).toBeUndefined();
  });

  it('delivers exactly once when the application reads only after the drops (messages still queued)', async () => {
    const { srv, ha, count } = await setUp('bm-late-reader');
    const stream = await ha.bookmarkSubscribe('ticks', HAClient.Bookmarks.EPOCH);
    await produce(
      srv,
      TOTAL,
      [
        [10, 'wait'],
        [60, 'flow'],
        [61, 'replay'],
        [100, 'flow'],
      ],
      () => count('resubscribed'),
    );
    await waitFor('all queued', () => stream.depth >= TOTAL);
    const got = numbers(await readAll(stream, TOTAL));
    expect(got).toEqual(sequence);
    expect(await stream.read(50)).toBeUndefined();
    // Nothing was taken before the drops, so each resubscription started at the beginning again.
    expect(srv.commands('subscribe').every((s) => s.fields.bookmark === '0')).toBe(true);
  });

  it('delivers exactly once to a handler across drops', async () => {
    const { srv, ha, count } = await setUp('bm-handler');
    const got: string[] = [];
    const subId = await ha.bookmarkSubscribe('ticks', HAClient.Bookmarks.EPOCH, undefined, {
      handler: (m) => got.push(m.text),
    });
    await produce(
      srv,
      TOTAL,
      [
        [5, 'flow'],
        [6, 'replay'],
        [51, 'wait'],
        [90, 'flow'],
        [91, 'replay'],
      ],
      () => count('resubscribed'),
    );
    await waitFor('all delivered', () => got.length >= TOTAL);
    expect(numbers(got)).toEqual(sequence);
    expect(ha.getMostRecent(subId)).toBe(`${JOURNAL_PUBLISHER}|${TOTAL}|`);
  });

  it('resumes after a given bookmark, and MOST_RECENT resumes a new subscription where the old one ended', async () => {
    const { srv, ha } = await setUp('bm-start');
    for (let n = 1; n <= 5; n++) srv.emit('ticks', `{"n":${n}}`);
    const after2 = await ha.bookmarkSubscribe('ticks', `${JOURNAL_PUBLISHER}|2|`, undefined, {
      subId: 'resume',
    });
    expect(numbers(await readAll(after2, 3))).toEqual([3, 4, 5]);
    await ha.unsubscribe('resume');
    expect(after2.isEnded).toBe(true);
    srv.emit('ticks', '{"n":6}');
    const again = await ha.bookmarkSubscribe('ticks', HAClient.Bookmarks.MOST_RECENT, undefined, {
      subId: 'resume',
    });
    expect(srv.commands('subscribe').at(-1)?.fields.bookmark).toBe(`${JOURNAL_PUBLISHER}|5|`);
    expect(numbers(await readAll(again, 1))).toEqual([6]);
  });

  it('resumes from the persisted point when it is earlier, suppressing what was already delivered', async () => {
    const { srv, ha, count } = await setUp('bm-persisted');
    const stream = await ha.bookmarkSubscribe('ticks', HAClient.Bookmarks.EPOCH, undefined, { subId: 'p' });
    expect(srv.commands('subscribe')[0]?.fields.ackType?.split(',')).toContain('persisted');
    for (let n = 1; n <= 5; n++) srv.emit('ticks', `{"n":${n}}`);
    expect(numbers(await readAll(stream, 5))).toEqual([1, 2, 3, 4, 5]);
    srv.persisted(`${JOURNAL_PUBLISHER}|3|`);
    await waitFor('persisted point', () => ha.getMostRecent('p') === `${JOURNAL_PUBLISHER}|3|`);
    srv.dropAll();
    await waitFor('resubscription', () => count('resubscribed') === 1);
    expect(srv.commands('subscribe')[1]?.fields.bookmark).toBe(`${JOURNAL_PUBLISHER}|3|`);
    srv.emit('ticks', '{"n":6}');
    // 4 and 5 were replayed by the server but are suppressed as already discarded.
    expect(numbers(await readAll(stream, 1))).toEqual([6]);
    expect(await stream.read(50)).toBeUndefined();
  });
});
