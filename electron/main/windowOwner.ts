/**
 * A window as the owner of connections, subscriptions, SOW views and publish jobs: what its
 * page and its life tell the owner lifecycle (`services/owners.ts`). Kept apart from Electron
 * so the wiring is tested in plain Node with a fake window.
 *
 * - the page starts loading (first load, reload, reload after a crash): its views wait for it
 *   to attach them again, and end if it does not;
 * - the renderer process dies (crash, killed, OOM): everything is kept for the grace period
 *   for a reload to pick it up, then released, connections included;
 * - the window is closed: everything is released at once, connections included.
 */

/** Why a renderer process went away (Electron's `RenderProcessGoneDetails`, the part used). */
export interface PageGoneDetails {
  reason: string;
}

/** The part of a window's webContents the owner listens to. */
export interface OwnerContents {
  on(event: 'did-start-loading', listener: () => void): unknown;
  on(event: 'render-process-gone', listener: (event: unknown, details: PageGoneDetails) => void): unknown;
}

/** The part of a BrowserWindow the owner listens to. */
export interface OwnerWindow {
  on(event: 'closed', listener: () => void): unknown;
}

/** What a window's events do to its owner's resources. */
export interface WindowOwnerHooks {
  /** The page (re)started loading: held views await attach (backend `ownerReloaded`). */
  reloaded(clientId: string): void;
  /** The renderer died: keep everything for the grace period (backend `ownerPageLost`). */
  pageLost(clientId: string): void;
  /** The window is gone for good: release everything now (the event hub's `unregister`). */
  closed(clientId: string): void;
  /** Told why a renderer went away (never page content). */
  log?(message: string): void;
}

/** Binds one window's events to its owner's lifecycle. */
export function bindWindowOwner(
  win: OwnerWindow,
  contents: OwnerContents,
  clientId: string,
  hooks: WindowOwnerHooks,
): void {
  contents.on('did-start-loading', () => hooks.reloaded(clientId));
  contents.on('render-process-gone', (_event, details) => {
    hooks.log?.(`${clientId}: the page's process went away (${details.reason}); its views wait for a reload`);
    hooks.pageLost(clientId);
  });
  win.on('closed', () => hooks.closed(clientId));
}
