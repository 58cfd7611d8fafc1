import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Live } from '../lib/live.svelte.js';
import { TopicsModel } from './topicsModel.js';
import type { TopicsSnapshot } from './topicsModel.js';

/** The Topics panel's controller: the model mirrored reactively. */
export class TopicsController {
  readonly model: TopicsModel;
  readonly #live: Live<TopicsSnapshot>;

  constructor(api: ExplorerApi) {
    this.model = new TopicsModel(api);
    this.#live = new Live(this.model);
  }

  get state(): TopicsSnapshot {
    return this.#live.current;
  }

  dispose(): void {
    this.#live.dispose();
  }
}
