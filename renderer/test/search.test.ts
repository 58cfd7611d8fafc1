import { describe, expect, it } from 'vitest';
import type { MessageDto } from '../../common/src/dto/subscriptions.js';
import { parseSearch, rowOf, searchList, stepMatch } from '../src/subscriptions/search.js';
import { SearchModel } from '../src/subscriptions/searchModel.js';
import { searchableList } from './fakes.js';

let n = 0;
const msg = (data: string, extra: Partial<MessageDto> = {}): MessageDto => ({
  index: ++n,
  command: 'p',
  topic: 'orders',
  data,
  size: data.length,
  truncated: false,
  receivedAt: 0,
  ...extra,
});
const listOf = searchableList;

const buffer = [
  msg('{"sym":"IBM","qty":100}', { sowKey: 'k1' }),
  msg('{"sym":"MSFT","qty":5}'),
  msg('plain text about ibm shares'),
  msg('{"sym":"AAPL","qty":700,"side":"buy"}', { topic: 'trades' }),
  msg('{"sym":"IBM","qty":', { truncated: true }),
];

describe('search', () => {
  it('finds free text in payload, topic and SowKey, any case, and marks each occurrence', () => {
    const q = parseSearch('ibm').query;
    expect(q?.kind).toBe('text');
    if (q === undefined) return;
    expect(searchList(listOf(buffer), q).rows).toEqual([0, 2, 4]);
    expect(q.ranges('IBM and ibm')).toEqual([
      [0, 3],
      [8, 11],
    ]);
    const byTopic = parseSearch('TRADES').query;
    expect(byTopic && searchList(listOf(buffer), byTopic).rows).toEqual([3]);
    const byKey = parseSearch('k1', 'text').query;
    expect(byKey && searchList(listOf(buffer), byKey).rows).toEqual([0]);
  });

  it('treats regex characters in free text literally', () => {
    const q = parseSearch('"qty":5}').query;
    expect(q && searchList(listOf(buffer), q).rows).toEqual([1]);
    expect(parseSearch('a.*b', 'text').query?.ranges('axxb a.*b')).toEqual([[5, 9]]);
  });

  it('evaluates an expression against each JSON payload with the expression module', () => {
    const q = parseSearch("/qty > 50 AND /sym <> 'IBM'").query;
    expect(q?.kind).toBe('expression');
    expect(q && searchList(listOf(buffer), q).rows).toEqual([3]);
    const byTopic = parseSearch("/qty >= 100 AND TOPIC_NAME() = 'orders'").query;
    expect(byTopic && searchList(listOf(buffer), byTopic).rows).toEqual([0]);
    // Cut and non-JSON payloads never match an expression.
    const all = parseSearch('/sym IS NOT NULL').query;
    expect(all && searchList(listOf(buffer), all).rows).toEqual([0, 1, 3]);
  });

  it('searches as text a field-like input that is not a valid expression, saying why', () => {
    const parsed = parseSearch('/qty >');
    expect(parsed.query?.kind).toBe('text');
    expect(parsed.problem?.message).toContain('expected a value');
    const strict = parseSearch('/qty >', 'expression');
    expect(strict.query).toBeUndefined();
    expect(strict.problem?.position).toBe(6);
    expect(parseSearch('   ').query).toBeUndefined();
  });

  it('steps through matches both ways, wrapping', () => {
    expect(stepMatch(0, -1, 1)).toBe(-1);
    expect(stepMatch(3, -1, 1)).toBe(0);
    expect(stepMatch(3, -1, -1)).toBe(2);
    expect(stepMatch(3, 2, 1)).toBe(0);
    expect(stepMatch(3, 0, -1)).toBe(2);
    expect(rowOf(listOf(buffer), buffer[3] as MessageDto)).toBe(3);
    expect(rowOf(listOf(buffer.slice(0, 2)), buffer[3] as MessageDto)).toBeUndefined();
  });
});

describe('search model', () => {
  it('runs over the list, highlights matches and moves next / previous with their rows', () => {
    let t = 0;
    const model = new SearchModel(() => (t += 5));
    const list = listOf(buffer);
    model.setInput('IBM');
    expect(model.run(list)).toBe(3);
    expect(model.state.searched).toBe(5);
    expect(model.state.ms).toBe(5);
    expect(model.isMatch(buffer[2] as MessageDto)).toBe(true);
    expect(model.isMatch(buffer[1] as MessageDto)).toBe(false);
    expect(model.step(list, 1)).toEqual({ message: buffer[0], row: 0 });
    expect(model.step(list, 1)?.row).toBe(2);
    expect(model.state.current).toBe(1);
    expect(model.step(list, -1)?.row).toBe(0);
    expect(model.step(list, -1)?.row).toBe(4);
    // The list moved on (newest on top): the match's row follows it.
    const moved = listOf([msg('{"new":1}'), ...buffer]);
    expect(model.step(moved, 1)?.row).toBe(1);
    model.clear();
    expect(model.isMatch(buffer[0] as MessageDto)).toBe(false);
    expect(model.state.query).toBeUndefined();
    expect(model.step(list, 1)).toBeUndefined();
  });
});
