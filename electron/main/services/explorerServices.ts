import type { AppInfo } from '../../../common/src/dto/app.js';
import type { SandboxInfo } from '../../../common/src/dto/sandbox.js';
import type { RequestHandlers } from '../ipc/registerHandlers.js';
import { unknownConnection } from './connections.js';
import type { InspectorService } from './inspector/inspectorService.js';
import type { ServerOverviews } from './inspector/serverOverview.js';
import type { ConnectionService } from './connections.js';
import { exportProfiles, importProfiles } from './profileTransfer.js';
import type { ProfileStore } from './profiles.js';
import { asOfDiffFor } from './sow/asOfDiff.js';
import { recordHistoryFor } from './sow/history.js';
import type { SowPaging } from './sow/paging.js';
import type { SowReattach } from './sow/sowReattach.js';
import type { SowService } from './sow/sowService.js';
import { PayloadViews } from './payloadViews.js';
import { DecodedPayloads } from './payloadDisplay.js';
import { publishMessage } from './publish.js';
import { publishJobHandlers } from './publish/publishHandlers.js';
import type { PublishJobServices } from './publish/publishHandlers.js';
import type { SubscriptionService } from './subscriptions.js';
import type { SubscriptionFiles } from './messageFiles/subscriptionFiles.js';
import type { TopicDiscovery } from './topicDiscovery.js';
import type { WorkspaceStore } from './workspaceStore.js';

/** The services behind the request handlers. */
export interface ExplorerServiceSet {
  appInfo: AppInfo;
  profiles: ProfileStore;
  connections: ConnectionService;
  subscriptions: SubscriptionService;
  subscriptionFiles: SubscriptionFiles;
  sow: SowService;
  sowPaging: SowPaging;
  sowReattach: SowReattach;
  workspace: WorkspaceStore;
  topics: TopicDiscovery;
  publishJobs: PublishJobServices;
  inspector: InspectorService;
  overviews: ServerOverviews;
  sandboxInfo(): SandboxInfo;
}

