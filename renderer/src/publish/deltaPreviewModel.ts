/**
 * The delta publish preview: the SOW record the delta will change (a one-shot sow query on the
 * message's key) beside the record the server will hold after the merge.
 */
import type { SowBatch, SowEndedEvent } from '../../../common/src/dto/sow.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Model, messageOf } from '../lib/model.js';
import { keyFilter, mergeDelta } from './deltaMerge.js';
import type { PublishModel } from './publishModel.js';

/** What the preview shows. */
export interface DeltaPreviewSnapshot {
  loading: boolean;
  /** The filter that found the current record. */
  filter: string | undefined;
  /** The current record (pretty JSON), or null when the topic has none with that key. */
  current: string | null | undefined;
  /** The record after the merge (pretty JSON). */
  merged: string | undefined;
  problem: string | undefined;
}

/** Longest wait for the sow query. */
const QUERY_TIMEOUT_MS = 10_000;

/** Runs a one-shot sow query for at most one record; resolves with its data or null. */
export async function fetchRecord(
  api: ExplorerApi,
  connectionId: string,
  topic: string,
  filter: string,
): Promise<string | null> {
  const seen = new Map<string, { data: string | undefined; ended: SowEndedEvent | undefined }>();
  const slot = (id: string) => {
    let s = seen.get(id);
    if (s === undefined) seen.set(id, (s = { data: undefined, ended: undefined }));
    return s;
  };
  let wake: (() => void) | undefined;
  const stopBatch = api.onSowBatch((b: SowBatch) => {
    const s = slot(b.queryId);
    s.data ??= b.upserts[0]?.data;
    wake?.();
  });
  const stopEnded = api.onSowEnded((e) => {
    slot(e.queryId).ended = e;
    wake?.();
  });
  let queryId: string | undefined;
  try {
    ({ queryId } = await api.sowQuery({ connectionId, topic, filter, mode: 'query', topN: 1 }));
    const id = queryId;
    const deadline = Date.now() + QUERY_TIMEOUT_MS;
    for (;;) {
      const s = slot(id);
      if (s.ended !== undefined) {
        if (s.ended.reason === 'error') throw new Error(s.ended.error?.message ?? 'the sow query failed');
        return s.data ?? null;
      }
      if (Date.now() > deadline)
        throw new Error(`no answer to the sow query within ${QUERY_TIMEOUT_MS / 1000} s`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 200);
      });
    }
  } finally {
    stopBatch();
    stopEnded();
    if (queryId !== undefined) void api.sowCancel({ queryId }).catch(() => undefined);
  }
}

const pretty = (v: unknown): string => JSON.stringify(v, null, 2);

/** The preview of the composer's delta publish. */
export class DeltaPreviewModel extends Model<DeltaPreviewSnapshot> {
  readonly #api: ExplorerApi;
  readonly #form: PublishModel;

  constructor(api: ExplorerApi, form: PublishModel) {
    super({ loading: false, filter: undefined, current: undefined, merged: undefined, problem: undefined });
    this.#api = api;
    this.#form = form;
  }

  clear(): void {
    this.update({ filter: undefined, current: undefined, merged: undefined, problem: undefined });
  }

  /** Looks up the current record and merges the message into it. */
  async refresh(): Promise<void> {
    const f = this.#form.state;
    const connectionId = this.#form.connectionId;
    const fail = (problem: string): void =>
      this.update({ loading: false, problem, current: undefined, merged: undefined });
    if (connectionId === undefined) return fail('The view has no open connection');
    const topic = f.topic.trim();
    if (topic === '') return fail('Name a topic');
    const keyFields = this.#form.keyFields();
    if (keyFields.length === 0) {
      return fail(
        `The key fields of ${topic} are not known: type them (e.g. /id) to find the record the delta changes`,
      );
    }
    let delta: unknown;
    try {
      delta = JSON.parse(f.templated ? (f.preview ?? '') : f.payload);
    } catch (error) {
      return fail(`The message is not JSON: ${messageOf(error)}`);
    }
    const found = keyFilter(keyFields, delta);
    if ('problem' in found) return fail(found.problem);
    this.update({ loading: true, problem: undefined, filter: found.filter });
    try {
      const data = await fetchRecord(this.#api, connectionId, topic, found.filter);
      const current: unknown = data === null ? null : JSON.parse(data);
      this.update({
        loading: false,
        current: current === null ? null : pretty(current),
        merged: pretty(current === null ? delta : mergeDelta(current, delta)),
      });
    } catch (error) {
      fail(messageOf(error));
    }
  }
}
