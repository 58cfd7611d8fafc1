import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Live } from '../lib/live.svelte.js';
import { ServerModel, type ServerSnapshot } from './serverModel.js';

/** The server overview's controller: its model and a reactive snapshot of it. */
export class ServerController {
  readonly model: ServerModel;
  readonly #live: Live<ServerSnapshot>;

  constructor(api: ExplorerApi) {
    this.model = new ServerModel(api);
    this.#live = new Live(this.model);
  }

  get state(): ServerSnapshot {
    return this.#live.current;
  }

  dispose(): void {
    this.#live.dispose();
    this.model.dispose();
  }
}
