/**
 * The sow_delete composer: by filter (with a count of the records it matches first), by SowKeys,
 * or by data (the record whose key fields equal the message's). The result is the server's
 * count of deleted records.
 */
import type { SowDeleteRequest } from '../../../common/src/dto/sow.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Model, messageOf } from '../lib/model.js';
import type { ConfirmGate } from './confirmGate.js';
import { keyFilter } from './deltaMerge.js';
import type { PublishModel } from './publishModel.js';

/** How records are chosen. */
export type DeleteMode = 'filter' | 'keys' | 'data';

/** What the sow_delete panel shows. */
export interface SowDeleteSnapshot {
  mode: DeleteMode;
  filter: string;
  keys: string;
  data: string;
  /** Records the filter matches now (preview), or undefined before a count. */
  matching: number | undefined;
  counting: boolean;
  deleting: boolean;
  /** The server's count of the last delete. */
  deleted: number | undefined;
  problem: string | undefined;
}

/** The sow_delete panel of a publish view. */
export class SowDeleteModel extends Model<SowDeleteSnapshot> {
  readonly #api: ExplorerApi;
  readonly #form: PublishModel;
  readonly #gate: ConfirmGate;

  constructor(api: ExplorerApi, form: PublishModel, gate: ConfirmGate) {
    super({
      mode: 'filter',
      filter: '',
      keys: '',
      data: '',
      matching: undefined,
      counting: false,
      deleting: false,
      deleted: undefined,
      problem: undefined,
    });
    this.#api = api;
    this.#form = form;
    this.#gate = gate;
  }

  edit(patch: Partial<Pick<SowDeleteSnapshot, 'mode' | 'filter' | 'keys' | 'data'>>): void {
    this.update({ ...patch, matching: undefined, problem: undefined });
  }

  /** The request the panel would send, or why there is none. */
  request(): { request: SowDeleteRequest; what: string } | { problem: string } {
    const connectionId = this.#form.connectionId;
    const topic = this.#form.state.topic.trim();
    if (connectionId === undefined) return { problem: 'The view has no open connection' };
    if (topic === '') return { problem: 'Name a topic' };
    const s = this.state;
    switch (s.mode) {
      case 'filter':
        return {
          request: { connectionId, topic, filter: s.filter.trim() },
          what: `Delete the records of ${topic} matching ${s.filter.trim() === '' ? 'everything' : s.filter.trim()}`,
        };
      case 'keys': {
        const keys = s.keys
          .split(/[\s,]+/)
          .map((k) => k.trim())
          .filter((k) => k !== '');
        if (keys.length === 0)
          return { problem: 'Write the SowKeys to delete, separated by commas or lines' };
        return {
          request: { connectionId, topic, keys },
          what: `Delete ${keys.length} record(s) of ${topic} by SowKey`,
        };
      }
      case 'data': {
        let value: unknown;
        try {
          value = JSON.parse(s.data);
        } catch (error) {
          return { problem: `The data is not JSON: ${messageOf(error)}` };
        }
        const keyFields = this.#form.keyFields();
        const found = keyFilter(keyFields, value);
        if ('problem' in found) return { problem: `Cannot delete by data: ${found.problem}` };
        return {
          request: { connectionId, topic, filter: found.filter },
          what: `Delete the record of ${topic} where ${found.filter}`,
        };
      }
    }
  }

  /** Counts the records the delete would remove (filter and data modes). */
  async count(): Promise<void> {
    const r = this.request();
    if ('problem' in r) return this.update({ problem: r.problem });
    if (!('filter' in r.request)) return this.update({ matching: undefined });
    this.update({ counting: true, problem: undefined });
    try {
      const { count } = await this.#api.sowCount({
        connectionId: r.request.connectionId,
        topic: r.request.topic,
        ...(r.request.filter === '' ? {} : { filter: r.request.filter }),
      });
      this.update({ counting: false, matching: count });
    } catch (error) {
      this.update({ counting: false, problem: messageOf(error) });
    }
  }

  /** Sends the sow_delete (asking first on a production connection). */
  async remove(): Promise<void> {
    const r = this.request();
    if ('problem' in r) return this.update({ problem: r.problem });
    await this.#gate.run(r.what, async () => {
      this.update({ deleting: true, problem: undefined, deleted: undefined });
      try {
        const { deleted } = await this.#api.sowDelete(r.request);
        this.update({ deleting: false, deleted, matching: undefined });
      } catch (error) {
        this.update({ deleting: false, problem: messageOf(error) });
      }
    });
  }
}
