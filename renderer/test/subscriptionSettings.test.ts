import { describe, expect, it } from 'vitest';
import { MessageFeed } from '../src/subscriptions/messageFeed.js';
import { SubscriptionModel } from '../src/subscriptions/subscriptionModel.js';
import { FakeApi, ManualScheduler, batch, settle } from './fakes.js';

function setup(): { fake: FakeApi; model: SubscriptionModel; frames: ManualScheduler } {
  const fake = new FakeApi();
  const frames = new ManualScheduler();
  const feed = new MessageFeed({ scheduler: frames, clock: () => 0, capacity: 100 });
  return { fake, model: new SubscriptionModel(fake.api, feed), frames };
}

describe('a subscription view across reloads and restarts', () => {
  it('its form round-trips through the tab settings, with the running subscription', async () => {
    const { model } = setup();
    model.setTopic('orders');
    model.setFilter('/qty > 5');
    model.setMode('sow_and_subscribe');
    model.setBatchSize('50');
    model.setOof(true);
    await model.subscribe('c1');
    const saved = model.settings();
    expect(saved).toMatchObject({
      topic: 'orders',
      filter: '/qty > 5',
      mode: 'sow_and_subscribe',
      oof: true,
      timestamp: false,
      batchSize: '50',
      subscriptionId: 's1',
    });
    const { model: restored } = setup();
    restored.restore(JSON.parse(JSON.stringify(saved)) as Record<string, unknown>);
    expect(restored.settings()).toEqual({ ...saved, subscriptionId: null });
  });

  it('ignores saved fields of the wrong type or an unknown mode', () => {
    const { model } = setup();
    model.restore({ topic: 7, filter: '/a = 1', mode: 'bogus', oof: 'yes' });
    expect(model.settings()).toMatchObject({ topic: '', filter: '/a = 1', mode: 'subscribe', oof: false });
  });

  it('adopts a subscription still running in main: its batches show again, counting on', () => {
    const { fake, model, frames } = setup();
    model.adopt('s9', { received: 40, delivered: 40, dropped: 0 });
    fake.emitBatch(batch('other', 1, 3));
    fake.emitBatch(batch('s9', 41, 42));
    frames.runFrame();
    expect(model.state.subscriptionId).toBe('s9');
    expect(model.feed.state.count).toBe(2);
    expect(model.feed.state.stats.received).toBe(42);
  });

  it('says when the subscription is gone and can start it again', async () => {
    const { fake, model } = setup();
    model.setTopic('orders');
    model.gone('no subscription s3');
    expect(model.state.ended).toBe(
      'The subscription this view ran is no longer running (no subscription s3). Subscribe to start it again.',
    );
    await model.subscribe('c2');
    expect(fake.named('subscribe')).toEqual([{ connectionId: 'c2', topic: 'orders', mode: 'subscribe' }]);
    await settle();
  });
});
