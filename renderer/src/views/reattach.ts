/**
 * Re-attaching views to what still runs in main after a page reload, and ending what no view
 * claims, so no subscription is left running unseen.
 *
 * The convention: a view that keeps a subscription running in main stores its id in its
 * settings as `subscriptionId` (a string) while it runs, and removes it (sets it to null) when
 * it ends. At start the workspace lists main's subscriptions and unsubscribes every one no
 * restored tab claims; each view then re-attaches to its own ({@link attachTo}).
 */
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import type { TabState } from './workspaceState.js';

/** The subscription members main offers (optional until the contract has them). */
interface SubscriptionMembers {
  listSubscriptions(): Promise<unknown>;
  attachSubscription(request: { subscriptionId: string }): Promise<unknown>;
}

const members = (api: ExplorerApi): Partial<SubscriptionMembers> => api as unknown as Partial<SubscriptionMembers>;

/** The settings key holding a view's running subscription. */
export const SUBSCRIPTION_SETTING = 'subscriptionId';

/** The subscription a tab claims, if any. */
export function claimedSubscription(tab: TabState): string | undefined {
  const id = tab.settings[SUBSCRIPTION_SETTING];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The ids in a `listSubscriptions` answer (an array of `{ subscriptionId }`, or `{ subscriptions }`). */
export function subscriptionIdsOf(answer: unknown): string[] {
  const list: unknown = Array.isArray(answer)
    ? answer
    : typeof answer === 'object' && answer !== null
      ? (answer as { subscriptions?: unknown }).subscriptions
      : undefined;
  if (!Array.isArray(list)) return [];
  return list
    .map((s: unknown) =>
      typeof s === 'object' && s !== null ? (s as { subscriptionId?: unknown }).subscriptionId : undefined,
    )
    .filter((id): id is string => typeof id === 'string');
}

/**
 * Lists main's subscriptions and unsubscribes those no tab claims. Returns problems for the
 * user (an orphan that could not be ended); nothing when main cannot list subscriptions.
 */
export async function sweepSubscriptions(api: ExplorerApi, tabs: readonly TabState[]): Promise<string[]> {
  const list = members(api).listSubscriptions;
  if (list === undefined) return [];
  let ids: string[];
  try {
    ids = subscriptionIdsOf(await list.call(api));
  } catch (error) {
    return [`Could not list the subscriptions running in the app: ${messageText(error)}`];
  }
  const claimed = new Set(tabs.map(claimedSubscription).filter((id): id is string => id !== undefined));
  const problems: string[] = [];
  await Promise.all(
    ids
      .filter((id) => !claimed.has(id))
      .map(async (subscriptionId) => {
        try {
          await api.unsubscribe({ subscriptionId });
        } catch (error) {
          problems.push(`Could not end subscription ${subscriptionId}, which no view shows: ${messageText(error)}`);
        }
      }),
  );
  return problems;
}

/** How re-attaching went. */
export type AttachOutcome =
  | { kind: 'attached'; info: unknown }
  | { kind: 'gone'; reason: string }
  | { kind: 'unsupported' };

/** Re-attaches this page to a subscription still running in main. */
export async function attachTo(api: ExplorerApi, subscriptionId: string): Promise<AttachOutcome> {
  const attach = members(api).attachSubscription;
  if (attach === undefined) return { kind: 'unsupported' };
  try {
    return { kind: 'attached', info: await attach.call(api, { subscriptionId }) };
  } catch (error) {
    return { kind: 'gone', reason: messageText(error) };
  }
}

const messageText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
