/**
 * After a page reload: the workspace ends the SOW views and publish jobs no tab claims; a
 * publish tab follows its running job again (or says it is gone); a chart plots its
 * subscription again from what main kept of it, then live messages.
 */
import { describe, expect, it } from 'vitest';
import type { PublishJobInfo, PublishProgress } from '../../common/src/dto/publish.js';
import type { SowViewInfo } from '../../common/src/dto/sow.js';
import type { SubscriptionBatch } from '../../common/src/dto/subscriptions.js';
import type { ExplorerApi } from '../../common/src/ipc/contract.js';
import { ChartModel } from '../src/charts/chartModel.js';
import { ConfirmGate } from '../src/publish/confirmGate.js';
import { PublishJobsModel } from '../src/publish/publishJobsModel.js';
import { PublishModel } from '../src/publish/publishModel.js';
import {
  claimedPublishJob,
  claimedSowView,
  publishJobClaim,
  sowClaim,
  sweepViewsAndJobs,
  wasPagedLive,
} from '../src/views/sweepViews.js';
import type { TabState } from '../src/views/workspaceState.js';

const progress = (jobId: string, sent: number, done = false): PublishProgress => ({
  jobId,
  connectionId: 'c1',
  sent,
  failed: 0,
  total: 1000,
  elapsedMs: 1000,
  ratePerSec: sent,
  errors: [],
  done,
});

describe('sweeping SOW views and publish jobs no tab claims', () => {
  it('cancels the unclaimed views and stops the unclaimed jobs, and reports what could not be ended', async () => {
    const cancelled: string[] = [];
    const stopped: string[] = [];
    const api = {
      listSowViews: () => Promise.resolve([{ queryId: 'sow-1' }, { queryId: 'sow-2' }] as SowViewInfo[]),
      listPublishJobs: () =>
        Promise.resolve([{ jobId: 'pub-1' }, { jobId: 'pub-2' }, { jobId: 'pub-3' }] as PublishJobInfo[]),
      sowCancel: ({ queryId }: { queryId: string }) => {
        cancelled.push(queryId);
        return Promise.resolve();
      },
      publishStop: ({ jobId }: { jobId: string }) => {
        stopped.push(jobId);
        return jobId === 'pub-3' ? Promise.reject(new Error('already over')) : Promise.resolve();
      },
    } as unknown as ExplorerApi;
    const tabs: TabState[] = [
      { id: 'a', kind: 'sow', settings: sowClaim('sow-2', false) },
      { id: 'b', kind: 'publish', settings: publishJobClaim('pub-1') },
      { id: 'c', kind: 'sow', settings: sowClaim(undefined, true) },
    ];
    const problems = await sweepViewsAndJobs(api, tabs);
    expect(cancelled).toEqual(['sow-1']);
    expect(stopped.sort()).toEqual(['pub-2', 'pub-3']);
    expect(problems).toEqual(['Could not end publish job pub-3, which no view shows: already over']);
  });

  it('says when main cannot list them, and does nothing against a host without the members', async () => {
    const failing = {
      listSowViews: () => Promise.reject(new Error('host lost')),
      listPublishJobs: () => Promise.resolve([]),
    } as unknown as ExplorerApi;
    expect(await sweepViewsAndJobs(failing, [])).toEqual([
      'Could not list the SOW views running in the app: host lost',
    ]);
    expect(await sweepViewsAndJobs({} as ExplorerApi, [])).toEqual([]);
  });

  it('reads the claims back from the settings they were saved in', () => {
    expect(claimedSowView(sowClaim('sow-9', false))).toBe('sow-9');
    expect(claimedSowView(sowClaim(undefined, false))).toBeUndefined();
    expect(wasPagedLive(sowClaim(undefined, true))).toBe(true);
    expect(claimedPublishJob(publishJobClaim('pub-4'))).toBe('pub-4');
    expect(claimedPublishJob({ publishJobId: 7 })).toBeUndefined();
  });
});

