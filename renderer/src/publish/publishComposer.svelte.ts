import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Live } from '../lib/live.svelte.js';
import { ConfirmGate } from './confirmGate.js';
import type { GateSnapshot } from './confirmGate.js';
import { DeltaPreviewModel } from './deltaPreviewModel.js';
import type { DeltaPreviewSnapshot } from './deltaPreviewModel.js';
import { PublishJobsModel } from './publishJobsModel.js';
import type { JobsSnapshot } from './publishJobsModel.js';
import { PublishModel } from './publishModel.js';
import type { ComposerSnapshot } from './publishModel.js';
import { SowDeleteModel } from './sowDeleteModel.js';
import type { SowDeleteSnapshot } from './sowDeleteModel.js';

/** The publish view's controller: the models of its panels, each mirrored reactively. */
export class PublishComposer {
  readonly gate = new ConfirmGate();
  readonly model: PublishModel;
  readonly jobsModel: PublishJobsModel;
  readonly deleteModel: SowDeleteModel;
  readonly deltaModel: DeltaPreviewModel;
  readonly #form: Live<ComposerSnapshot>;
  readonly #gate: Live<GateSnapshot>;
  readonly #jobs: Live<JobsSnapshot>;
  readonly #delete: Live<SowDeleteSnapshot>;
  readonly #delta: Live<DeltaPreviewSnapshot>;

  constructor(api: ExplorerApi) {
    this.model = new PublishModel(api, this.gate);
    this.jobsModel = new PublishJobsModel(api, this.model, this.gate);
    this.deleteModel = new SowDeleteModel(api, this.model, this.gate);
    this.deltaModel = new DeltaPreviewModel(api, this.model);
    this.#form = new Live(this.model);
    this.#gate = new Live(this.gate);
    this.#jobs = new Live(this.jobsModel);
    this.#delete = new Live(this.deleteModel);
    this.#delta = new Live(this.deltaModel);
  }

  /** The form, sends and library (reactive). */
  get form(): ComposerSnapshot {
    return this.#form.current;
  }
  /** The production confirmation (reactive). */
  get confirm(): GateSnapshot {
    return this.#gate.current;
  }
  /** Repeat and bulk jobs (reactive). */
  get jobs(): JobsSnapshot {
    return this.#jobs.current;
  }
  /** The sow_delete panel (reactive). */
  get del(): SowDeleteSnapshot {
    return this.#delete.current;
  }
  /** The delta preview (reactive). */
  get delta(): DeltaPreviewSnapshot {
    return this.#delta.current;
  }

  dispose(): void {
    this.jobsModel.dispose();
    for (const live of [this.#form, this.#gate, this.#jobs, this.#delete, this.#delta]) live.dispose();
  }
}
