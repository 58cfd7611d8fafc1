import type { AppInfo } from '../../../common/src/dto/app.js';
import type { SandboxInfo } from '../../../common/src/dto/sandbox.js';
import type { RequestHandlers } from '../ipc/registerHandlers.js';
import type { ConnectionService } from './connections.js';
import type { ProfileStore } from './profiles.js';
import type { SubscriptionService } from './subscriptions.js';

/** The services behind the request handlers. */
export interface ExplorerServiceSet {
  appInfo: AppInfo;
  profiles: ProfileStore;
  connections: ConnectionService;
  subscriptions: SubscriptionService;
  sandboxInfo(): SandboxInfo;
}

/** Maps every contract request onto a service call (payloads arrive validated). */
export function createRequestHandlers(s: ExplorerServiceSet): RequestHandlers {
  return {
    getAppInfo: () => structuredClone(s.appInfo),
    listProfiles: () => s.profiles.state(),
    saveProfile: (request) => s.profiles.save(request),
    deleteProfile: ({ id }) => s.profiles.delete(id),
    openConnection: (request) => s.connections.open(request),
    closeConnection: ({ connectionId }) => s.connections.close(connectionId),
    listConnections: () => s.connections.list(),
    subscribe: (spec, { clientId }) => s.subscriptions.subscribe(spec, clientId),
    unsubscribe: ({ subscriptionId }, { clientId }) => s.subscriptions.unsubscribe(subscriptionId, clientId),
    pauseSubscription: ({ subscriptionId }, { clientId }) =>
      s.subscriptions.setPaused(subscriptionId, clientId, true),
    resumeSubscription: ({ subscriptionId }, { clientId }) =>
      s.subscriptions.setPaused(subscriptionId, clientId, false),
    publish: async ({ connectionId, topic, data, options }) => {
      await s.connections.client(connectionId).publish(topic, data, options);
    },
    getSandboxInfo: () => s.sandboxInfo(),
  };
}
