import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Live } from '../lib/live.svelte.js';
import { HaViewModel, type HaViewSnapshot } from './haViewModel.js';

/** The HA view's controller: the model plus its reactive snapshot and a clock for countdowns. */
export class HaViewController {
  readonly model: HaViewModel;
  readonly #live: Live<HaViewSnapshot>;
  /** The page's clock, ticking while the view shows (for the next-attempt countdown). */
  now: number = $state(Date.now());
  readonly #tick: ReturnType<typeof setInterval>;

  constructor(api: ExplorerApi) {
    this.model = new HaViewModel(api);
    this.#live = new Live(this.model);
    this.#tick = setInterval(() => (this.now = Date.now()), 250);
  }

  get state(): HaViewSnapshot {
    return this.#live.current;
  }

  dispose(): void {
    clearInterval(this.#tick);
    this.#live.dispose();
    this.model.dispose();
  }
}
