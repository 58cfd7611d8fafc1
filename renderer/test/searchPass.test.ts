import { describe, expect, it } from 'vitest';
import type { MessageDto } from '../../common/src/dto/subscriptions.js';
import { SearchModel } from '../src/subscriptions/searchModel.js';
import type { WarmupScheduler } from '../src/subscriptions/searchWarmup.js';
import { message, searchableList as listOf } from './fakes.js';

function orders(count: number): MessageDto[] {
  const out: MessageDto[] = [];
  for (let index = 1; index <= count; index++) {
    const data = JSON.stringify({ sym: index % 3 === 0 ? 'IBM' : 'MSFT', qty: index % 100 });
    out.push(message(index, { data, size: data.length, receivedAt: 0 }));
  }
  return out;
}

/** Tasks run by hand; the clock moves `tick` ms each time it is read. */
function manual(tick: number) {
  const tasks: (() => void)[] = [];
  const schedule: WarmupScheduler = (task) => {
    tasks.push(task);
    return () => {
      const i = tasks.indexOf(task);
      if (i >= 0) tasks.splice(i, 1);
    };
  };
  let t = 0;
  return { tasks, schedule, now: () => (t += tick) };
}

describe('search pass in slices', () => {
  it('tests the list a slice at a time with its progress shown, and ends with the matches of a pass at once', () => {
    const messages = orders(4000);
    const clock = manual(0.5);
    const model = new SearchModel(clock.now, { schedule: clock.schedule, sliceMs: 4, refreshMs: 0 });
    model.setInput('/qty > 97');
    let revealed = 0;
    model.start(listOf(messages), () => revealed++);
    // The clock is read every 64 tests, 0.5 ms each read: a slice tests 8 x 64 messages.
    expect(model.state.progress).toEqual({ done: 512, total: 4000 });
    expect(model.state.query).toBeUndefined();
    const seen: number[] = [];
    model.watch((s) => {
      if (s.progress !== undefined) seen.push(s.progress.done);
    });
    let slices = 1;
    while (clock.tasks.length > 0) {
      clock.tasks.shift()?.();
      slices++;
    }
    expect(slices).toBe(8);
    expect(seen).toEqual([1024, 1536, 2048, 2560, 3072, 3584]);
    expect(model.state.progress).toBeUndefined();
    expect(revealed).toBe(1);
    const found = model.state.matches;
    const atOnce = new SearchModel(() => 0);
    atOnce.setInput('/qty > 97');
    atOnce.run(listOf(messages));
    expect(found).toEqual(atOnce.state.matches);
    expect(found).toHaveLength(80);
    expect(model.state.searched).toBe(4000);
  });

  it('ends within the call when the pass fits in one slice', () => {
    const clock = manual(0.01);
    const model = new SearchModel(clock.now, { schedule: clock.schedule, refreshMs: 0 });
    model.setInput("/sym = 'IBM'");
    model.start(listOf(orders(300)));
    expect(clock.tasks).toHaveLength(0);
    expect(model.state.matches).toHaveLength(100);
    expect(model.state.kind).toBe('expression');
  });

  it('is cancelled by new text, a new mode or clear: the old pass reports nothing more', () => {
    const messages = orders(4000);
    const clock = manual(0.5);
    const model = new SearchModel(clock.now, { schedule: clock.schedule, sliceMs: 4, refreshMs: 0 });
    let revealed = 0;
    model.setInput('/qty > 10');
    model.start(listOf(messages), () => revealed++);
    expect(model.state.progress?.done).toBe(512);
    model.setInput('/qty > 1');
    expect(model.state.progress).toBeUndefined();
    expect(clock.tasks).toHaveLength(0);
    model.start(listOf(messages));
    model.setMode('text');
    expect(clock.tasks).toHaveLength(0);
    model.start(listOf(messages));
    model.clear();
    expect(clock.tasks).toHaveLength(0);
    expect(model.state.query).toBeUndefined();
    expect(revealed).toBe(0);
  });
});
