import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { formatAckTypes, parseAckTypes } from '../../src/protocol/ack.js';
import { Command } from '../../src/protocol/command.js';
import { Message } from '../../src/protocol/message.js';
import { MessageOptions, optionsText, splitOptions } from '../../src/protocol/options.js';
import { convertVersionToNumber, VersionInfo } from '../../src/protocol/versionInfo.js';

describe('MessageOptions (spec §4.2)', () => {
  it('builds option strings with bracketed list values', () => {
    const o = new MessageOptions()
      .oof()
      .conflation('250ms')
      .conflationKey(['/a', '/b'])
      .select('-/,+/id')
      .topN(10)
      .skipN(5)
      .maxBacklog(3)
      .grouping(['/sym'])
      .projection(['/sym', 'SUM(/qty) AS /total'])
      .bookmarkNotFound('epoch')
      .rate('2X')
      .rateMaxGap('10s');
    expect(o.toString()).toBe(
      'oof,conflation=250ms,conflation_key=[/a,/b],select=[-/,+/id],top_n=10,skip_n=5,max_backlog=3,grouping=[/sym],projection=[/sym,SUM(/qty) AS /total],bookmark_not_found=epoch,rate=2X,rate_max_gap=10s',
    );
  });

  it('has every flag of the seed', () => {
    const o = new MessageOptions()
      .replace()
      .live()
      .fullyDurable()
      .noEmpties()
      .sendKeys()
      .noSowKey()
      .timestamp()
      .bookmark()
      .pause()
      .resume()
      .cancel()
      .expire()
      .nonRegexTopic()
      .pretty();
    expect(o.toString()).toBe(
      'replace,live,fully_durable,no_empties,send_keys,no_sowkey,timestamp,bookmark,pause,resume,cancel,expire,non_regex_topic,pretty',
    );
    expect(o.none().isEmpty).toBe(true);
  });

  it('replaces a repeated option and parses existing strings', () => {
    const o = MessageOptions.parse('oof,conflation_key=[/a,/b],top_n=5').topN(7);
    expect(o.toString()).toBe('oof,conflation_key=[/a,/b],top_n=7');
    expect(o.get('conflation_key')).toBe('[/a,/b]');
    expect(o.has('oof')).toBe(true);
  });

  it('rejects bad values with the option named', () => {
    expect(() => new MessageOptions().topN(-1)).toThrow(/option top_n: -1 is not a non-negative integer/);
    expect(() => new MessageOptions().conflation('soon')).toThrow(/option conflation/);
    expect(() => new MessageOptions().rate('fast')).toThrow(UsageError);
    expect(() => new MessageOptions().select([])).toThrow(/non-empty list/);
    expect(() => splitOptions('a=[1,2')).toThrow(/unclosed/);
    expect(() => splitOptions('a]')).toThrow(/unbalanced "\]" at character 1/);
  });

  it('splits at top-level commas only and drops a trailing comma', () => {
    expect(splitOptions('oof,select=[-/,+/id],')).toEqual(['oof', 'select=[-/,+/id]']);
    expect(optionsText(' oof , timestamp ')).toBe('oof,timestamp');
    expect(optionsText('')).toBeUndefined();
  });
});

