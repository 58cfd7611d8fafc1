import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Live } from '../lib/live.svelte.js';
import { ConnectionModel, canConnect, isUsable } from './connectionModel.js';
import type { ConnectionSnapshot } from './connectionModel.js';

/** The connection panel's controller: the model's actions plus its reactive snapshot. */
export class ConnectionController {
  readonly model: ConnectionModel;
  readonly #live: Live<ConnectionSnapshot>;
  /** The connection can carry subscriptions. */
  readonly usable: boolean = $derived.by(() => isUsable(this.state));
  /** Connect / Local sandbox are allowed. */
  readonly canConnect: boolean = $derived.by(() => canConnect(this.state));

  constructor(api: ExplorerApi) {
    this.model = new ConnectionModel(api);
    this.#live = new Live(this.model);
    void this.model.load();
  }

  /** The current snapshot (reactive). */
  get state(): ConnectionSnapshot {
    return this.#live.current;
  }

  dispose(): void {
    this.#live.dispose();
    this.model.dispose();
  }
}
