import { describe, expect, it } from 'vitest';
import { parseSparkArgs } from '../../client/cli/args.js';
import type { SowQuerySpec } from '../../common/src/dto/sow.js';
import { asPython, asSpark, asTypeScript, commandOptions, copyAs, shellQuote } from '../src/sow/sowCopyAs.js';

const URI = 'tcp://127.0.0.1:9007/amps/json';
const live: SowQuerySpec = {
  connectionId: 'c',
  topic: 'orders',
  mode: 'live',
  filter: "/customer/name = 'O''Neil' AND /qty > 5",
  orderBy: '/qty DESC',
  topN: 50,
  batchSize: 100,
  select: '/id, /qty',
  conflation: '250ms',
};

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

describe('copy as', () => {
  it('writes the options the command carries, as AMPS spells them', () => {
    expect(commandOptions(live)).toBe('oof,conflation=250ms,select=[-/,+/id,+/qty]');
    expect(commandOptions({ connectionId: 'c', topic: 't', mode: 'query', skipN: 10, oof: true })).toBe('skip_n=10');
    expect(
      commandOptions({ connectionId: 'c', topic: 't', mode: 'live_delta', noEmpties: true, oof: false, grouping: '/a', projection: '/a AS /a' }),
    ).toBe('no_empties,grouping=[/a],projection=[/a AS /a]');
  });

  it('quotes shell words so the shell gives them back unchanged', () => {
    expect(shellQuote('orders')).toBe('orders');
    expect(shellWords(shellQuote("/a = 'x' AND /b > 5"))).toEqual(["/a = 'x' AND /b > 5"]);
  });

  it('the spark command parses back, through spark itself, into the same query', () => {
    const line = asSpark(live, URI);
    const words = shellWords(line);
    expect(words.slice(0, 4)).toEqual(['npm', 'run', 'spark', '--']);
    const args = parseSparkArgs(words.slice(4));
    expect(args).toMatchObject({
      command: 'sow_and_subscribe',
      topic: 'orders',
      filter: live.filter,
      orderBy: '/qty DESC',
      topN: 50,
      batchSize: 100,
      options: 'oof,conflation=250ms,select=[-/,+/id,+/qty]',
      delta: false,
    });
    const delta = parseSparkArgs(shellWords(asSpark({ ...live, mode: 'live_delta' }, URI)).slice(4));
    expect(delta.delta).toBe(true);
    const asOf = parseSparkArgs(shellWords(asSpark({ ...live, mode: 'query', bookmark: '20260101T000000Z' }, URI)).slice(4));
    expect(asOf).toMatchObject({ command: 'sow', bookmark: '20260101T000000Z' });
  });

  it('says so when spark cannot carry the as-of point of a live query', () => {
    expect(asSpark({ ...live, bookmark: '1|2|' }, URI).split('\n')[0]).toMatch(/^# .*no -bookmark.*1\|2\|/);
  });

  it('never copies a password', () => {
    const uri = 'tcp://bob:s3cret@host:9007/amps/json';
    for (const kind of ['spark', 'typescript', 'python'] as const) {
      const text = copyAs(kind, live, uri);
      expect(text).not.toContain('s3cret');
      expect(text).toContain('bob:');
    }
  });

  it('TypeScript builds the command with our client and reads the stream', () => {
    const ts = asTypeScript(live, URI);
    expect(ts).toContain("import { Client, Command } from './client/src/index.js';");
    expect(ts).toContain(`await client.connect("${URI}");`);
    expect(ts).toContain('new Command("sow_and_subscribe")');
    expect(ts).toContain(`.setFilter(${JSON.stringify(live.filter)})`);
    expect(ts).toContain('.setTopN(50)');
    expect(ts).toContain('.setOptions("oof,conflation=250ms,select=[-/,+/id,+/qty]")');
    expect(ts).toContain('for await (const message of stream)');
  });

  it('Python uses the AMPS client with its set_ methods, one continued statement', () => {
    const py = asPython({ ...live, mode: 'query', bookmark: '1|2|' }, URI);
    const lines = py.split('\n');
    expect(lines[0]).toBe('import AMPS');
    expect(py).toContain('AMPS.Command("sow") \\');
    expect(py).toContain('.set_order_by("/qty DESC") \\');
    expect(py).toContain('.set_bookmark("1|2|") \\');
    // The last setter ends the statement.
    const last = lines.findIndex((l) => l.startsWith('for message'));
    expect(lines[last - 1]?.endsWith('\\')).toBe(false);
    expect(py).toContain('message.get_sow_key()');
  });
});
