/**
 * SOW views and publish jobs across a page reload, the way `reattach.ts` does subscriptions:
 * a tab that keeps one running in main claims it in its settings (`sowQueryId`,
 * `publishJobId`), and re-attaches to it when it mounts again. At start the workspace ends
 * every view and job main still holds that no restored tab claims, so nothing runs unseen.
 */
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import type { JsonObject, TabState } from './workspaceState.js';

/** The settings key holding a SOW tab's view in main. */
export const SOW_VIEW_SETTING = 'sowQueryId';
/** The settings key telling a SOW tab's view was server-paged (its window is opened again). */
export const SOW_PAGED_SETTING = 'sowPaged';
/** The settings key holding a publish tab's running repeat or bulk job. */
export const PUBLISH_JOB_SETTING = 'publishJobId';

const text = (settings: JsonObject, key: string): string | undefined => {
  const value = settings[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** The SOW view a tab's settings claim, if any. */
export const claimedSowView = (settings: JsonObject): string | undefined => text(settings, SOW_VIEW_SETTING);
/** The publish job a tab's settings claim, if any. */
export const claimedPublishJob = (settings: JsonObject): string | undefined =>
  text(settings, PUBLISH_JOB_SETTING);
/** True when the tab's view was paged and live: it opens its window again. */
export const wasPagedLive = (settings: JsonObject): boolean => settings[SOW_PAGED_SETTING] === true;

/** What a SOW tab saves of its running view (null clears a claim). */
export function sowClaim(queryId: string | undefined, pagedLive: boolean): JsonObject {
  return { [SOW_VIEW_SETTING]: queryId ?? null, [SOW_PAGED_SETTING]: pagedLive };
}

/** What a publish tab saves of its running job. */
export function publishJobClaim(jobId: string | undefined): JsonObject {
  return { [PUBLISH_JOB_SETTING]: jobId ?? null };
}

/**
 * Cancels the SOW views and stops the publish jobs main holds that no tab claims. Returns
 * problems for the user (one that could not be ended).
 */
export async function sweepViewsAndJobs(api: ExplorerApi, tabs: readonly TabState[]): Promise<string[]> {
  const problems: string[] = [];
  // A host without these members (an older main, a test's fake) has nothing to sweep.
  const partial = api as Partial<ExplorerApi>;
  if (typeof partial.listSowViews !== 'function' || typeof partial.listPublishJobs !== 'function') return [];
  const views = new Set(tabs.map((t) => claimedSowView(t.settings)).filter((id) => id !== undefined));
  const jobs = new Set(tabs.map((t) => claimedPublishJob(t.settings)).filter((id) => id !== undefined));
  await Promise.all([
    sweep(
      () => api.listSowViews(),
      (v) => v.queryId,
      views,
      (queryId) => api.sowCancel({ queryId }),
      'SOW view',
      problems,
    ),
    sweep(
      () => api.listPublishJobs(),
      (j) => j.jobId,
      jobs,
      (jobId) => api.publishStop({ jobId }),
      'publish job',
      problems,
    ),
  ]);
  return problems;
}

async function sweep<T>(
  list: () => Promise<T[]>,
  idOf: (item: T) => string,
  claimed: ReadonlySet<string>,
  end: (id: string) => Promise<void>,
  what: string,
  problems: string[],
): Promise<void> {
  let ids: string[];
  try {
    ids = (await list()).map(idOf);
  } catch (error) {
    problems.push(`Could not list the ${what}s running in the app: ${messageText(error)}`);
    return;
  }
  await Promise.all(
    ids
      .filter((id) => !claimed.has(id))
      .map(async (id) => {
        try {
          await end(id);
        } catch (error) {
          problems.push(`Could not end ${what} ${id}, which no view shows: ${messageText(error)}`);
        }
      }),
  );
}

const messageText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
