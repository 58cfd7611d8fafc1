import { describe, expect, it } from 'vitest';
import type { ReplayControl } from '../../common/src/dto/subscriptions.js';
import { MessageFeed } from '../src/subscriptions/messageFeed.js';
import { SubscriptionModel } from '../src/subscriptions/subscriptionModel.js';
import { FakeApi, ManualScheduler } from './fakes.js';

function setup(): { fake: FakeApi; model: SubscriptionModel } {
  const fake = new FakeApi();
  const feed = new MessageFeed({ scheduler: new ManualScheduler(), clock: () => 0, capacity: 100 });
  return { fake, model: new SubscriptionModel(fake.api, feed) };
}

describe('the subscription form in replay mode', () => {
  it('places a bookmark subscription with the replay start, rate and the completed marker', async () => {
    const { fake, model } = setup();
    model.setTopic('orders');
    model.setMode('bookmark');
    model.setReplay({ start: 'timestamp', dateTime: '2024-01-15T09:30:00', zone: 'utc', rate: '2X', maxGap: '5s' });
    await model.subscribe('c1');
    expect(fake.calls.find((c) => c.name === 'subscribe')?.payload).toEqual({
      connectionId: 'c1',
      topic: 'orders',
      mode: 'bookmark',
      options: {
        bookmark: '20240115T093000Z',
        replayCompleted: true,
        options: 'timestamp,rate=2X,rate_max_gap=5s',
      },
    });
  });

  it('refuses to send a replay with a bad rate, naming it', async () => {
    const { fake, model } = setup();
    model.setTopic('orders');
    model.setMode('bookmark');
    model.setReplay({ rate: 'quick' });
    expect(model.state.replayProblems[0]?.field).toBe('rate');
    await model.subscribe('c1');
    expect(fake.calls.some((c) => c.name === 'subscribe')).toBe(false);
  });

  it('pauses and resumes the running replay on the server, and keeps the choice in the settings', async () => {
    const { fake, model } = setup();
    const sent: ReplayControl[] = [];
    fake.extra.controlReplay = (request) => {
      sent.push(request);
      return Promise.resolve();
    };
    model.setTopic('orders');
    model.setMode('bookmark');
    model.setReplay({ rate: '10' });
    await model.subscribe('c1');
    await model.controlReplay('pause');
    expect(model.state.replayPaused).toBe(true);
    await model.controlReplay('resume');
    expect(model.state.replayPaused).toBe(false);
    expect(sent).toEqual([
      { subscriptionId: 's1', action: 'pause' },
      { subscriptionId: 's1', action: 'resume' },
    ]);
    const restored = setup().model;
    restored.restore(model.settings());
    expect(restored.state.mode).toBe('bookmark');
    expect(restored.state.replay.rate).toBe('10');
  });

  it('shows at the filter the reason a server gives when it ends a subscription for its filter', async () => {
    const { fake, model } = setup();
    model.setTopic('orders');
    model.setFilter('/a = 1');
    await model.subscribe('c1');
    for (const l of fake.endedListeners)
      l({
        subscriptionId: 's1',
        reason: 'error',
        error: { name: 'BadFilterError', message: 'bad filter at position 3', code: 'bad filter', retriable: false },
        received: 0,
        delivered: 0,
        dropped: 0,
      });
    expect(model.state.filterProblem).toEqual({ message: 'bad filter at position 3', position: 3, length: 1, source: 'server' });
  });
});
