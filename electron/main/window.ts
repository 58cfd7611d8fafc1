import type { BrowserWindow, BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../common/src/security/csp.js';

/** The CSP lives in common/ so the renderer build can put the same policy in a meta tag. */
export { CONTENT_SECURITY_POLICY };

/** The hardened webPreferences of every window. */
export function hardenedWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** True for an absolute http(s) URL: the only kind handed to the OS browser. */
export function isExternalHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** The part of Electron's dialog used to confirm an external link (a fake in tests). */
export type ShowMessageBox = (options: {
  type: 'question';
  buttons: string[];
  defaultId: number;
  cancelId: number;
  title: string;
  message: string;
  detail: string;
  noLink: boolean;
}) => Promise<{ response: number }>;

/**
 * Opens an http(s) URL in the OS browser only after the user confirmed it in a dialog that
 * shows the whole URL; any other URL is dropped. Resolves true when it was opened.
 */
export async function confirmOpenExternal(
  url: string,
  deps: { showMessageBox: ShowMessageBox; openExternal(url: string): Promise<void> | void },
): Promise<boolean> {
  if (!isExternalHttpUrl(url)) return false;
  const { response } = await deps.showMessageBox({
    type: 'question',
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    title: 'Open external link',
    message: 'Open this address in your web browser?',
    detail: url,
    noLink: true,
  });
  if (response !== 0) return false;
  await deps.openExternal(url);
  return true;
}

/** The part of an Electron session whose permission handlers are set (a fake in tests). */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
}

/**
 * Denies every permission (camera, microphone, notifications, geolocation, clipboard, HID,
 * …) to every page: the app needs none. Permission names are logged, never the page content.
 */
export function denyAllPermissions(
  session: PermissionSession,
  onDenied?: (permission: string) => void,
): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    onDenied?.(permission);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}

/** The parts of webContents the guards use (a fake in tests). */
export interface GuardedContents {
  on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Denies every navigation and every new window. http(s) links go to the OS browser via
 * `openExternal`; any other scheme (file:, javascript:, custom) is dropped.
 */
export function guardNavigation(contents: GuardedContents, openExternal: (url: string) => void): void {
  const maybeOpen = (url: string): void => {
    if (isExternalHttpUrl(url)) openExternal(url);
  };
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    maybeOpen(url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    maybeOpen(url);
    return { action: 'deny' };
  });
}

/** The part of an Electron session used to add the CSP header. */
export interface HeaderSession {
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders: Record<string, string[]> }) => void,
      ) => void,
    ): void;
  };
}

/** Adds the CSP header to every response of the session (dev server, app:// pages). */
export function installCsp(session: HeaderSession): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
}

/** What the window factory needs. */
export interface WindowDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  openExternal(url: string): void;
  preloadPath: string;
  /** The renderer's URL (`app://explorer/index.html`, or the dev server). */
  url: string;
  iconPath?: string;
}

/** Creates the main window, hardened and guarded, and loads the renderer. */
export function createMainWindow(deps: WindowDeps): BrowserWindow {
  const win = new deps.BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'AMPS Explorer',
    backgroundColor: '#111418',
    ...(deps.iconPath === undefined ? {} : { icon: deps.iconPath }),
    webPreferences: hardenedWebPreferences(deps.preloadPath),
  });
  guardNavigation(win.webContents as unknown as GuardedContents, deps.openExternal);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(deps.url);
  return win;
}
