import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Live } from '../lib/live.svelte.js';
import { InspectorModel, type InspectorSnapshot } from './inspectorModel.js';

/** The wire inspector view's controller: its model and a reactive snapshot of it. */
export class InspectorController {
  readonly model: InspectorModel;
  readonly #live: Live<InspectorSnapshot>;

  constructor(api: ExplorerApi) {
    this.model = new InspectorModel(api);
    this.#live = new Live(this.model);
  }

  get state(): InspectorSnapshot {
    return this.#live.current;
  }

  dispose(): void {
    this.#live.dispose();
    this.model.dispose();
  }
}
