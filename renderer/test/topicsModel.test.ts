import { describe, expect, it } from 'vitest';
import type { TopicList } from '../../common/src/dto/topics.js';
import { TopicsModel, compactCount, filterTopics, refreshEveryMs, topicKinds } from '../src/topics/topicsModel.js';
import { FakeApi } from './fakes.js';

describe('TopicsModel', () => {
  it('lists the topics of the selected connection with their source', async () => {
    const fake = new FakeApi();
    fake.extra.listTopics = ({ connectionId }) =>
      Promise.resolve({
        source: 'sandbox',
        topics: [{ name: `orders@${connectionId}`, sow: { keyFields: ['/id'] }, messageCount: 4 }],
      });
    const model = new TopicsModel(fake.api);
    await model.load('c1');
    expect(model.state.source).toBe('sandbox');
    expect(model.state.topics.map((t) => t.name)).toEqual(['orders@c1']);
    await model.load(undefined);
    expect(model.state.topics).toEqual([]);
  });

  it("shows why the server's list could not be read, and a failed request", async () => {
    const fake = new FakeApi();
    fake.extra.listTopics = () => Promise.resolve({ source: 'seen', topics: [], error: 'admin URL refused: 401' });
    const model = new TopicsModel(fake.api);
    await model.load('c1');
    expect(model.state.error).toBe('admin URL refused: 401');
    fake.extra.listTopics = () => Promise.reject(new Error('connection closed'));
    await model.load('c1');
    expect(model.state.error).toBe('Could not list the topics: connection closed');
  });

  it('a newer request wins over an older one that answers later', async () => {
    const fake = new FakeApi();
    const answers: ((list: TopicList) => void)[] = [];
    fake.extra.listTopics = () => new Promise((resolve) => answers.push(resolve));
    const model = new TopicsModel(fake.api);
    const first = model.load('old');
    const second = model.load('new');
    answers[1]?.({ source: 'seen', topics: [{ name: 'new-topic' }] });
    answers[0]?.({ source: 'seen', topics: [{ name: 'old-topic' }] });
    await Promise.all([first, second]);
    expect(model.state.connectionId).toBe('new');
    expect(model.state.topics.map((t) => t.name)).toEqual(['new-topic']);
  });

  it('names the kinds of a topic and narrows the list by name', () => {
    expect(topicKinds({ name: 'o', sow: { keyFields: ['/id', '/region'] }, txlog: true })).toEqual(['SOW /id,/region', 'txlog']);
    expect(topicKinds({ name: 'q', queue: true, view: true })).toEqual(['queue', 'view']);
    const topics = [{ name: 'orders' }, { name: 'Market_data' }, { name: 'audit' }];
    expect(filterTopics(topics, 'MAR').map((t) => t.name)).toEqual(['Market_data']);
    expect(filterTopics(topics, ' ').map((t) => t.name)).toEqual(['audit', 'Market_data', 'orders']);
  });
});

describe('compactCount', () => {
  it('shortens counts for the side bar, never rounding up past the real figure', () => {
    expect(compactCount(0)).toBe('0');
    expect(compactCount(999)).toBe('999');
    expect(compactCount(1000)).toBe('1k');
    expect(compactCount(2070)).toBe('2k');
    expect(compactCount(2199)).toBe('2.1k');
    expect(compactCount(9999)).toBe('9.9k');
    expect(compactCount(12_345)).toBe('12k');
    expect(compactCount(999_999)).toBe('999k');
    expect(compactCount(3_456_789)).toBe('3.4M');
    expect(compactCount(1_250_000_000)).toBe('1.2B');
  });
});

describe('refreshEveryMs', () => {
  it('refreshes topics seen by the app more often than a server admin interface', () => {
    expect(refreshEveryMs('seen')).toBeLessThan(refreshEveryMs('admin'));
    expect(refreshEveryMs('sandbox')).toBe(refreshEveryMs('admin'));
    expect(refreshEveryMs(undefined)).toBe(refreshEveryMs('admin'));
  });
});
