import type { Model } from './model.js';

/**
 * Mirrors a {@link Model}'s snapshot into `$state.raw`: each change replaces the reference,
 * so Svelte re-renders what reads it without proxying the data inside.
 */
export class Live<T extends object> {
  current: T;
  readonly #stop: () => void;

  constructor(model: Model<T>) {
    this.current = $state.raw(model.state);
    this.#stop = model.watch((state) => {
      this.current = state;
    });
  }

  /** Stops mirroring. */
  dispose(): void {
    this.#stop();
  }
}
