import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Live } from '../lib/live.svelte.js';
import { ProfileEditorModel, type ProfileEditorSnapshot } from './profileEditorModel.js';

/** The profile editor's controller: the model's actions plus its reactive snapshot. */
export class ProfileEditorController {
  readonly model: ProfileEditorModel;
  readonly #live: Live<ProfileEditorSnapshot>;

  constructor(api: ExplorerApi) {
    this.model = new ProfileEditorModel(api);
    this.#live = new Live(this.model);
  }

  /** The current snapshot (reactive). */
  get state(): ProfileEditorSnapshot {
    return this.#live.current;
  }

  dispose(): void {
    this.#live.dispose();
  }
}
