/** Runs a callback before the next paint; injectable so controllers are testable. */
export interface FrameScheduler {
  request(callback: () => void): unknown;
  cancel(handle: unknown): void;
}

/**
 * The browser's animation-frame scheduler. Falls back to a 16 ms timer where
 * `requestAnimationFrame` is missing.
 */
export function browserFrameScheduler(): FrameScheduler {
  if (typeof requestAnimationFrame === 'function') {
    return {
      request: (callback) => requestAnimationFrame(() => callback()),
      cancel: (handle) => cancelAnimationFrame(handle as number),
    };
  }
  return {
    request: (callback) => setTimeout(callback, 16),
    cancel: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

/** A clock in ms; injectable for tests. */
export type Clock = () => number;

/** The page's monotonic clock. */
export const browserClock: Clock = () => performance.now();
