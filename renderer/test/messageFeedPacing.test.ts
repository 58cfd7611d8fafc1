import { describe, expect, it } from 'vitest';
import { MessageFeed, TRICKLE_ROWS } from '../src/subscriptions/messageFeed.js';
import { ManualScheduler, batch } from './fakes.js';

function paced(minFrameMs: number): { feed: MessageFeed; frames: ManualScheduler; clock: { now: number } } {
  const frames = new ManualScheduler();
  const clock = { now: 1_000 };
  const feed = new MessageFeed({ scheduler: frames, clock: () => clock.now, capacity: 100, minFrameMs });
  return { feed, frames, clock };
}

describe('MessageFeed pacing (minFrameMs)', () => {
  it('holds a fast stream for a later frame until minFrameMs has passed', () => {
    const { feed, frames, clock } = paced(100);
    feed.push(batch('s1', 1, 10));
    frames.runFrame();
    expect(feed.state.count).toBe(10);
    feed.push(batch('s1', 11, 30));
    clock.now += 16;
    frames.runFrame();
    // Too soon: the rows wait, and another frame is requested for them.
    expect(feed.state.count).toBe(10);
    expect(frames.queued.size).toBe(1);
    clock.now += 84;
    frames.runFrame();
    expect(feed.state.count).toBe(30);
    expect(feed.state.lastChange).toEqual({ added: 20, removed: 0 });
    expect(frames.queued.size).toBe(0);
  });

  it('shows a trickle at the next frame however recent the last update', () => {
    const { feed, frames, clock } = paced(100);
    feed.push(batch('s1', 1, 10));
    frames.runFrame();
    feed.push(batch('s1', 11, 10 + TRICKLE_ROWS));
    clock.now += 16;
    frames.runFrame();
    expect(feed.state.count).toBe(10 + TRICKLE_ROWS);
  });

  it('an explicit flush shows everything at once and cancels the waiting frame', () => {
    const { feed, frames, clock } = paced(100);
    feed.push(batch('s1', 1, 10));
    frames.runFrame();
    feed.push(batch('s1', 11, 20));
    clock.now += 16;
    frames.runFrame();
    expect(frames.queued.size).toBe(1);
    feed.flush();
    expect(feed.state.count).toBe(20);
    expect(frames.queued.size).toBe(0);
  });

  it('rejects a negative or non-numeric minFrameMs', () => {
    const frames = new ManualScheduler();
    expect(() => new MessageFeed({ scheduler: frames, clock: () => 0, minFrameMs: -1 })).toThrow(
      /minFrameMs must be >= 0, got -1/,
    );
    expect(() => new MessageFeed({ scheduler: frames, clock: () => 0, minFrameMs: Number.NaN })).toThrow(
      RangeError,
    );
  });
});
