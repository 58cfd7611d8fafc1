// Composition root of the Electron main process: wiring only, no logic of its own.
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { createBackend } from './backend.js';
import { originOf, registerHandlers, windowClientId } from './ipc/registerHandlers.js';
import { BUILD_LAYOUT } from './paths.js';
import { APP_INDEX_URL, APP_ORIGIN, handleAppProtocol, registerAppScheme } from './platform/appProtocol.js';
import { consoleLogger } from './platform/logger.js';
import { createSafeStorageCipher } from './platform/safeStorage.js';
import { SandboxProcess, devSandboxCommand, packagedSandboxCommand } from './services/sandboxProcess.js';
import { clientConnectionFactory } from './services/clientFactory.js';
import { createMainWindow, installCsp } from './window.js';

const logger = consoleLogger;
app.enableSandbox();
registerAppScheme(protocol);
if (!app.requestSingleInstanceLock()) app.quit();

const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const devOrigin = devUrl === undefined ? undefined : originOf(devUrl);
const appDir = app.getAppPath();

async function main(): Promise<void> {
  await app.whenReady();
  const sandbox = new SandboxProcess({
    command: app.isPackaged ? packagedSandboxCommand(process.resourcesPath) : devSandboxCommand(appDir),
    logger,
  });
  const backend = createBackend({
    mode: 'electron',
    version: app.getVersion(),
    userDataDir: app.getPath('userData'),
    cipher: createSafeStorageCipher(safeStorage),
    factory: clientConnectionFactory,
    logger,
    allowedOrigins: devOrigin === undefined ? [APP_ORIGIN] : [APP_ORIGIN, devOrigin],
    sandbox,
  });
  handleAppProtocol(protocol, join(appDir, BUILD_LAYOUT.rendererDir));
  installCsp(session.defaultSession);
  const unregisterHandlers = registerHandlers(ipcMain, backend.wrapper);
  void sandbox
    .start()
    .then((info) => logger.info(`sandbox: ${info.state} ${info.connectionStrings.join(' ')}`));

  const openWindow = (): void => {
    const win = createMainWindow({
      BrowserWindow,
      openExternal: (url) => void shell.openExternal(url),
      preloadPath: join(appDir, BUILD_LAYOUT.preload),
      url: devUrl ?? APP_INDEX_URL,
      iconPath: join(appDir, BUILD_LAYOUT.icon),
    });
    const contents = win.webContents;
    const clientId = windowClientId(contents.id);
    backend.hub.register(clientId, {
      send: (channel, payload) => {
        if (!contents.isDestroyed()) contents.send(channel, payload);
      },
    });
    win.on('closed', () => backend.hub.unregister(clientId));
    // A reloaded or crashed page no longer knows its subscriptions: end them.
    contents.on('did-start-loading', () => void backend.subscriptions.releaseOwner(clientId));
    contents.on('render-process-gone', () => void backend.subscriptions.releaseOwner(clientId));
  };
  openWindow();
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let cleaned = false;
  app.on('before-quit', (event) => {
    if (cleaned) return;
    event.preventDefault();
    void backend
      .shutdown()
      .catch((error: unknown) => logger.error(`shutdown: ${String(error)}`))
      .finally(() => {
        cleaned = true;
        unregisterHandlers();
        app.quit();
      });
  });
}

void main().catch((error: unknown) => {
  logger.error(`startup failed: ${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
});
