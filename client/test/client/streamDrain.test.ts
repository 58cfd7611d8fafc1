import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../src/client.js';
import { DisconnectedError, UsageError } from '../../src/errors.js';
import { Message } from '../../src/protocol/message.js';
import { MessageStream } from '../../src/stream.js';
import { ackFor, type FakeServer } from './fakeServer.js';
import { keyedMessage, loggedOn, settle, watchPressure } from './helpers.js';

let client: Client | undefined;
let server: FakeServer;
afterEach(async () => {
  await client?.disconnect();
  client = undefined;
});

/** Publishes `texts` to sub id `subId` from the fake server. */
const publishAll = (subId: string, texts: string[]): void => {
  for (const text of texts) server.reply({ command: 'publish', topic: 'ticks', subIds: subId }, text);
};

describe('MessageStream.drain over a client', () => {
  it('hands queued messages, then live ones, in order and without queueing', async () => {
    ({ client, server } = await loggedOn());
    const stream = await client.subscribe('ticks', undefined, { subId: 'D' });
    publishAll('D', ['1', '2', '3']);
    await settle();
    expect(stream.depth).toBe(3);
    const got: string[] = [];
    const done = stream.drain((m) => got.push(m.text));
    expect(got).toEqual(['1', '2', '3']);
    expect(stream.isDraining).toBe(true);
    publishAll('D', ['4', '5', '6']);
    await settle();
    expect(got).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(stream.depth).toBe(0);
    stream.close();
    await expect(done).resolves.toBeUndefined();
    expect(stream.isDraining).toBe(false);
    expect(server.commands('unsubscribe').map((c) => c.fields.subId)).toEqual(['D']);
  });

  it('resolves when a SOW query completes, after every record', async () => {
    ({ client, server } = await loggedOn());
    server.on('sow', (cmd, s) => {
      const queryId = cmd.fields.queryId ?? '';
      s.reply(ackFor(cmd, 'processed'));
      s.reply({ command: 'group_begin', queryId });
      s.sowBatch({ topic: 'orders', queryId }, [
        { key: 'a', data: '{"id":1}' },
        { key: 'b', data: '{"id":2}' },
      ]);
      s.reply({ command: 'group_end', queryId });
      s.reply(ackFor(cmd, 'completed'));
    });
    const stream = await client.sow('orders');
    const got: string[] = [];
    await stream.drain((m) => got.push(`${m.command}:${m.sowKey ?? ''}`));
    expect(got).toEqual(['group_begin:', 'sow:a', 'sow:b', 'group_end:']);
    expect(stream.isEnded).toBe(true);
  });

  it("rejects with the connection's error when the server drops, after what arrived", async () => {
    ({ client, server } = await loggedOn());
    const stream = await client.subscribe('ticks', undefined, { subId: 'E' });
    const got: string[] = [];
    const done = stream.drain((m) => got.push(m.text));
    publishAll('E', ['before drop']);
    await settle();
    server.drop();
    await expect(done).rejects.toBeInstanceOf(DisconnectedError);
    expect(got).toEqual(['before drop']);
    // Reported once, as with for await: a later drain just resolves.
    await expect(stream.drain(() => undefined)).resolves.toBeUndefined();
  });

  it('a throwing handler stops the drain, closes the stream (unsubscribes) and rejects with its error', async () => {
    ({ client, server } = await loggedOn());
    const stream = await client.subscribe('ticks', undefined, { subId: 'X' });
    const got: string[] = [];
    const boom = new Error('handler failed on 2');
    const done = stream.drain((m) => {
      if (m.text === '2') throw boom;
      got.push(m.text);
    });
    publishAll('X', ['1', '2', '3']);
    await expect(done).rejects.toBe(boom);
    await settle();
    expect(got).toEqual(['1']);
    expect(stream.isEnded).toBe(true);
    expect(stream.isDraining).toBe(false);
    expect(stream.depth).toBe(0);
    expect(server.commands('unsubscribe').map((c) => c.fields.subId)).toEqual(['X']);
  });

  it('keeps the queue empty, so max depth never pushes back, and releases a push-back in force', async () => {
    ({ client, server } = await loggedOn());
    const stream = await client.subscribe('ticks', undefined, { subId: 'P', maxDepth: 4 });
    const pressure = watchPressure(server);
    publishAll('P', ['0', '1', '2', '3', '4', '5']);
    await settle();
    expect(stream.isPushingBack).toBe(true);
    const got: number[] = [];
    const done = stream.drain((m) => got.push(Number(m.text)));
    expect(stream.isPushingBack).toBe(false);
    expect(pressure).toEqual(['pause', 'resume']);
    publishAll(
      'P',
      Array.from({ length: 200 }, (_, i) => String(i + 6)),
    );
    await settle();
    expect(got).toEqual(Array.from({ length: 206 }, (_, i) => i));
    expect(pressure).toEqual(['pause', 'resume']);
    stream.close();
    await done;
  });
});

