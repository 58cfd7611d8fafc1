import { describe, expect, it } from 'vitest';
import { MessageFeed } from '../src/subscriptions/messageFeed.js';
import { ManualScheduler, batch } from './fakes.js';

function setup(capacity = 5): {
  feed: MessageFeed;
  frames: ManualScheduler;
  clock: { now: number };
  publishes: () => number;
} {
  const frames = new ManualScheduler();
  const clock = { now: 0 };
  const feed = new MessageFeed({ scheduler: frames, clock: () => clock.now, capacity });
  let published = 0;
  feed.watch(() => published++);
  return { feed, frames, clock, publishes: () => published };
}

const indexes = (feed: MessageFeed): number[] => {
  const out: number[] = [];
  for (let row = 0; row < feed.state.count; row++) out.push(feed.state.rowAt(row)?.index ?? -1);
  return out;
};

describe('MessageFeed', () => {
  it('appends batches at most once per frame', () => {
    const { feed, frames, publishes } = setup(100);
    feed.push(batch('s1', 1, 3));
    feed.push(batch('s1', 4, 6));
    feed.push(batch('s1', 7, 7));
    expect(frames.queued.size).toBe(1);
    expect(feed.state.count).toBe(0);
    expect(publishes()).toBe(0);
    frames.runFrame();
    expect(publishes()).toBe(1);
    expect(feed.state.count).toBe(7);
    expect(feed.state.lastChange).toEqual({ added: 7, removed: 0 });
  });

  it('shows newest on top by default, and oldest first when toggled', () => {
    const { feed, frames } = setup(10);
    feed.push(batch('s1', 1, 4));
    frames.runFrame();
    expect(indexes(feed)).toEqual([4, 3, 2, 1]);
    feed.setNewestOnTop(false);
    expect(indexes(feed)).toEqual([1, 2, 3, 4]);
    expect(feed.state.rowAt(4)).toBeUndefined();
    expect(feed.state.rowAt(-1)).toBeUndefined();
  });

  it('bounds the list to its capacity and counts what it dropped', () => {
    const { feed, frames } = setup(5);
    feed.push(batch('s1', 1, 4));
    frames.runFrame();
    feed.push(batch('s1', 5, 8));
    frames.runFrame();
    expect(indexes(feed)).toEqual([8, 7, 6, 5, 4]);
    expect(feed.state.stats.viewDropped).toBe(3);
    expect(feed.state.lastChange).toEqual({ added: 4, removed: 3 });
  });

  it('bounds what waits for a frame (a hidden tab gets no frames)', () => {
    const { feed, frames } = setup(5);
    for (let i = 0; i < 100; i++) feed.push(batch('s1', i * 10 + 1, i * 10 + 10));
    frames.runFrame();
    expect(indexes(feed)).toEqual([1000, 999, 998, 997, 996]);
    expect(feed.state.stats.viewDropped).toBe(995);
  });

  it('reports the main process counts of the last batch', () => {
    const { feed, frames } = setup();
    feed.push(batch('s1', 1, 3, 7));
    frames.runFrame();
    expect(feed.state.stats).toMatchObject({ received: 10, delivered: 3, dropped: 7 });
  });

  it('pause freezes the rows and counts arrivals; resume shows the live rows', () => {
    const { feed, frames } = setup(10);
    feed.push(batch('s1', 1, 3));
    frames.runFrame();
    feed.pause();
    expect(feed.state.paused).toBe(true);
    feed.push(batch('s1', 4, 8));
    frames.runFrame();
    expect(indexes(feed)).toEqual([3, 2, 1]);
    expect(feed.state.stats.pausedArrivals).toBe(5);
    expect(feed.state.lastChange).toEqual({ added: 0, removed: 0 });
    feed.resume();
    expect(feed.state.paused).toBe(false);
    expect(indexes(feed)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(feed.state.stats.pausedArrivals).toBe(0);
  });

  it('clear empties the list but keeps the main process counts', () => {
    const { feed, frames } = setup(3);
    feed.push(batch('s1', 1, 5, 2));
    frames.runFrame();
    feed.select(feed.state.rowAt(0));
    expect(feed.state.selected?.index).toBe(5);
    feed.clear();
    expect(feed.state.count).toBe(0);
    expect(feed.state.selected).toBeUndefined();
    expect(feed.state.stats).toMatchObject({ viewDropped: 0, received: 7, delivered: 5, dropped: 2 });
  });

  it('keeps the selected message even after it leaves the ring', () => {
    const { feed, frames } = setup(2);
    feed.push(batch('s1', 1, 2));
    frames.runFrame();
    const first = feed.state.rowAt(1);
    feed.select(first);
    feed.push(batch('s1', 3, 6));
    frames.runFrame();
    expect(feed.state.selected).toBe(first);
    expect(indexes(feed)).toEqual([6, 5]);
  });

  it('moves the selection with the arrow keys in display order', () => {
    const { feed, frames } = setup(10);
    expect(feed.selectAdjacent(1)).toBeUndefined();
    feed.push(batch('s1', 1, 4));
    frames.runFrame();
    expect(feed.selectAdjacent(1)).toBe(0);
    expect(feed.state.selected?.index).toBe(4);
    expect(feed.selectAdjacent(1)).toBe(1);
    expect(feed.state.selected?.index).toBe(3);
    expect(feed.selectAdjacent(10)).toBe(3);
    expect(feed.state.selected?.index).toBe(1);
    expect(feed.selectAdjacent(-1)).toBe(2);
    feed.setNewestOnTop(false);
    expect(feed.selectAdjacent(-1)).toBe(0);
    expect(feed.state.selected?.index).toBe(1);
  });

  it('computes the rate from batches and lets it decay', () => {
    const { feed, clock } = setup(100);
    clock.now = 10_000;
    feed.push(batch('s1', 1, 50));
    clock.now = 10_500;
    feed.push(batch('s1', 51, 100));
    feed.tick();
    expect(feed.state.stats.rate).toBe(50); // 100 messages over the 2 s window
    clock.now = 20_000;
    feed.tick();
    expect(feed.state.stats.rate).toBe(0);
  });

  it('reset cancels the pending frame and starts from zero', () => {
    const { feed, frames } = setup();
    feed.push(batch('s1', 1, 3, 1));
    feed.reset();
    expect(frames.queued.size).toBe(0);
    expect(feed.state.count).toBe(0);
    expect(feed.state.stats).toMatchObject({ received: 0, delivered: 0, dropped: 0, viewDropped: 0 });
  });
});
