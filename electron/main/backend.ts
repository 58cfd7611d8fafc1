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
import { ProfileStore } from './services/profiles.js';
import type { SandboxProcess } from './services/sandboxProcess.js';
import { SubscriptionService } from './services/subscriptions.js';

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
}

/** The assembled services, the request wrapper and the event hub. */
export interface Backend {
  hub: EventHub;
  wrapper: RequestWrapper;
  profiles: ProfileStore;
  connections: ConnectionService;
  subscriptions: SubscriptionService;
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
    emitStatus: (event) => hub.emit('onConnectionStatus', event),
  });
  const subscriptions = new SubscriptionService({
    connections,
    logger,
    ...(options.batchIntervalMs === undefined ? {} : { intervalMs: options.batchIntervalMs }),
    deliverBatch: (owner, batch) => hub.emit('onSubscriptionBatch', batch, owner),
    deliverEnded: (owner, event) => hub.emit('onSubscriptionEnded', event, owner),
    ownerAlive: (owner) => hub.has(owner),
  });
  const stopGone = hub.onClientGone((clientId) => void subscriptions.releaseOwner(clientId));
  const stopSandboxWatch = sandbox?.onChange((info) => hub.emit('onSandboxStatus', info));
  const handlers = createRequestHandlers({
    appInfo: { mode: options.mode, version: options.version, secretStorage: options.cipher.info },
    profiles,
    connections,
    subscriptions,
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
    shutdown() {
      shuttingDown ??= (async () => {
        stopGone();
        stopSandboxWatch?.();
        await subscriptions.shutdown();
        await connections.shutdown();
        await sandbox?.stop();
      })();
      return shuttingDown;
    },
  };
}
