/**
 * A plain-TypeScript state holder: an immutable snapshot replaced on every change, plus
 * listeners. Controllers (`*.svelte.ts`) mirror the snapshot into `$state.raw`, so the logic
 * stays testable without the Svelte compiler and nothing is deep-proxied.
 */
export class Model<T extends object> {
  #state: T;
  readonly #listeners = new Set<(state: T) => void>();

  constructor(initial: T) {
    this.#state = initial;
  }

  /** The current snapshot (never mutated; replaced on change). */
  get state(): T {
    return this.#state;
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  watch(listener: (state: T) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Replaces the snapshot with `patch` applied and notifies listeners. */
  protected update(patch: Partial<T>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener(this.#state);
  }
}

/** An error's message, for display. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