/** Maps every contract request onto a service call (payloads arrive validated). */
export function createRequestHandlers(s: ExplorerServiceSet): RequestHandlers {
  const payloadViews = new PayloadViews({
    messagePayload: (subscriptionId, ownerId, index) => s.subscriptions.messagePayload(subscriptionId, ownerId, index),
    isRunning: (subscriptionId, ownerId) => s.subscriptions.list(ownerId).some((i) => i.subscriptionId === subscriptionId),
  });
  const decodedPayloads = new DecodedPayloads({
    messageType: (subscriptionId, ownerId) => s.subscriptions.messageType(subscriptionId, ownerId),
    payload: (subscriptionId, ownerId, index) => s.subscriptionFiles.heldPayload(subscriptionId, index, ownerId),
  });
  return {
    getAppInfo: () => structuredClone(s.appInfo),
    listProfiles: () => s.profiles.state(),
    saveProfile: (request) => s.profiles.save(request),
    deleteProfile: ({ id }) => s.profiles.delete(id),
    duplicateProfile: ({ id }) => s.profiles.duplicate(id),
    reorderProfiles: ({ ids }) => s.profiles.reorder(ids),
    exportProfiles: ({ includePasswords }) => exportProfiles(s.profiles, includePasswords),
    importProfiles: ({ json }) => importProfiles(s.profiles, json),
    confirmProfilesMigration: () => s.profiles.confirmMigration(),
    loadWorkspace: () => s.workspace.load(),
    saveWorkspace: ({ state }) => s.workspace.save(state),
    listTopics: async ({ connectionId }, { clientId }) => {
      const info = s.connections.list(clientId).find((c) => c.connectionId === connectionId);
      if (info === undefined) throw unknownConnection(connectionId);
      return s.topics.list(info);
    },
    openConnection: (request, { clientId }) => s.connections.open(request, clientId),
    closeConnection: ({ connectionId }, { clientId }) => s.connections.close(connectionId, clientId),
    reconnectConnection: ({ connectionId }, { clientId }) => s.connections.reconnect(connectionId, clientId),
    listConnections: (_none, { clientId }) => s.connections.list(clientId),
    getHaStatus: ({ connectionId }, { clientId }) => {
      const client = s.connections.client(connectionId, clientId);
      const bookmarks = s.subscriptions.bookmarkSubscriptions(connectionId).map((b) => ({
        ...b,
        mostRecent: client.mostRecentBookmark(b.subId) ?? '',
      }));
      return s.connections.haStatus(connectionId, clientId, bookmarks);
    },
    simulateFailover: ({ connectionId }, { clientId }) => s.connections.simulateFailover(connectionId, clientId),
    subscribe: (spec, { clientId }) => s.subscriptions.subscribe(spec, clientId),
    unsubscribe: ({ subscriptionId }, { clientId }) => s.subscriptions.unsubscribe(subscriptionId, clientId),
    pauseSubscription: ({ subscriptionId }, { clientId }) =>
      s.subscriptions.setPaused(subscriptionId, clientId, true),
    resumeSubscription: ({ subscriptionId }, { clientId }) =>
      s.subscriptions.setPaused(subscriptionId, clientId, false),
    getMessagePayload: ({ subscriptionId, index }, { clientId }) =>
      s.subscriptions.messagePayload(subscriptionId, clientId, index),
    getPayloadRows: (request, { clientId }) => payloadViews.rows(request, clientId),
    getPayloadText: (request, { clientId }) => payloadViews.text(request, clientId),
    getDecodedPayload: (request, { clientId }) => decodedPayloads.decoded(request, clientId),
    controlReplay: ({ subscriptionId, action }, { clientId }) =>
      s.subscriptions.controlReplay(subscriptionId, clientId, action),
    listSubscriptions: (_none, { clientId }) => s.subscriptions.list(clientId),
    attachSubscription: ({ subscriptionId }, { clientId }) => s.subscriptions.attach(subscriptionId, clientId),
    exportMessages: (request, { clientId }) => s.subscriptionFiles.export(request, clientId),
    startRecording: (request, { clientId }) => s.subscriptionFiles.startRecording(request, clientId),
    stopRecording: ({ subscriptionId }, { clientId }) => s.subscriptionFiles.stopRecording(subscriptionId, clientId),
    revealMessageFile: ({ subscriptionId, file }, { clientId }) => s.subscriptionFiles.reveal(subscriptionId, file, clientId),
    publish: (request, { clientId }) => publishMessage(s.connections, request, clientId),
    ...publishJobHandlers(s.publishJobs),
    sowQuery: (spec, { clientId }) => s.sow.query(spec, clientId),
    sowReplaceFilter: ({ queryId, filter }, { clientId }) => s.sow.replaceFilter(queryId, filter, clientId),
    sowCancel: ({ queryId }, { clientId }) => s.sow.cancel(queryId, clientId),
    listSowViews: (_none, { clientId }) => s.sowReattach.list(clientId),
    attachSowView: ({ queryId }, { clientId }) => s.sowReattach.attach(queryId, clientId),
    sowRecord: ({ queryId, key }, { clientId }) => s.sow.record(queryId, key, clientId),
    sowCount: (request, { clientId }) => s.sow.count(request, clientId),
    sowDelete: (request, { clientId }) => s.sow.delete(request, clientId),
    sowExport: (request, { clientId }) => s.sow.export(request, clientId),
    sowPageOpen: (request, { clientId }) => s.sowPaging.open(request, clientId),
    sowPage: (request, { clientId }) => s.sowPaging.move(request, clientId),
    sowPageClose: (request, { clientId }) => s.sowPaging.close(request, clientId),
    sowRecordHistory: (request, { clientId }) => recordHistoryFor(s.connections, request, clientId),
    sowAsOfDiff: (request, { clientId }) => asOfDiffFor(s.connections, request, clientId),
    getWireLog: ({ connectionId, afterSeq }, { clientId }) =>
      s.inspector.wireLog(connectionId, clientId, afterSeq),
    setWireSampling: ({ connectionId, sampleEvery }, { clientId }) =>
      s.inspector.setSampling(connectionId, clientId, sampleEvery),
    exportWireLog: ({ connectionId }, { clientId }) => s.inspector.export(connectionId, clientId),
    getPerformance: (_none, { clientId }) => s.inspector.performance(clientId),
    getServerOverview: ({ connectionId }, { clientId }) => {
      const info = s.connections.list(clientId).find((c) => c.connectionId === connectionId);
      if (info === undefined) throw unknownConnection(connectionId);
      return s.overviews.read(info);
    },
    getSandboxInfo: () => s.sandboxInfo(),
  };
}
