import { describe, expect, it } from 'vitest';
import type { MessageDto } from '../../common/src/dto/subscriptions.js';
import { CompareModel, compareMessages, previousOfKey } from '../src/subscriptions/compareModel.js';

function msg(index: number, data: string, sowKey?: string, extra: Partial<MessageDto> = {}): MessageDto {
  return {
    index,
    command: 'p',
    topic: 'orders',
    data,
    size: data.length,
    truncated: false,
    ...(sowKey === undefined ? {} : { sowKey }),
    receivedAt: 0,
    ...extra,
  };
}

const rowsOf = (messages: readonly MessageDto[]) => ({
  count: messages.length,
  rowAt: (r: number) => messages[r],
});

describe('compare two messages', () => {
  it('compares the first message picked with the next one, older on the left', () => {
    const a = msg(7, '{"id":1,"qty":5,"tags":["x"]}', 'k');
    const b = msg(3, '{"id":1,"qty":4}', 'k');
    const model = new CompareModel();
    expect(model.pick(a)).toBe(false);
    model.start(a);
    expect(model.state.base).toBe(a);
    expect(model.pick(a)).toBe(false);
    expect(model.pick(b)).toBe(true);
    const result = model.state.result;
    expect(model.state.base).toBeUndefined();
    expect(result?.before).toBe(b);
    expect(result?.after).toBe(a);
    expect(result?.diff).toEqual({
      kind: 'json',
      changes: [
        { path: '/qty', kind: 'changed', before: 4, after: 5 },
        { path: '/tags', kind: 'added', after: ['x'] },
      ],
    });
    model.close();
    expect(model.state).toEqual({ base: undefined, result: undefined, problem: undefined });
  });

  it('finds the previous message of the same SowKey', () => {
    const list = [
      msg(9, '{"v":3}', 'k'),
      msg(8, '{"v":9}', 'other'),
      msg(5, '{"v":2}', 'k'),
      msg(2, '{"v":1}', 'k'),
    ];
    const first = list[0];
    if (first === undefined) throw new Error('no message');
    expect(previousOfKey(rowsOf(list), first)?.index).toBe(5);
    expect(previousOfKey(rowsOf(list), msg(2, '{}', 'k'))).toBeUndefined();
    const model = new CompareModel();
    model.withPrevious(rowsOf(list), first);
    expect(model.state.result?.before.index).toBe(5);
    expect(model.state.result?.diff).toEqual({
      kind: 'json',
      changes: [{ path: '/v', kind: 'changed', before: 2, after: 3 }],
    });
  });

  it('says why there is no previous message to compare with', () => {
    const model = new CompareModel();
    model.withPrevious(rowsOf([]), msg(4, '{}'));
    expect(model.state.problem).toBe(
      'Message 4 has no SowKey: there is no previous message of its key to compare with.',
    );
    model.withPrevious(rowsOf([msg(4, '{}', 'k')]), msg(4, '{}', 'k'));
    expect(model.state.problem).toBe('No earlier message of SowKey k is held in the list.');
    expect(model.state.result).toBeUndefined();
  });

  it('diffs text payloads by line and notes payloads cut for display and other topics', () => {
    const c = compareMessages(
      msg(1, 'a=1\nb=2', undefined, { truncated: true }),
      msg(2, 'a=1\nb=3', undefined, { topic: 'fills' }),
    );
    expect(c.diff.kind).toBe('text');
    if (c.diff.kind === 'text')
      expect(c.diff.diff.lines.map((l) => l.kind)).toEqual(['same', 'removed', 'added']);
    expect(c.notes).toEqual([
      'The payload of message 1 is cut for display: only its first part is compared.',
      'The messages are of different topics (orders, fills).',
    ]);
  });
});
