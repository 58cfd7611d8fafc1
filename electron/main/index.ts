// Composition root of the Electron main process: wiring only, no logic of its own.
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  session,
  shell,
  utilityProcess,
} from 'electron';
import { createBackend } from './backend.js';
import { originOf, registerHandlers, windowClientId } from './ipc/registerHandlers.js';
import { BUILD_LAYOUT } from './paths.js';
import { APP_INDEX_URL, APP_ORIGIN, handleAppProtocol, registerAppScheme } from './platform/appProtocol.js';
import { consoleLogger } from './platform/logger.js';
import { createSafeStorageCipher } from './platform/safeStorage.js';
import { utilityLauncher } from './platform/utilityLauncher.js';
import { SandboxPortMemory } from './services/sandboxPorts.js';
import { SandboxProcess, devSandboxCommand, packagedSandboxCommand } from './services/sandboxProcess.js';
import { clientConnectionFactory } from './services/clientFactory.js';
import { confirmOpenExternal, createMainWindow, denyAllPermissions, installCsp } from './window.js';
import { bindWindowOwner } from './windowOwner.js';

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
    command: (args) =>
      app.isPackaged ? packagedSandboxCommand(process.resourcesPath, args) : devSandboxCommand(appDir, args),
    // A utility process, so this binary never runs as plain Node (the runAsNode fuse is off).
    launch: utilityLauncher(utilityProcess),
    ports: new SandboxPortMemory(app.getPath('userData')),
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
    revealFile: (path) => shell.showItemInFolder(path),
  });
  handleAppProtocol(protocol, join(appDir, BUILD_LAYOUT.rendererDir));
  installCsp(session.defaultSession);
  denyAllPermissions(session.defaultSession, (permission) =>
    logger.warn(`denied a request for the "${permission}" permission`),
  );
  const unregisterHandlers = registerHandlers(ipcMain, backend.wrapper);
  void sandbox
    .start()
    .then((info) => logger.info(`sandbox: ${info.state} ${info.connectionStrings.join(' ')}`));

  const openWindow = (): void => {
    const win = createMainWindow({
      BrowserWindow,
      openExternal: (url) =>
        void confirmOpenExternal(url, {
          showMessageBox: (options) => dialog.showMessageBox(options),
          openExternal: (target) => shell.openExternal(target),
        }).catch((error: unknown) => logger.warn(`could not open an external link: ${String(error)}`)),
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
    // A reloaded page attaches its running views again (or they end); a crashed page's views and
    // connections wait the grace period for a reload; a closed window releases everything.
    bindWindowOwner(win, contents, clientId, {
      reloaded: (id) => backend.ownerReloaded(id),
      pageLost: (id) => backend.ownerPageLost(id),
      closed: (id) => backend.hub.unregister(id),
      log: (message) => logger.warn(message),
    });
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
