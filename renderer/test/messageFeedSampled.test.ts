import { describe, expect, it } from 'vitest';
import { MessageFeed } from '../src/subscriptions/messageFeed.js';
import { ManualScheduler, batch } from './fakes.js';

describe('MessageFeed and the display budget', () => {
  it("shows main's sampled-out count beside its drops (0 from a host that sends none)", () => {
    const frames = new ManualScheduler();
    const feed = new MessageFeed({ scheduler: frames, clock: () => 0, capacity: 100 });
    feed.push(batch('s1', 1, 3));
    frames.runFrame();
    expect(feed.state.stats.sampled).toBe(0);
    feed.push({ ...batch('s1', 900, 910), received: 1_000, delivered: 14, dropped: 986, sampled: 986 });
    frames.runFrame();
    expect(feed.state.stats).toMatchObject({ received: 1_000, delivered: 14, dropped: 986, sampled: 986 });
    expect(feed.state.count).toBe(14);
  });
});
