import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Live } from '../lib/live.svelte.js';
import { ConnectionsModel } from './connectionsModel.js';
import type { ConnectionsSnapshot } from './connectionsModel.js';

/** The Connections side bar's controller: the model mirrored reactively. */
export class ConnectionsController {
  readonly model: ConnectionsModel;
  readonly #live: Live<ConnectionsSnapshot>;

  constructor(api: ExplorerApi) {
    this.model = new ConnectionsModel(api);
    this.#live = new Live(this.model);
    void this.model.load();
  }

  get state(): ConnectionsSnapshot {
    return this.#live.current;
  }

  dispose(): void {
    this.#live.dispose();
    this.model.dispose();
  }
}