describe('Command', () => {
  it('sets every header with chaining', () => {
    const c = new Command('sow')
      .setTopic('orders')
      .setFilter('/a = 1')
      .setCommandId('9')
      .setQueryId('q')
      .setSubId('s')
      .setBatchSize(100)
      .setTopN(5)
      .setOrderBy('/a DESC')
      .setSowKeys(['1', '2'])
      .setBookmark('0')
      .setOptions(new MessageOptions().oof())
      .setAckType('processed,stats')
      .addAckType('completed')
      .setCorrelationId('QQ==')
      .setSequence(18446744073709551615n)
      .setExpiration(30)
      .setSowKey('k')
      .setTimeout(500);
    expect(c.fields).toEqual({
      command: 'sow',
      topic: 'orders',
      filter: '/a = 1',
      commandId: '9',
      queryId: 'q',
      subId: 's',
      batchSize: '100',
      topN: '5',
      orderBy: '/a DESC',
      sowKeys: '1,2',
      bookmark: '0',
      options: 'oof',
      ackType: 'processed,completed,stats',
      correlationId: 'QQ==',
      sequence: '18446744073709551615',
      expiration: '30',
      sowKey: 'k',
    });
    expect(c.getTimeout()).toBe(500);
    expect(c.isQuery && !c.isSubscribe).toBe(true);
    expect(c.clone().fields).toEqual(c.fields);
    expect(c.reset().fields).toEqual({ command: 'sow' });
  });

  it('rejects unknown commands, ack types and bad numbers', () => {
    expect(() => new Command('publsh' as 'publish')).toThrow(/unknown command "publsh"/);
    expect(() => new Command('sow').setAckType('processed,done')).toThrow(/unknown ack type "done"/);
    expect(() => new Command('sow').setBatchSize(0)).toThrow(/at least 1/);
    expect(() => new Command('publish').setSequence('12a')).toThrow(/unsigned integer/);
    expect(new Command('p').command).toBe('publish');
  });

  it('keeps payloads as bytes', () => {
    expect(new Command('publish').setData('é').data).toEqual(Buffer.from('é'));
    expect(new Command('publish').setData(new Uint8Array([1, 2])).data).toEqual(Buffer.from([1, 2]));
  });
});

describe('ack types', () => {
  it('parses and formats in canonical order', () => {
    expect([...parseAckTypes('stats, processed,none,')]).toEqual(['stats', 'processed']);
    expect(formatAckTypes(['stats', 'received', 'completed'])).toBe('received,completed,stats');
    expect(formatAckTypes([])).toBeUndefined();
  });
});

describe('Message', () => {
  it('exposes every header and a lazily decoded payload', () => {
    const m = new Message(
      {
        command: 'ack',
        commandId: '1',
        ackType: 'stats',
        status: 'success',
        matches: '42',
        topicMatches: '1000',
        recordsReturned: '10',
        recordsDeleted: '3',
        sequence: '18446744073709551615',
        subIds: 'a,b',
        batchSize: '2',
        leasePeriod: '20300101T000000Z',
        expiration: 'x',
      },
      Buffer.from('{"a":1}'),
    );
    expect([m.matches, m.topicMatches, m.recordsReturned, m.recordsDeleted, m.batchSize]).toEqual([
      42, 1000, 10, 3, 2,
    ]);
    expect(m.sequence).toBe('18446744073709551615');
    expect(m.subIds).toEqual(['a', 'b']);
    expect(m.expiration).toBeUndefined();
    expect(m.isQueueMessage).toBe(true);
    expect(m.text).toBe('{"a":1}');
    expect(m.json()).toEqual({ a: 1 });
    expect(m.size).toBe(7);
    expect(m.ack()).toBe(false);
    expect(new Message({ command: 'publish' }).subIds).toEqual([]);
  });

  it('acks through its acker only when it is a queue message', () => {
    const calls: string[] = [];
    const acker = (t: string, b: string, o?: string): void => {
      calls.push(`${t} ${b} ${o ?? ''}`);
    };
    expect(
      new Message(
        { command: 'publish', topic: 'q', bookmark: '1|1|', leasePeriod: 'x' },
        undefined,
        acker,
      ).ack('cancel'),
    ).toBe(true);
    expect(new Message({ command: 'publish', topic: 'q', bookmark: '1|2|' }, undefined, acker).ack()).toBe(
      false,
    );
    expect(calls).toEqual(['q 1|1| cancel']);
  });
});

describe('VersionInfo (spec §6.2)', () => {
  it('computes the official numeric forms', () => {
    const v = new VersionInfo('5.3.5.1');
    expect(v.getOldStyleVersion()).toBe(5030501);
    expect(v.getVersionNumber()).toBe(500030000500001n);
    expect(convertVersionToNumber('4.0')).toBe(4000000);
    expect(convertVersionToNumber('3.8.1.7')).toBe(3080107);
    expect(convertVersionToNumber('5.123.1.1')).toBe(5990101);
    expect(new VersionInfo('5.3.4.0.378635.60b2fcc:javascript').getParts()).toEqual([5, 3, 4, 0]);
    const dev = new VersionInfo('develop.123');
    expect(dev.isDevelopment).toBe(true);
    expect(dev.getOldStyleVersion()).toBe(0);
  });
});
