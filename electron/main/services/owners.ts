/**
 * The life of a connection's owner: a window (Electron) or a page session (browser host).
 * A window's connections, subscriptions, SOW views and publish jobs end when the window is
 * destroyed. A page that may come back (a browser page session whose socket dropped, or a
 * window whose renderer crashed) keeps them for a grace period and loses them all, its
 * connections included, if it does not return. After a reload the views deliver nothing
 * until the page attaches them again; those it does not attach within a deadline are ended,
 * so nothing runs unseen.
 */
import type { Logger } from '../platform/logger.js';

/** What the lifecycle acts on. */
export interface OwnedResources {
  /** Ends every subscription, view and job and closes every connection of the owner. */
  release(ownerId: string): Promise<void>;
  /** Holds the owner's deliveries (subscriptions, SOW views, jobs) until attached again. */
  detach(ownerId: string): void;
  /** Ends the owner's views and jobs still detached; returns how many. */
  endDetached(ownerId: string): Promise<number>;
}

/** Options of {@link OwnerLifecycle}. */
export interface OwnerLifecycleOptions {
  resources: OwnedResources;
  logger: Logger;
  /** How long a page session's resources outlive its socket (default 10 s). */
  graceMs?: number;
  /** How long a page that came back has to attach its subscriptions (default 15 s). */
  attachDeadlineMs?: number;
}

/** Page sessions (browser host) get a grace period; windows do not. */
export const isSessionOwner = (ownerId: string): boolean => ownerId.startsWith('web:');

/** Tracks owners coming and going; see the module comment. */
export class OwnerLifecycle {
  readonly #grace = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #attach = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #options: OwnerLifecycleOptions;

  constructor(options: OwnerLifecycleOptions) {
    this.#options = options;
  }

  /** The owner's page or socket went away (a window: for good; a page session: maybe back soon). */
  gone(ownerId: string): void {
    this.#clear(this.#attach, ownerId);
    if (!isSessionOwner(ownerId)) {
      this.#clear(this.#grace, ownerId);
      void this.#release(ownerId);
      return;
    }
    this.#startGrace(ownerId);
  }

  /**
   * The owner's page died but its window stays (Electron `render-process-gone`): like a page
   * session whose socket dropped, it keeps its resources for the grace period, and a reload
   * within it ({@link reloaded}) attaches them again; otherwise they are all released.
   */
  pageLost(ownerId: string): void {
    this.#clear(this.#attach, ownerId);
    this.#startGrace(ownerId);
  }

  /** True while the owner is in its grace period (tests, diagnostics). */
  inGrace(ownerId: string): boolean {
    return this.#grace.has(ownerId);
  }

  /**
   * The owner registered: after a grace period (its page came back) or taking over from a
   * socket still open (`replaced`), it is a reloaded page: cancel the grace period and let it
   * attach its subscriptions.
   */
  came(ownerId: string, replaced = false): void {
    if (this.#clear(this.#grace, ownerId) || replaced) this.reloaded(ownerId);
  }

  /** The owner's page reloaded (same window, same session): its views await attach. */
  reloaded(ownerId: string): void {
    this.#clear(this.#grace, ownerId);
    this.#options.resources.detach(ownerId);
    this.#clear(this.#attach, ownerId);
    const timer = setTimeout(() => {
      this.#attach.delete(ownerId);
      void this.#options.resources.endDetached(ownerId).then((n) => {
        if (n > 0)
          this.#options.logger.info(`${ownerId}: ended ${n} view(s) or job(s) no page attached again`);
      });
    }, this.#options.attachDeadlineMs ?? 15_000);
    timer.unref?.();
    this.#attach.set(ownerId, timer);
  }

  /** Stops every timer (shutdown). */
  dispose(): void {
    for (const t of [...this.#grace.values(), ...this.#attach.values()]) clearTimeout(t);
    this.#grace.clear();
    this.#attach.clear();
  }

  #startGrace(ownerId: string): void {
    this.#options.resources.detach(ownerId);
    this.#clear(this.#grace, ownerId);
    const timer = setTimeout(() => {
      this.#grace.delete(ownerId);
      void this.#release(ownerId);
    }, this.#options.graceMs ?? 10_000);
    timer.unref?.();
    this.#grace.set(ownerId, timer);
  }

  async #release(ownerId: string): Promise<void> {
    try {
      await this.#options.resources.release(ownerId);
    } catch (error) {
      this.#options.logger.warn(`${ownerId}: releasing failed: ${String(error)}`);
    }
  }

  #clear(map: Map<string, ReturnType<typeof setTimeout>>, ownerId: string): boolean {
    const timer = map.get(ownerId);
    if (timer === undefined) return false;
    clearTimeout(timer);
    map.delete(ownerId);
    return true;
  }
}
