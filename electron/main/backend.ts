import { join } from 'node:path';
import type { AppMode } from '../../common/src/dto/app.js';
import type { SandboxInfo } from '../../common/src/dto/sandbox.js';
import { EventHub } from './ipc/eventHub.js';
import { createOriginCheck, createRequestWrapper } from './ipc/registerHandlers.js';
import type { RequestWrapper } from './ipc/registerHandlers.js';
import type { Logger } from './platform/logger.js';
import type { SecretCipher } from './platform/secretCipher.js';
import type { AmpsConnectionFactory } from './services/ampsAdapter.js';
import { ConnectionService } from './services/connections.js';
import { createRequestHandlers } from './services/explorerServices.js';
import { InspectorService } from './services/inspector/inspectorService.js';
import { ServerOverviews } from './services/inspector/serverOverview.js';
import { OwnerLifecycle } from './services/owners.js';
import { PublishJobs } from './services/publish/publishJobs.js';
import { PublishLibraryStore } from './services/publish/publishLibraryStore.js';
import { PublishUploads } from './services/publish/publishUploads.js';
import { ProfileStore } from './services/profiles.js';
import type { SandboxProcess } from './services/sandboxProcess.js';
import { SowReattach } from './services/sow/sowReattach.js';
import { SowService } from './services/sow/sowService.js';
import { SowPaging } from './services/sow/paging.js';
import { SeenTopics } from './services/seenTopics.js';
import { SubscriptionService } from './services/subscriptions.js';
import { payloadTypeOf } from './services/payloadDisplay.js';
import { SubscriptionFiles } from './services/messageFiles/subscriptionFiles.js';
import { TopicDiscovery } from './services/topicDiscovery.js';
import { WorkspaceStore } from './services/workspaceStore.js';

/** Everything the Electron main process and the browser host share. */
export interface BackendOptions {
  mode: AppMode;
  version: string;
  userDataDir: string;
  cipher: SecretCipher;
  factory: AmpsConnectionFactory;
  logger: Logger;
  /** Origins whose frames may call the API (the app's own); a function when known only later. */
  allowedOrigins: readonly string[] | (() => readonly string[]);
  sandbox?: SandboxProcess;
  batchIntervalMs?: number;
  /** How long a browser page session's connections outlive its socket (default 10 s). */
  ownerGraceMs?: number;
  /** How long a reloaded page has to attach its running subscriptions (default 15 s). */
  attachDeadlineMs?: number;
  /** Shows a file main wrote in the system's file manager (the desktop app; none in the browser host). */
  revealFile?: (path: string) => void;
}

/** The assembled services, the request wrapper and the event hub. */
export interface Backend {
  hub: EventHub;
  wrapper: RequestWrapper;
  profiles: ProfileStore;
  connections: ConnectionService;
  subscriptions: SubscriptionService;
  sow: SowService;
  /**
   * The page of a window reloaded (same owner): its subscriptions wait for the page to attach
   * them again and end if it does not (Electron: call on `did-start-loading`).
   */
  ownerReloaded(clientId: string): void;
  /**
   * The page of a window died (Electron `render-process-gone`): its subscriptions, views, jobs
   * and connections are kept for the grace period, for a reload to attach them; then released.
   */
  ownerPageLost(clientId: string): void;
  /** Ends subscriptions, closes connections, stops the sandbox. */
  shutdown(): Promise<void>;
}

const NO_SANDBOX: SandboxInfo = { state: 'disabled', connectionStrings: [] };

