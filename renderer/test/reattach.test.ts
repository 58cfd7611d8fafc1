import { describe, expect, it } from 'vitest';
import type { ExplorerApi } from '../../common/src/ipc/contract.js';
import { attachTo, subscriptionIdsOf, sweepSubscriptions } from '../src/views/reattach.js';
import type { TabState } from '../src/views/workspaceState.js';

const tab = (id: string, subscriptionId?: string): TabState => ({
  id,
  kind: 'subscription',
  settings: subscriptionId === undefined ? {} : { subscriptionId },
});

describe('re-attaching after a reload', () => {
  it('ends every subscription no tab claims, and only those', async () => {
    const ended: string[] = [];
    const api = {
      listSubscriptions: () => Promise.resolve([{ subscriptionId: 's1' }, { subscriptionId: 's2' }, { subscriptionId: 's3' }]),
      unsubscribe: ({ subscriptionId }: { subscriptionId: string }) => {
        ended.push(subscriptionId);
        return subscriptionId === 's3' ? Promise.reject(new Error('already gone')) : Promise.resolve();
      },
    } as unknown as ExplorerApi;
    const problems = await sweepSubscriptions(api, [tab('a', 's1'), tab('b'), tab('c', 'gone')]);
    expect(ended.sort()).toEqual(['s2', 's3']);
    expect(problems).toEqual(['Could not end subscription s3, which no view shows: already gone']);
  });

  it('does nothing where main cannot list subscriptions; says so when listing fails', async () => {
    expect(await sweepSubscriptions({} as ExplorerApi, [])).toEqual([]);
    const failing = { listSubscriptions: () => Promise.reject(new Error('host lost')) } as unknown as ExplorerApi;
    expect(await sweepSubscriptions(failing, [])).toEqual(['Could not list the subscriptions running in the app: host lost']);
  });

  it('reads ids from a list or a { subscriptions } object', () => {
    expect(subscriptionIdsOf([{ subscriptionId: 'a' }, { x: 1 }])).toEqual(['a']);
    expect(subscriptionIdsOf({ subscriptions: [{ subscriptionId: 'b' }] })).toEqual(['b']);
    expect(subscriptionIdsOf(null)).toEqual([]);
  });

  it('attaches, or reports the subscription gone with the reason', async () => {
    const api = {
      attachSubscription: ({ subscriptionId }: { subscriptionId: string }) =>
        subscriptionId === 'live' ? Promise.resolve({ subscriptionId, received: 3 }) : Promise.reject(new Error('no subscription gone')),
    } as unknown as ExplorerApi;
    expect(await attachTo(api, 'live')).toEqual({ kind: 'attached', info: { subscriptionId: 'live', received: 3 } });
    expect(await attachTo(api, 'old')).toEqual({ kind: 'gone', reason: 'no subscription gone' });
    expect(await attachTo({} as ExplorerApi, 'x')).toEqual({ kind: 'unsupported' });
  });
});
