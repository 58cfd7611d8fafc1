import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client.js';
import { Message } from '../../src/protocol/message.js';
import { MessageStream } from '../../src/stream.js';
import type { FakeServer } from './fakeServer.js';
import { keyedMessage, loggedOn, settle, watchPressure } from './helpers.js';

let client: Client | undefined;
let server: FakeServer;
afterEach(async () => {
  await client?.disconnect();
  client = undefined;
});

describe('MessageStream back-pressure', () => {
  it('pauses the connection over maxDepth and resumes at half of it; nothing is lost', async () => {
    ({ client, server } = await loggedOn());
    const stream = await client.subscribe('ticks', undefined, { subId: 'T', maxDepth: 10 });
    const pauses = watchPressure(server);
    for (let i = 0; i < 50; i++) server.reply({ command: 'publish', topic: 'ticks', subIds: 'T' }, String(i));
    await settle();
    expect(stream.depth).toBe(11);
    expect(stream.isPushingBack).toBe(true);
    expect(pauses).toEqual(['pause']);
    let maxSeen = 0;
    const got: number[] = [];
    while (got.length < 50) {
      const m = await stream.read(1000);
      if (!m) break;
      got.push(Number(m.text));
      maxSeen = Math.max(maxSeen, stream.depth);
      await settle();
    }
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(maxSeen).toBeLessThanOrEqual(11);
    expect(pauses.filter((p) => p === 'pause').length).toBeGreaterThan(1);
    expect(pauses.at(-1)).toBe('resume');
  });

  it('releases the pause when a full stream is closed', async () => {
    ({ client, server } = await loggedOn());
    const full = await client.subscribe('ticks', undefined, { subId: 'F', maxDepth: 2 });
    const other = await client.subscribe('other', undefined, { subId: 'O' });
    for (let i = 0; i < 5; i++) server.reply({ command: 'publish', topic: 'ticks', subIds: 'F' }, String(i));
    server.reply({ command: 'publish', topic: 'other', subIds: 'O' }, 'other');
    await settle();
    expect(other.depth).toBe(0);
    full.close();
    expect((await other.read(500))?.text).toBe('other');
  });
});

describe('MessageStream', () => {
  it('conflates by SOW key while the consumer is behind', async () => {
    const s = new MessageStream().conflate();
    s.push(keyedMessage('1', 'a1'));
    s.push(keyedMessage('2', 'b1'));
    s.push(keyedMessage('1', 'a2'));
    s.push(new Message({ command: 'ack', ackType: 'completed' }));
    s.push(keyedMessage('1', 'a3', 'oof'));
    expect(s.depth).toBe(3);
    expect((await s.read())?.text).toBe('a3');
    s.push(keyedMessage('1', 'a4'));
    expect((await s.read())?.text).toBe('b1');
    expect((await s.read())?.command).toBe('ack');
    expect((await s.read())?.text).toBe('a4');
  });

  it('ends an iteration after the idle timeout but stays open', async () => {
    const s = new MessageStream().timeout(20);
    const seen: string[] = [];
    for await (const m of s) seen.push(m.text);
    expect(seen).toEqual([]);
    expect(s.isEnded).toBe(false);
    s.push(keyedMessage('1', 'later'));
    expect((await s.read())?.text).toBe('later');
    expect(await s.read(10)).toBeUndefined();
  });

  it('delivers queued messages before an end error, then reports it once', async () => {
    const s = new MessageStream();
    s.push(keyedMessage('1', 'x'));
    s.end(new Error('gone'));
    expect((await s.next()).value?.text).toBe('x');
    await expect(s.next()).rejects.toThrow('gone');
    expect((await s.next()).done).toBe(true);
  });

  it('wakes a waiting reader on push and on end', async () => {
    const s = new MessageStream();
    const first = s.next();
    s.push(keyedMessage('1', 'x'));
    expect((await first).value?.text).toBe('x');
    const second = s.next();
    s.end();
    expect((await second).done).toBe(true);
  });

  it('close drops queued messages and calls its hook once', async () => {
    let closes = 0;
    const s = new MessageStream({ onClose: () => closes++ });
    s.push(keyedMessage('1', 'x'));
    s.close();
    s.close();
    expect(closes).toBe(1);
    expect(await s.toArray()).toEqual([]);
  });

  it('validates its settings', () => {
    const s = new MessageStream();
    expect(() => s.maxDepth(0)).toThrow(RangeError);
    expect(() => s.timeout(-1)).toThrow(RangeError);
  });
});
