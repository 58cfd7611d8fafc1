import { describe, expect, it } from 'vitest';
import { ExplorerError } from '../../common/src/ipc/errors.js';
import { MessageFeed } from '../src/subscriptions/messageFeed.js';
import { SubscriptionModel, checkFilterText, checkTopic } from '../src/subscriptions/subscriptionModel.js';
import { FakeApi, ManualScheduler, batch } from './fakes.js';

function setup(): { fake: FakeApi; model: SubscriptionModel; frames: ManualScheduler } {
  const fake = new FakeApi();
  const frames = new ManualScheduler();
  const feed = new MessageFeed({ scheduler: frames, clock: () => 0, capacity: 100 });
  return { fake, model: new SubscriptionModel(fake.api, feed), frames };
}

describe('checkTopic / checkFilterText', () => {
  it('accepts names and valid regular expressions, refuses broken ones with a position', () => {
    expect(checkTopic('orders')).toBeUndefined();
    expect(checkTopic('^market_data.*')).toBeUndefined();
    expect(checkTopic('')?.message).toMatch(/topic is required/);
    const bad = checkTopic('orders(');
    expect(bad?.message).toMatch(/bad regex topic/);
    expect(bad?.position).toBeTypeOf('number');
  });

  it('validates filters with the client parser and points at the problem', () => {
    expect(checkFilterText('')).toBeUndefined();
    expect(checkFilterText("/symbol = 'IBM' AND /price > 100")).toBeUndefined();
    const bad = checkFilterText('/price > ');
    expect(bad?.source).toBe('client');
    expect(bad?.message).toMatch(/at position \d+/);
    expect(bad?.position).toBeGreaterThanOrEqual(7);
  });
});

describe('SubscriptionModel', () => {
  it('validates fields while typing', () => {
    const { model } = setup();
    model.setFilter('/a = ');
    expect(model.state.filterProblem?.source).toBe('client');
    model.setFilter('/a = 1');
    expect(model.state.filterProblem).toBeUndefined();
    model.setTopic('(');
    expect(model.state.topicProblem?.message).toMatch(/bad regex topic/);
    model.setBatchSize('ten');
    expect(model.state.batchSizeProblem).toMatch(/whole number/);
  });

  it('builds the spec with filter, mode and options', () => {
    const { model } = setup();
    model.setTopic('orders');
    model.setFilter('/qty > 10');
    model.setMode('sow_and_subscribe');
    model.setOof(true);
    model.setTimestamp(true);
    model.setBatchSize('50');
    expect(model.buildSpec('c1')).toEqual({
      connectionId: 'c1',
      topic: 'orders',
      filter: '/qty > 10',
      mode: 'sow_and_subscribe',
      options: { options: 'oof,timestamp', batchSize: 50 },
    });
    model.setFilter('');
    model.setOof(false);
    model.setTimestamp(false);
    model.setMode('subscribe');
    expect(model.buildSpec('c1')).toEqual({ connectionId: 'c1', topic: 'orders', mode: 'subscribe' });
  });

  it('does not send an invalid form', async () => {
    const { fake, model } = setup();
    model.setTopic('orders');
    model.setFilter('/x = = 1');
    await model.subscribe('c1');
    expect(fake.named('subscribe')).toEqual([]);
    expect(model.state.filterProblem?.source).toBe('client');
  });

  it('routes only its own batches to the feed', async () => {
    const { fake, model, frames } = setup();
    model.setTopic('orders');
    await model.subscribe('c1');
    expect(model.state.subscriptionId).toBe('s1');
    fake.emitBatch(batch('s1', 1, 3));
    fake.emitBatch(batch('other', 1, 9));
    frames.runFrame();
    expect(model.feed.state.count).toBe(3);
  });

  it('keeps batches that arrive before the subscribe reply', async () => {
    const { fake, model, frames } = setup();
    let answer: (() => void) | undefined;
    fake.subscribe = () => new Promise((resolve) => (answer = () => resolve({ subscriptionId: 's7' })));
    model.setTopic('orders');
    const done = model.subscribe('c1');
    await Promise.resolve();
    fake.emitBatch(batch('s7', 1, 2));
    fake.emitBatch(batch('zz', 1, 2));
    answer?.();
    await done;
    frames.runFrame();
    expect(model.feed.state.count).toBe(2);
  });

  it("shows the server's bad filter error next to the filter", async () => {
    const { fake, model } = setup();
    fake.subscribe = () =>
      Promise.reject(
        new ExplorerError({
          name: 'BadFilterError',
          message: 'bad filter: unknown field at position 3',
          code: 'bad filter',
        }),
      );
    model.setTopic('orders');
    model.setFilter('/a = 1');
    await model.subscribe('c1');
    expect(model.state.filterProblem).toEqual({
      message: 'bad filter: unknown field at position 3',
      position: 3,
      length: 1,
      source: 'server',
    });
    expect(model.state.error).toBeUndefined();
    expect(model.state.subscriptionId).toBeUndefined();
  });

  it('shows a server topic error next to the topic and other errors in the form', async () => {
    const { fake, model } = setup();
    fake.subscribe = () =>
      Promise.reject(
        new ExplorerError({
          name: 'BadRegexTopicError',
          message: 'bad regex topic',
          code: 'bad regex topic',
        }),
      );
    model.setTopic('orders');
    await model.subscribe('c1');
    expect(model.state.topicProblem?.source).toBe('server');
    fake.subscribe = () =>
      Promise.reject(
        new ExplorerError({
          name: 'NotEntitledError',
          message: 'not entitled to orders',
          code: 'not entitled',
        }),
      );
    await model.subscribe('c1');
    expect(model.state.error).toBe('Subscribe failed: not entitled to orders');
  });

  it('replaces a live subscription and unsubscribes', async () => {
    const { fake, model } = setup();
    model.setTopic('orders');
    await model.subscribe('c1');
    fake.subscribe = () => Promise.resolve({ subscriptionId: 's2' });
    await model.subscribe('c1');
    expect(fake.named('unsubscribe')).toEqual([{ subscriptionId: 's1' }]);
    expect(model.state.subscriptionId).toBe('s2');
    await model.unsubscribe();
    expect(fake.named('unsubscribe')).toEqual([{ subscriptionId: 's1' }, { subscriptionId: 's2' }]);
    expect(model.state.subscriptionId).toBeUndefined();
  });

  it('reports how the subscription ended with the final counts', async () => {
    const { fake, model } = setup();
    model.setTopic('orders');
    await model.subscribe('c1');
    fake.emitEnded({
      subscriptionId: 's1',
      reason: 'connection-closed',
      received: 10,
      delivered: 8,
      dropped: 2,
    });
    expect(model.state.subscriptionId).toBeUndefined();
    expect(model.state.ended).toBe('The connection closed.');
    expect(model.feed.state.stats).toMatchObject({ received: 10, delivered: 8, dropped: 2 });
  });

  it('stops listening on dispose', () => {
    const { fake, model } = setup();
    model.dispose();
    expect(fake.batchListeners.size + fake.endedListeners.size).toBe(0);
  });
});
