import { describe, expect, it } from 'vitest';
import { parseSparkArgs } from '../../client/cli/args.js';
import type { SubscribeSpec } from '../../common/src/dto/subscriptions.js';
import { asPython, asSpark, asTypeScript } from '../src/lib/copyAs.js';
import { subscriptionCopyCommand } from '../src/subscriptions/subscriptionCopyAs.js';
import { SubscriptionModel } from '../src/subscriptions/subscriptionModel.js';
import { MessageFeed } from '../src/subscriptions/messageFeed.js';
import { FakeApi, ManualScheduler } from './fakes.js';

const URI = 'tcp://127.0.0.1:9007/amps/json';

/** Splits a POSIX command line as a shell would (single quotes and '\'' only). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '\\') {
      word += line[i + 1] ?? '';
      i++;
      inWord = true;
    } else if (c === ' ') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The spark command line of `spec`, parsed back by spark's own argument parser. */
function sparkRoundTrip(spec: SubscribeSpec): ReturnType<typeof parseSparkArgs> {
  const lines = asSpark(subscriptionCopyCommand(spec), URI).split('\n');
  const words = shellWords(lines.at(-1) as string);
  expect(words.slice(0, 4)).toEqual(['npm', 'run', 'spark', '--']);
  return parseSparkArgs(words.slice(4));
}

const base = { connectionId: 'c', topic: 'orders' } as const;

describe('copy a subscription as', () => {
  it('subscribe with a filter and options parses back through spark unchanged', () => {
    const args = sparkRoundTrip({ ...base, mode: 'subscribe', filter: "/name = 'O''Neil'", options: { options: 'oof,timestamp' } });
    expect(args).toMatchObject({
      command: 'subscribe',
      topic: 'orders',
      filter: "/name = 'O''Neil'",
      options: 'oof,timestamp',
      delta: false,
      uris: [URI],
    });
    expect(args.bookmark).toBeUndefined();
  });

  it('delta_subscribe is spark subscribe -delta', () => {
    expect(sparkRoundTrip({ ...base, mode: 'delta_subscribe' })).toMatchObject({ command: 'subscribe', delta: true });
  });

  it('sow_and_subscribe carries its batch size', () => {
    expect(sparkRoundTrip({ ...base, mode: 'sow_and_subscribe', options: { batchSize: 50, options: 'oof' } })).toMatchObject({
      command: 'sow_and_subscribe',
      batchSize: 50,
      options: 'oof',
    });
  });

  it('a bookmark replay carries its bookmark and its rate options', () => {
    const spec: SubscribeSpec = {
      ...base,
      mode: 'bookmark',
      filter: '/qty > 5',
      options: { bookmark: '20260101T093000.000000Z', options: 'timestamp,rate=2X,rate_max_gap=5s', replayCompleted: true },
    };
    expect(sparkRoundTrip(spec)).toMatchObject({
      command: 'subscribe',
      bookmark: '20260101T093000.000000Z',
      options: 'timestamp,rate=2X,rate_max_gap=5s',
      filter: '/qty > 5',
    });
    const ts = asTypeScript(subscriptionCopyCommand(spec), URI);
    expect(ts).toContain('new Command("subscribe")');
    expect(ts).toContain('.setBookmark("20260101T093000.000000Z")');
    expect(ts).toContain('.setOptions("timestamp,rate=2X,rate_max_gap=5s")');
    expect(ts).toContain('.setAckType("completed");');
    const py = asPython(subscriptionCopyCommand(spec), URI);
    expect(py).toContain('AMPS.Command("subscribe") \\');
    expect(py).toContain('.set_bookmark("20260101T093000.000000Z") \\');
  });

  it('the form of a subscription view copies as the command the view places', () => {
    const model = new SubscriptionModel(
      new FakeApi().api,
      new MessageFeed({ scheduler: new ManualScheduler(), clock: () => 0, capacity: 10 }),
    );
    model.setTopic('orders');
    model.setFilter('/qty > 5');
    model.setMode('bookmark');
    model.setReplay({ start: 'epoch', rate: '2X' });
    const spec = model.buildSpec('c');
    expect(spec).toBeDefined();
    const args = sparkRoundTrip(spec as SubscribeSpec);
    expect(args).toMatchObject({ command: 'subscribe', bookmark: '0', filter: '/qty > 5' });
    expect(args.options).toContain('rate=2X');
    model.dispose();
  });

  it('never copies a password', () => {
    const uri = 'tcp://bob:s3cret@host:9007/amps/json';
    const cmd = subscriptionCopyCommand({ ...base, mode: 'subscribe' });
    for (const text of [asSpark(cmd, uri), asTypeScript(cmd, uri), asPython(cmd, uri)]) {
      expect(text).not.toContain('s3cret');
      expect(text).toContain('bob:');
    }
  });
});