describe('MessageStream.drain', () => {
  it('resolves on a normal end once every queued message was handed on', async () => {
    const s = new MessageStream();
    s.push(keyedMessage('1', 'a'));
    const got: string[] = [];
    const done = s.drain((m) => got.push(m.text));
    s.push(keyedMessage('2', 'b'));
    s.end();
    s.push(keyedMessage('3', 'after end'));
    await expect(done).resolves.toBeUndefined();
    expect(got).toEqual(['a', 'b']);
  });

  it('rejects with the end error, even when started after the end', async () => {
    const live = new MessageStream();
    const first = live.drain(() => undefined);
    live.end(new Error('socket reset'));
    await expect(first).rejects.toThrow('socket reset');

    const ended = new MessageStream();
    ended.push(keyedMessage('1', 'queued'));
    ended.end(new Error('gone'));
    const got: string[] = [];
    await expect(ended.drain((m) => got.push(m.text))).rejects.toThrow('gone');
    expect(got).toEqual(['queued']);
  });

  it('refuses to start while a read waits, while draining, and without a handler', async () => {
    const s = new MessageStream();
    const pending = s.read();
    await expect(s.drain(() => undefined)).rejects.toBeInstanceOf(UsageError);
    s.push(keyedMessage('1', 'to the reader'));
    expect((await pending)?.text).toBe('to the reader');

    const got: string[] = [];
    const done = s.drain((m) => got.push(m.text));
    await expect(s.drain(() => undefined)).rejects.toThrow(/already being drained/);
    await expect(s.read()).rejects.toBeInstanceOf(UsageError);
    await expect(s.next()).rejects.toThrow(/being drained/);
    await expect(s.toArray()).rejects.toBeInstanceOf(UsageError);
    await expect(s.drain(undefined as unknown as () => void)).rejects.toThrow(/handler function/);
    s.push(keyedMessage('2', 'to the drain'));
    s.close();
    await done;
    expect(got).toEqual(['to the drain']);
  });

  it('refuses to start while a for await loop waits', async () => {
    const s = new MessageStream();
    const seen: string[] = [];
    const loop = (async () => {
      for await (const m of s) seen.push(m.text);
    })();
    await settle();
    await expect(s.drain(() => undefined)).rejects.toThrow(/for await/);
    s.push(keyedMessage('1', 'x'));
    s.end();
    await loop;
    expect(seen).toEqual(['x']);
  });

  it('ends when the stream is closed, also from inside the handler', async () => {
    let closes = 0;
    const s = new MessageStream({ onClose: () => closes++ });
    s.push(keyedMessage('1', 'a'));
    s.push(keyedMessage('2', 'b'));
    s.push(keyedMessage('3', 'c'));
    const got: string[] = [];
    const done = s.drain((m) => {
      got.push(m.text);
      if (m.text === 'b') s.close();
    });
    await expect(done).resolves.toBeUndefined();
    expect(got).toEqual(['a', 'b']);
    expect(closes).toBe(1);
    expect(s.isDraining).toBe(false);
  });

  it('hands a message pushed from inside the handler only after that handler returned', async () => {
    const s = new MessageStream();
    const log: string[] = [];
    const done = s.drain((m) => {
      log.push(`start ${m.text}`);
      if (m.text === 'a') s.push(keyedMessage('2', 'b'));
      log.push(`end ${m.text}`);
    });
    s.push(keyedMessage('1', 'a'));
    s.push(keyedMessage('3', 'c'));
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    s.close();
    await done;
  });

  it('hands the conflated queue on, then every live message; conflation resumes after the drain', async () => {
    const s = new MessageStream().conflate().timeout(20);
    s.push(keyedMessage('1', 'a1'));
    s.push(keyedMessage('2', 'b1'));
    s.push(keyedMessage('1', 'a2'));
    s.push(new Message({ command: 'ack', ackType: 'completed' }));
    expect(s.depth).toBe(3);
    const got: string[] = [];
    const done = s.drain((m) => got.push(m.command === 'ack' ? 'ack' : m.text));
    expect(got).toEqual(['a2', 'b1', 'ack']);
    // The handler is never behind: each state of a key is handed on.
    s.push(keyedMessage('1', 'a3'));
    s.push(keyedMessage('1', 'a4'));
    expect(got).toEqual(['a2', 'b1', 'ack', 'a3', 'a4']);
    // The idle timeout ends the drain and leaves the stream open.
    await expect(done).resolves.toBeUndefined();
    expect(s.isEnded).toBe(false);
    expect(s.isDraining).toBe(false);
    s.push(keyedMessage('1', 'a5'));
    s.push(keyedMessage('2', 'b2'));
    s.push(keyedMessage('1', 'a6'));
    expect(s.depth).toBe(2);
    expect((await s.read())?.text).toBe('a6');
    expect((await s.read())?.text).toBe('b2');
  });

  it('calls the take hook (auto-ack) for each message handed on', async () => {
    const taken: string[] = [];
    const s = new MessageStream({ onTake: (m) => taken.push(m.text) });
    s.push(keyedMessage('1', 'a'));
    const done = s.drain(() => undefined);
    s.push(keyedMessage('2', 'b'));
    s.end();
    await done;
    expect(taken).toEqual(['a', 'b']);
  });
});
