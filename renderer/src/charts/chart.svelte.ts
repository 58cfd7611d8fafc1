import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Live } from '../lib/live.svelte.js';
import { ChartModel, type ChartSnapshot } from './chartModel.js';

/** The live chart view's controller: its model and a reactive snapshot of it. */
export class ChartController {
  readonly model: ChartModel;
  readonly #live: Live<ChartSnapshot>;

  constructor(api: ExplorerApi) {
    this.model = new ChartModel(api);
    this.#live = new Live(this.model);
  }

  get state(): ChartSnapshot {
    return this.#live.current;
  }

  dispose(): void {
    this.#live.dispose();
    this.model.dispose();
  }
}