describe('a publish tab follows its job again after a reload', () => {
  async function jobsModel(attach: (jobId: string) => Promise<PublishJobInfo>) {
    let emit: ((p: PublishProgress) => void) | undefined;
    const api = {
      attachPublishJob: ({ jobId }: { jobId: string }) => attach(jobId),
      onPublishProgress: (cb: (p: PublishProgress) => void) => {
        emit = cb;
        return () => (emit = undefined);
      },
      publishStop: () => Promise.resolve(),
      loadPublishLibrary: () => Promise.resolve({ templates: [], recent: [] }),
      listConnections: () => Promise.resolve([]),
      listProfiles: () => Promise.resolve({ profiles: [], problems: [], secretsPersistent: false }),
    } as unknown as ExplorerApi;
    const gate = new ConfirmGate();
    const model = new PublishModel(api, gate);
    const jobs = new PublishJobsModel(api, model, gate);
    return { jobs, emit: (p: PublishProgress) => emit?.(p) };
  }

  it('adopts the running job with its progress, and follows its next progress events', async () => {
    const { jobs, emit } = await jobsModel((jobId) =>
      Promise.resolve({
        jobId,
        kind: 'repeat',
        topic: 'orders',
        attached: true,
        progress: progress(jobId, 400),
      }),
    );
    await jobs.adopt('pub-7');
    expect(jobs.state).toMatchObject({
      running: 'repeat',
      jobId: 'pub-7',
      progress: { sent: 400, done: false },
    });
    emit(progress('pub-7', 600));
    expect(jobs.state.progress?.sent).toBe(600);
    emit(progress('pub-7', 1000, true));
    expect(jobs.state).toMatchObject({
      running: undefined,
      jobId: undefined,
      progress: { sent: 1000, done: true },
    });
  });

  it('shows how a job ended while the page was away', async () => {
    const { jobs } = await jobsModel((jobId) =>
      Promise.resolve({
        jobId,
        kind: 'bulk',
        topic: 'orders',
        attached: true,
        progress: progress(jobId, 1000, true),
      }),
    );
    await jobs.adopt('pub-9');
    expect(jobs.state).toMatchObject({
      running: undefined,
      jobId: undefined,
      progress: { sent: 1000, done: true },
    });
  });

  it('says the job is no longer running when main does not hold it', async () => {
    const { jobs } = await jobsModel((jobId) =>
      Promise.reject(new Error(`no publish job ${jobId} of yours is running`)),
    );
    await jobs.adopt('pub-8');
    expect(jobs.state).toMatchObject({ running: undefined, jobId: undefined });
    expect(jobs.state.problem).toBe(
      'The publish job this tab followed is no longer running: no publish job pub-8 of yours is running',
    );
  });
});

describe('a chart re-attaches to its subscription after a reload', () => {
  const spec = { connectionId: 'c1', topic: 'ticks', mode: 'subscribe' as const, fieldPath: '/price' };

  function chartApi(attach: (id: string) => Promise<unknown>) {
    let emit: ((b: SubscriptionBatch) => void) | undefined;
    const api = {
      attachSubscription: ({ subscriptionId }: { subscriptionId: string }) => attach(subscriptionId),
      onSubscriptionBatch: (cb: (b: SubscriptionBatch) => void) => {
        emit = cb;
        return () => (emit = undefined);
      },
      onSubscriptionEnded: () => () => undefined,
      unsubscribe: () => Promise.resolve(),
    } as unknown as ExplorerApi;
    return { api, emit: (b: SubscriptionBatch) => emit?.(b) };
  }

  const batch = (prices: number[]): SubscriptionBatch =>
    ({
      subscriptionId: 'sub-3',
      messages: prices.map((price, i) => ({
        index: i + 1,
        command: 'p',
        topic: 'ticks',
        data: JSON.stringify({ price }),
        size: 12,
        truncated: false,
        receivedAt: 1000 + i,
      })),
      received: prices.length,
      delivered: prices.length,
      dropped: 0,
    }) as unknown as SubscriptionBatch;

  it('plots what main kept of the subscription and what follows', async () => {
    const { api, emit } = chartApi((id) => Promise.resolve({ subscriptionId: id, attached: true }));
    const chart = new ChartModel(api);
    await expect(chart.adopt(spec, 'sub-3')).resolves.toBe(true);
    expect(chart.state).toMatchObject({ running: true, starting: false, subscriptionId: 'sub-3' });
    emit(batch([10, 11, 12]));
    expect(chart.state.points).toBe(3);
    chart.dispose();
  });

  it('shows why when the subscription is gone, and stops claiming it', async () => {
    const { api } = chartApi((id) => Promise.reject(new Error(`subscription ${id} does not exist`)));
    const chart = new ChartModel(api);
    await expect(chart.adopt(spec, 'sub-3')).resolves.toBe(false);
    expect(chart.state).toMatchObject({ running: false, subscriptionId: undefined });
    expect(chart.state.error).toMatch(/no longer running \(subscription sub-3 does not exist\): plot again/);
    chart.dispose();
  });
});
