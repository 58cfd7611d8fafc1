import { describe, expect, it } from 'vitest';
import { parseSparkArgs, serverToUri, SparkUsageError } from '../../cli/args.js';

describe('spark command line', () => {
  it('turns -server into a tcp connection string of the chosen message type', () => {
    const args = parseSparkArgs([
      'subscribe',
      '-server',
      'localhost:9007',
      '-topic',
      'orders',
      '-type',
      'fix',
    ]);
    expect(args.uris).toEqual(['tcp://localhost:9007/amps/fix']);
    expect(args.messageType).toBe('fix');
    expect(args.format).toBe('payload');
  });

  it('accepts several servers (comma list or repeated -uri) for HA', () => {
    expect(parseSparkArgs(['ping', '-server', 'a:1,b:2']).uris).toEqual([
      'tcp://a:1/amps/json',
      'tcp://b:2/amps/json',
    ]);
    expect(
      parseSparkArgs(['ping', '-uri', 'tcp://a:1/amps/json', '-uri', 'ws://b:2/amps/json']).uris,
    ).toHaveLength(2);
  });

  it('reads every sow option with its type', () => {
    const args = parseSparkArgs([
      'sow',
      '-uri',
      'tcp://h:1/amps/json',
      '-topic',
      'orders',
      '-filter',
      '/qty > 5',
      '-orderby',
      '/qty DESC',
      '-topn',
      '3',
      '-batchsize',
      '50',
      '-format',
      'json',
      '-timeout',
      '500',
    ]);
    expect(args).toMatchObject({
      command: 'sow',
      topic: 'orders',
      filter: '/qty > 5',
      orderBy: '/qty DESC',
      topN: 3,
      batchSize: 50,
      format: 'json',
      timeoutMs: 500,
    });
  });

  it('reads -bookmark-store for subscribe and -publish-store for publish', () => {
    const sub = parseSparkArgs([
      'subscribe',
      '-server',
      'a:1,b:2',
      '-topic',
      't',
      '-bookmark-store',
      'sub.bm',
      '-bookmark',
      '0|1|',
    ]);
    expect(sub).toMatchObject({
      bookmarkStore: 'sub.bm',
      bookmark: '0|1|',
      uris: ['tcp://a:1/amps/json', 'tcp://b:2/amps/json'],
    });
    const pub = parseSparkArgs([
      'publish',
      '-uri',
      'tcp://a:1/amps/json',
      '-topic',
      't',
      '-publish-store',
      'out.pub',
      '-name',
      'feeder',
    ]);
    expect(pub).toMatchObject({ publishStore: 'out.pub', clientName: 'feeder' });
  });

  it('keeps credentials and IPv6 literals of -server', () => {
    expect(serverToUri('u:p@[::1]:9007', 'json')).toBe('tcp://u:p@[::1]:9007/amps/json');
  });

  it.each([
    [[], /missing command/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['sow', '-topic', 'x'], /missing -server/],
    [['sow', '-server', 'localhost'], /-server must be/],
    [['sow', '-server', 'h:1'], /sow needs -topic/],
    [['sow', '-server', 'h:1', '-topic', 't', '-topn', 'ten'], /-topn must be a positive integer, got "ten"/],
    [['sow', '-server', 'h:1', '-topic', 't', '-bogus', '1'], /unknown option "-bogus"/],
    [['sow', '-server', 'h:1', '-topic'], /needs a value/],
    [['sow', '-server', 'h:1', '-topic', 't', '-format', 'xml'], /-format must be/],
    [['sow_delete', '-server', 'h:1', '-topic', 't'], /exactly one of -filter, -keys or -file/],
    [['sow_delete', '-server', 'h:1', '-topic', 't', '-filter', '1=1', '-keys', 'a'], /exactly one/],
    [['subscribe', '-server', 'h:1', '-topic', 't', '-rate', '5'], /-rate applies to publish only/],
    [['sow', '-server', 'h:1', '-topic', 't', '-delta'], /-delta does not apply to sow/],
    [['publish', '-server', 'h:1', '-topic', 't', '-rate', '-3'], /-rate must be a positive number/],
    [['publish', '-server', 'h:1', '-topic', 't', '-topic', 'u'], /given more than once/],
    [['ping', '-server', 'h:1', 'stray'], /unexpected argument "stray"/],
    [
      ['sow', '-server', 'h:1', '-topic', 't', '-bookmark-store', 'f'],
      /-bookmark-store applies to subscribe only, not sow/,
    ],
    [
      ['publish', '-server', 'h:1', '-topic', 't', '-bookmark-store', 'f'],
      /-bookmark-store applies to subscribe only/,
    ],
    [['subscribe', '-server', 'h:1', '-topic', 't', '-bookmark-store', 'f', '-delta'], /cannot be -delta/],
    [
      ['subscribe', '-server', 'h:1', '-topic', 't', '-publish-store', 'f'],
      /-publish-store applies to publish only, not subscribe/,
    ],
    [
      ['subscribe', '-server', 'h:1', '-topic', 't', '-bookmark-store', ' '],
      /-bookmark-store needs a file name/,
    ],
    [['publish', '-server', 'h:1', '-topic', 't', '-publish-store', ''], /-publish-store needs a file name/],
    [
      ['subscribe', '-server', 'h:1', '-topic', 't', '-bookmark-store', 'a', '-bookmark-store', 'b'],
      /given more than once/,
    ],
    [['ping', '-server', 'a:1,b'], /-server must be \[user:password@\]host:port, got "b"/],
  ])('refuses %j with a message naming the problem', (argv, message) => {
    expect(() => parseSparkArgs(argv)).toThrow(SparkUsageError);
    expect(() => parseSparkArgs(argv)).toThrow(message);
  });
});
