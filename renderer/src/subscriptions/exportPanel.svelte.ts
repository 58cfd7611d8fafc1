import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Live } from '../lib/live.svelte.js';
import { MessageExportModel } from './messageExportModel.js';
import type { ExportSnapshot } from './messageExportModel.js';

/** The export menu's and record panel's controller: the model, mirrored reactively. */
export class ExportPanel {
  readonly model: MessageExportModel;
  readonly #live: Live<ExportSnapshot>;

  constructor(api: ExplorerApi) {
    this.model = new MessageExportModel(api);
    this.#live = new Live(this.model);
  }

  /** The snapshot (reactive). */
  get state(): ExportSnapshot {
    return this.#live.current;
  }

  dispose(): void {
    this.#live.dispose();
    this.model.dispose();
  }
}
