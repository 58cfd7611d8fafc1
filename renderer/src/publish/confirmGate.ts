/**
 * The production guard: on a connection whose profile is marked production, every write (a
 * publish, a repeat, a bulk file, a sow_delete) waits for the user's confirmation; elsewhere
 * it runs at once.
 */
import { Model } from '../lib/model.js';

/** A write waiting for the user's answer. */
export interface PendingWrite {
  /** What will happen, in words ("Publish 1 message to orders"). */
  what: string;
}

/** The guard's state: the write waiting, if any. */
export interface GateSnapshot {
  production: boolean;
  pending: PendingWrite | undefined;
}

/** Runs writes, asking first on a production connection. */
export class ConfirmGate extends Model<GateSnapshot> {
  #action: (() => Promise<void>) | undefined;

  constructor() {
    super({ production: false, pending: undefined });
  }

  setProduction(production: boolean): void {
    if (production !== this.state.production) this.update({ production });
  }

  /** Runs `action` now, or once confirmed on a production connection. */
  async run(what: string, action: () => Promise<void>): Promise<void> {
    if (!this.state.production) return action();
    this.#action = action;
    this.update({ pending: { what } });
  }

  /** The user's answer to the pending write. */
  async answer(confirmed: boolean): Promise<void> {
    const action = this.#action;
    this.#action = undefined;
    this.update({ pending: undefined });
    if (confirmed && action !== undefined) await action();
  }
}