/** Wires the services together; used by electron/main/index.ts and electron/host/main.ts. */
export function createBackend(options: BackendOptions): Backend {
  const { logger, sandbox } = options;
  const hub = new EventHub();
  const profiles = new ProfileStore({
    dir: options.userDataDir,
    cipher: options.cipher,
    logger,
    builtIns: () => {
      const builtIn = sandbox?.builtInProfile();
      return builtIn === undefined ? [] : [builtIn];
    },
  });
  const connections = new ConnectionService({
    factory: options.factory,
    profiles,
    logger,
    emitStatus: (owner, event) => hub.emit('onConnectionStatus', event, owner),
  });
  const seenTopics = new SeenTopics();
  connections.onClosed((connectionId) => seenTopics.forget(connectionId));
  const topics = new TopicDiscovery({
    seen: seenTopics,
    ...(sandbox === undefined
      ? {}
      : {
          sandbox: {
            adminUrl: () => sandbox.adminUrl(),
            connectionStrings: () => sandbox.info().connectionStrings,
          },
        }),
    profileOf: async (profileId) => (await profiles.state()).profiles.find((p) => p.id === profileId),
  });
  const workspace = new WorkspaceStore({ dir: options.userDataDir, logger });
  const subscriptionFiles = new SubscriptionFiles({
    dir: join(options.userDataDir, 'exports'),
    emitExportProgress: (owner, progress) => hub.emit('onMessageExportProgress', progress, owner),
    emitRecordingProgress: (owner, progress) => hub.emit('onRecordingProgress', progress, owner),
    messageTypeOf: (connectionId) => payloadTypeOf(connections.serverOf(connectionId)),
    ...(options.revealFile === undefined ? {} : { revealFile: options.revealFile }),
  });
  const subscriptions = new SubscriptionService({
    connections,
    tap: subscriptionFiles,
    onMessage: (connectionId, topic) => seenTopics.record(connectionId, topic),
    messageTypeOf: (connectionId) => payloadTypeOf(connections.serverOf(connectionId)),
    logger,
    ...(options.batchIntervalMs === undefined ? {} : { intervalMs: options.batchIntervalMs }),
    deliverBatch: (owner, batch) => hub.emit('onSubscriptionBatch', batch, owner),
    deliverEnded: (owner, event) => hub.emit('onSubscriptionEnded', event, owner),
    ownerAlive: (owner) => hub.has(owner),
  });
  const sow = new SowService({
    connections,
    logger,
    // A topic only queried (never subscribed to) is listed among the topics seen as well.
    onMessage: (connectionId, topic) => seenTopics.record(connectionId, topic),
    // Called only once a view exists, after sowPaging below is made.
    heldRecords: (queryId, owner) => sowPaging.heldExport(queryId, owner),
    exportDir: join(options.userDataDir, 'exports'),
    ...(options.batchIntervalMs === undefined ? {} : { intervalMs: options.batchIntervalMs }),
    deliverBatch: (owner, batch) => hub.emit('onSowBatch', batch, owner),
    deliverEnded: (owner, event) => hub.emit('onSowEnded', event, owner),
    deliverExportProgress: (owner, progress) => hub.emit('onSowExportProgress', progress, owner),
    ownerAlive: (owner) => hub.has(owner),
  });
  const sowPaging = new SowPaging({
    connections,
    deliverPage: (owner, window) => hub.emit('onSowPage', window, owner),
  });
  const inspector = new InspectorService({ connections, subscriptions, sow });
  const sandboxAdmin =
    sandbox === undefined
      ? {}
      : {
          sandbox: {
            adminUrl: () => sandbox.adminUrl(),
            connectionStrings: () => sandbox.info().connectionStrings,
          },
        };
  const overviews = new ServerOverviews({
    ...sandboxAdmin,
    profileOf: async (profileId) => (await profiles.state()).profiles.find((p) => p.id === profileId),
  });
  const publishJobs = {
    jobs: new PublishJobs({
      connections,
      deliverProgress: (owner, progress) => hub.emit('onPublishProgress', progress, owner),
    }),
    uploads: new PublishUploads(),
    library: new PublishLibraryStore({ dir: options.userDataDir }),
  };
  const sowReattach = new SowReattach({
    sow,
    deliverBatch: (owner, batch) => hub.emit('onSowBatch', batch, owner),
  });
  const owners = new OwnerLifecycle({
    logger,
    ...(options.ownerGraceMs === undefined ? {} : { graceMs: options.ownerGraceMs }),
    ...(options.attachDeadlineMs === undefined ? {} : { attachDeadlineMs: options.attachDeadlineMs }),
    resources: {
      release: async (owner) => {
        publishJobs.jobs.releaseOwner(owner);
        await Promise.all([
          subscriptions.releaseOwner(owner),
          sow.releaseOwner(owner),
          sowPaging.releaseOwner(owner),
          publishJobs.uploads.releaseOwner(owner),
        ]);
        await connections.releaseOwner(owner);
        await subscriptionFiles.releaseOwner(owner);
      },
      detach: (owner) => {
        subscriptions.detachOwner(owner);
        sowReattach.detachOwner(owner);
        publishJobs.jobs.detachOwner(owner);
        // Paged windows and half-sent uploads do not outlive their page: a paged view opens its
        // window again. (A running bulk job took its file over: it is not an upload any more.)
        sowPaging
          .releaseOwner(owner)
          .catch((e: unknown) => logger.warn(`${owner}: paged windows: ${String(e)}`));
        publishJobs.uploads
          .releaseOwner(owner)
          .catch((e: unknown) => logger.warn(`${owner}: uploads: ${String(e)}`));
      },
      endDetached: async (owner) => {
        const ended = await Promise.all([
          subscriptions.endDetached(owner),
          sowReattach.endDetached(owner),
          publishJobs.jobs.endDetached(owner),
        ]);
        return ended.reduce((a, b) => a + b, 0);
      },
    },
  });
  const stopGone = hub.onClientGone((clientId) => owners.gone(clientId));
  const stopCame = hub.onClientCame((clientId, replaced) => owners.came(clientId, replaced));
  const stopSandboxWatch = sandbox?.onChange((info) => hub.emit('onSandboxStatus', info));
  const handlers = createRequestHandlers({
    appInfo: { mode: options.mode, version: options.version, secretStorage: options.cipher.info },
    profiles,
    connections,
    subscriptions,
    subscriptionFiles,
    sow,
    sowPaging,
    sowReattach,
    workspace,
    topics,
    publishJobs,
    inspector,
    overviews,
    sandboxInfo: () => sandbox?.info() ?? NO_SANDBOX,
  });
  const wrapper = createRequestWrapper(handlers, {
    isAllowedSender: createOriginCheck(options.allowedOrigins),
    logger,
  });
  let shuttingDown: Promise<void> | undefined;
  return {
    hub,
    wrapper,
    profiles,
    connections,
    subscriptions,
    sow,
    ownerReloaded: (clientId) => owners.reloaded(clientId),
    ownerPageLost: (clientId) => owners.pageLost(clientId),
    shutdown() {
      shuttingDown ??= (async () => {
        stopGone();
        stopCame();
        owners.dispose();
        inspector.dispose();
        stopSandboxWatch?.();
        await subscriptions.shutdown();
        await subscriptionFiles.shutdown();
        await sow.shutdown();
        await sowPaging.shutdown();
        await publishJobs.jobs.shutdown();
        await publishJobs.uploads.shutdown();
        await connections.shutdown();
        await sandbox?.stop();
      })();
      return shuttingDown;
    },
  };
}
