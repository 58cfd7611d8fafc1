/**
 * A window as the owner of connections, subscriptions, SOW views and publish jobs: what its
 * page and its life tell the owner lifecycle (`services/owners.ts`). Kept apart from Electron
 * so the wiring is tested in plain Node with a fake window.
 *
 * - the page starts loading (first load, reload, reload after a crash): its views wait for it
 *   to attach them again, and end if it does not;
 * - the renderer process dies (crash, killed, OOM): everything is kept for the grace period
 *   for a reload to pick it up, then released, connections included. The page is reloaded at
 *   once (not after {@link MAX_CRASH_RELOADS} crashes within {@link CRASH_WINDOW_MS}: a page
 *   that keeps crashing stays down rather than loop), so its views re-attach;
 * - the window is closed: everything is released at once, connections included.
 */

/** Why a renderer process went away (Electron's `RenderProcessGoneDetails`, the part used). */
export interface PageGoneDetails {
  reason: string;
}

/** Crash reloads allowed within {@link CRASH_WINDOW_MS}. */
export const MAX_CRASH_RELOADS = 3;
/** The window over which crash reloads are counted, ms. */
export const CRASH_WINDOW_MS = 60_000;

/** The part of a window's webContents the owner listens to. */
export interface OwnerContents {
  reload(): void;
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
  now?: () => number;
}

/** Binds one window's events to its owner's lifecycle. */
export function bindWindowOwner(
  win: OwnerWindow,
  contents: OwnerContents,
  clientId: string,
  hooks: WindowOwnerHooks,
): void {
  const now = hooks.now ?? Date.now;
  let crashes: number[] = [];
  contents.on('did-start-loading', () => hooks.reloaded(clientId));
  contents.on('render-process-gone', (_event, details) => {
    hooks.pageLost(clientId);
    // A page that ended on purpose (its window closing) is not brought back.
    if (details.reason === 'clean-exit') return;
    const at = now();
    crashes = [...crashes.filter((t) => at - t < CRASH_WINDOW_MS), at];
    if (crashes.length > MAX_CRASH_RELOADS) {
      hooks.log?.(
        `${clientId}: the page's process went away (${details.reason}), ${crashes.length} times within ${CRASH_WINDOW_MS / 1000} s: not reloading it; its views and connections end after the grace period`,
      );
      return;
    }
    hooks.log?.(
      `${clientId}: the page's process went away (${details.reason}); reloading it, its views re-attach`,
    );
    try {
      contents.reload();
    } catch (error) {
      hooks.log?.(`${clientId}: could not reload the page: ${String(error)}`);
    }
  });
  win.on('closed', () => hooks.closed(clientId));
}
