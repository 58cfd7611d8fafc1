/**
 * Work that must reach the operating system before any byte leaves for a client: the journal's
 * buffered records (journalFollow.ts). The network transports run the barrier before each
 * socket write, so a delivery or an ack never goes out ahead of the journal record it depends
 * on: a process killed at any moment has journaled everything a client was told about.
 */
const barriers = new Set<() => void>();

/** Adds work to run before every socket write; returns the function that removes it. */
export function addOutputBarrier(fn: () => void): () => void {
  barriers.add(fn);
  return () => {
    barriers.delete(fn);
  };
}

/** Runs the barriers (called by the transports before they write to a socket). */
export function outputBarrier(): void {
  for (const fn of barriers) fn();
}
