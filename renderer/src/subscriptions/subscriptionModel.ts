import { checkFilter, compileTopicMatcher, FilterSyntaxError } from '../../../client/src/expression/index.js';
import type {
  SubscribeSpec,
  SubscriptionBatch,
  SubscriptionEndedEvent,
  SubscriptionOptions,
} from '../../../common/src/dto/subscriptions.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { isExplorerError } from '../../../common/src/ipc/errors.js';
import { Model, messageOf } from '../lib/model.js';
import { buildReplay, DEFAULT_REPLAY, replayProblems, restoreReplay } from '../replay/replaySpec.js';
import type { ReplayChoice, ReplayProblem } from '../replay/replaySpec.js';
import type { MessageFeed } from './messageFeed.js';

import { FORM_MODES } from './formModes.js';
import type { FormMode } from './formModes.js';

export { FORM_MODE_LABELS, FORM_MODES } from './formModes.js';
export type { FormMode } from './formModes.js';

/** A problem with one field; `position`/`length` mark the offending text when known. */
export interface FieldProblem {
  message: string;
  position?: number;
  length?: number;
  /** `client`: found while typing; `server`: AMPS (or the main process) refused it. */
  source: 'client' | 'server';
}

/** The form as saved in a view's settings (JSON). */
export interface FormSettings {
  [key: string]: string | boolean | null;
  topic: string;
  filter: string;
  mode: FormMode;
  oof: boolean;
  timestamp: boolean;
  batchSize: string;
  /** The subscription running in main for this view, claimed across a reload. */
  subscriptionId: string | null;
  /** The replay choice of `bookmark` mode (JSON of a ReplayChoice). */
  replay: string;
}

/** What the subscription form and its status show. */
export interface SubscriptionSnapshot {
  topic: string;
  filter: string;
  mode: FormMode;
  oof: boolean;
  timestamp: boolean;
  /** SOW batch size as typed (sow_and_subscribe only); empty = server default. */
  batchSize: string;
  topicProblem: FieldProblem | undefined;
  filterProblem: FieldProblem | undefined;
  batchSizeProblem: string | undefined;
  /** `bookmark` mode: where the replay starts and how fast. */
  replay: ReplayChoice;
  replayProblems: ReplayProblem[];
  /** The server holds the replay paused (`pause` sent, no `resume` yet). */
  replayPaused: boolean;
  /** The live subscription, if any. */
  subscriptionId: string | undefined;
  busy: boolean;
  /** An error not tied to one field. */
  error: string | undefined;
  /** How the last subscription ended. */
  ended: string | undefined;
}

const POSITION = /at position (\d+)/;
const EARLY_LIMIT = 10_000;

const problemFromSyntax = (e: FilterSyntaxError, source: FieldProblem['source']): FieldProblem => ({
  message: e.message,
  position: e.position,
  length: e.length,
  source,
});

/** The problem a server-side message describes, with its position when the text names one. */
function serverProblem(message: string): FieldProblem {
  const match = POSITION.exec(message);
  return match?.[1] === undefined
    ? { message, source: 'server' }
    : { message, position: Number(match[1]), length: 1, source: 'server' };
}

/** Live validation of a topic: empty, or an invalid regular expression. */
export function checkTopic(topic: string): FieldProblem | undefined {
  if (topic.trim() === '')
    return { message: 'A topic is required (a name or a regular expression).', source: 'client' };
  try {
    compileTopicMatcher(topic);
    return undefined;
  } catch (e) {
    if (e instanceof FilterSyntaxError) return problemFromSyntax(e, 'client');
    throw e;
  }
}

/** Live validation of a content filter with the client's expression parser. */
export function checkFilterText(filter: string): FieldProblem | undefined {
  if (filter.trim() === '') return undefined;
  const e = checkFilter(filter);
  return e === undefined ? undefined : problemFromSyntax(e, 'client');
}

function checkBatchSize(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 1_000_000
    ? undefined
    : `Batch size must be a whole number from 1 to 1000000, got "${text}".`;
}

/**
 * The subscription form's logic and the subscription's life: validates topic and filter while
 * typing, places the subscription, routes its batches to the {@link MessageFeed}, and shows
 * the server's refusal next to the field it concerns.
 */
export class SubscriptionModel extends Model<SubscriptionSnapshot> {
  readonly feed: MessageFeed;
  readonly #api: ExplorerApi;
  readonly #stops: (() => void)[];
  /** Batches / ends that arrived while `subscribe` was in flight (the reply may trail them). */
  #early: (SubscriptionBatch | SubscriptionEndedEvent)[] = [];
  #earlyMessages = 0;

  constructor(api: ExplorerApi, feed: MessageFeed) {
    super({
      topic: '',
      filter: '',
      mode: 'subscribe',
      oof: false,
      timestamp: false,
      batchSize: '',
      topicProblem: undefined,
      filterProblem: undefined,
      batchSizeProblem: undefined,
      replay: DEFAULT_REPLAY,
      replayProblems: [],
      replayPaused: false,
      subscriptionId: undefined,
      busy: false,
      error: undefined,
      ended: undefined,
    });
    this.#api = api;
    this.feed = feed;
    this.#stops = [
      api.onSubscriptionBatch((batch) => this.#onBatch(batch)),
      api.onSubscriptionEnded((event) => this.#onEnded(event)),
    ];
  }

  setTopic(topic: string): void {
    this.update({ topic, topicProblem: topic === '' ? undefined : checkTopic(topic) });
  }

  setFilter(filter: string): void {
    this.update({ filter, filterProblem: checkFilterText(filter) });
  }

  setMode(mode: FormMode): void {
    this.update({ mode });
  }

  setOof(oof: boolean): void {
    this.update({ oof });
  }

  setTimestamp(timestamp: boolean): void {
    this.update({ timestamp });
  }

  setBatchSize(batchSize: string): void {
    this.update({ batchSize, batchSizeProblem: checkBatchSize(batchSize) });
  }

  /** Changes the replay choice of `bookmark` mode (checked as typed). */
  setReplay(patch: Partial<ReplayChoice>): void {
    const replay = { ...this.state.replay, ...patch };
    this.update({ replay, replayProblems: replayProblems(replay) });
  }

  /** The spec the form describes, or undefined (with the problems shown) when it is invalid. */
  buildSpec(connectionId: string): SubscribeSpec | undefined {
    const s = this.state;
    const topicProblem = checkTopic(s.topic);
    const filterProblem = checkFilterText(s.filter);
    const batchSizeProblem = s.mode === 'sow_and_subscribe' ? checkBatchSize(s.batchSize) : undefined;
    const replay = s.mode === 'bookmark' ? buildReplay(s.replay) : undefined;
    const problemsOfReplay = replay !== undefined && 'problems' in replay ? replay.problems : [];
    if (
      topicProblem !== undefined ||
      filterProblem !== undefined ||
      batchSizeProblem !== undefined ||
      problemsOfReplay.length > 0
    ) {
      this.update({ topicProblem, filterProblem, batchSizeProblem, replayProblems: problemsOfReplay });
      return undefined;
    }
    const replaySpec = replay !== undefined && 'spec' in replay ? replay.spec : undefined;
    // A replay always asks for message times: the readout shows the time being replayed.
    const optionWords = [
      s.oof && replaySpec === undefined ? 'oof' : '',
      s.timestamp || replaySpec !== undefined ? 'timestamp' : '',
      replaySpec?.options ?? '',
    ].filter((w) => w !== '');
    const options: SubscriptionOptions = {};
    if (replaySpec !== undefined) {
      options.bookmark = replaySpec.bookmark;
      options.replayCompleted = true;
    }
    if (optionWords.length > 0) options.options = optionWords.join(',');
    if (s.mode === 'sow_and_subscribe' && s.batchSize.trim() !== '') options.batchSize = Number(s.batchSize);
    return {
      connectionId,
      topic: s.topic,
      mode: s.mode,
      ...(s.filter.trim() === '' ? {} : { filter: s.filter }),
      ...(Object.keys(options).length === 0 ? {} : { options }),
    };
  }

  /** Places the subscription (replacing the current one) on `connectionId`. */
  async subscribe(connectionId: string): Promise<void> {
    if (this.state.busy) return;
    const spec = this.buildSpec(connectionId);
    if (spec === undefined) return;
    if (this.state.subscriptionId !== undefined) await this.unsubscribe();
    this.#early = [];
    this.#earlyMessages = 0;
    this.update({ busy: true, error: undefined, ended: undefined, replayPaused: false });
    this.feed.reset();
    try {
      const ref = await this.#api.subscribe(spec);
      this.update({ busy: false, subscriptionId: ref.subscriptionId });
      const early = this.#early;
      this.#early = [];
      for (const item of early) {
        if (item.subscriptionId !== ref.subscriptionId) continue;
        if ('messages' in item) this.#onBatch(item);
        else this.#onEnded(item);
      }
    } catch (error) {
      this.#early = [];
      this.update({ busy: false, ...this.#placeError(error) });
    }
  }

  /** The form as a view's persisted settings (plus the running subscription, if any). */
  settings(): FormSettings {
    const s = this.state;
    return {
      topic: s.topic,
      filter: s.filter,
      mode: s.mode,
      oof: s.oof,
      timestamp: s.timestamp,
      batchSize: s.batchSize,
      subscriptionId: s.subscriptionId ?? null,
      replay: JSON.stringify(s.replay),
    };
  }

  /** Fills the form from saved settings (unknown or mistyped fields are ignored). */
  restore(saved: Readonly<Record<string, unknown>>): void {
    const text = (key: string): string | undefined =>
      typeof saved[key] === 'string' ? saved[key] : undefined;
    const flag = (key: string): boolean | undefined =>
      typeof saved[key] === 'boolean' ? saved[key] : undefined;
    const topic = text('topic');
    const filter = text('filter');
    const mode = text('mode');
    const batchSize = text('batchSize');
    if (topic !== undefined) this.setTopic(topic);
    if (filter !== undefined) this.setFilter(filter);
    if (mode !== undefined && (FORM_MODES as readonly string[]).includes(mode))
      this.setMode(mode as FormMode);
    if (batchSize !== undefined) this.setBatchSize(batchSize);
    const replay = text('replay');
    if (replay !== undefined) {
      try {
        this.setReplay(restoreReplay(JSON.parse(replay)));
      } catch {
        // A replay choice that is not JSON: keep the default.
      }
    }
    const oof = flag('oof');
    const timestamp = flag('timestamp');
    if (oof !== undefined) this.setOof(oof);
    if (timestamp !== undefined) this.setTimestamp(timestamp);
  }

  /**
   * Takes over a subscription still running in main (after a page reload): its batches show
   * here again, counting on from what main reports.
   */
  adopt(subscriptionId: string, counts?: { received: number; delivered: number; dropped: number }): void {
    this.feed.reset();
    if (counts !== undefined) this.feed.setCounts(counts);
    this.update({ subscriptionId, busy: false, error: undefined, ended: undefined });
  }

  /** The subscription this view ran is no longer in main (the host restarted, or it ended). */
  gone(reason: string): void {
    this.update({
      subscriptionId: undefined,
      busy: false,
      ended: `The subscription this view ran is no longer running (${reason}). Subscribe to start it again.`,
    });
  }

  /** Pauses or resumes the running replay on the server (AMPS `pause` / `resume`). */
  async controlReplay(action: 'pause' | 'resume'): Promise<void> {
    const id = this.state.subscriptionId;
    if (id === undefined || this.state.mode !== 'bookmark') return;
    try {
      await this.#api.controlReplay({ subscriptionId: id, action });
      this.update({ replayPaused: action === 'pause', error: undefined });
    } catch (error) {
      this.update({
        error: `${action === 'pause' ? 'Pausing' : 'Resuming'} the replay failed: ${messageOf(error)}`,
      });
    }
  }

  /** Ends the current subscription. */
  async unsubscribe(): Promise<void> {
    const id = this.state.subscriptionId;
    if (id === undefined) return;
    this.update({ subscriptionId: undefined, ended: 'Unsubscribed.' });
    try {
      await this.#api.unsubscribe({ subscriptionId: id });
    } catch (error) {
      this.update({ error: `Unsubscribe failed: ${messageOf(error)}` });
    }
  }

  /** The connection went away: the subscription is over (the main process ends it too). */
  connectionLost(): void {
    if (this.state.subscriptionId === undefined) return;
    this.update({ subscriptionId: undefined, ended: 'The connection closed.' });
  }

  /** Stops listening to the API. */
  dispose(): void {
    for (const stop of this.#stops) stop();
    this.feed.dispose();
  }

  #placeError(error: unknown): Partial<SubscriptionSnapshot> {
    const message = messageOf(error);
    if (isExplorerError(error)) {
      const name = error.name;
      const code = error.code;
      if (/regex topic/i.test(message) || code === 'bad regex topic' || /topic/i.test(code)) {
        return { topicProblem: serverProblem(message) };
      }
      if (name === 'BadFilterError' || name === 'FilterSyntaxError' || code === 'bad filter') {
        return { filterProblem: serverProblem(message) };
      }
      if (name === 'ValidationError' && /payload\.filter/.test(message))
        return { filterProblem: serverProblem(message) };
      if (name === 'ValidationError' && /payload\.topic/.test(message))
        return { topicProblem: serverProblem(message) };
    }
    return { error: `Subscribe failed: ${message}` };
  }

  #onBatch(batch: SubscriptionBatch): void {
    const id = this.state.subscriptionId;
    if (id === undefined) {
      if (this.state.busy && this.#earlyMessages + batch.messages.length <= EARLY_LIMIT) {
        this.#early.push(batch);
        this.#earlyMessages += batch.messages.length;
      }
      return;
    }
    if (batch.subscriptionId === id) this.feed.push(batch);
  }

  #onEnded(event: SubscriptionEndedEvent): void {
    const id = this.state.subscriptionId;
    if (id === undefined) {
      if (this.state.busy) this.#early.push(event);
      return;
    }
    if (event.subscriptionId !== id) return;
    this.feed.setCounts(event);
    const why: Record<SubscriptionEndedEvent['reason'], string> = {
      unsubscribed: 'Unsubscribed.',
      'connection-closed': 'The connection closed.',
      error: 'The subscription failed',
      'server-ended': 'The server ended the subscription.',
    };
    const detail = event.error === undefined ? '' : `: ${event.error.message}`;
    // The server refused the filter after accepting the command: show its reason at the filter.
    const refused =
      event.error !== undefined &&
      (event.error.code === 'bad filter' || /^(BadFilterError|FilterSyntaxError)$/.test(event.error.name));
    this.update({
      subscriptionId: undefined,
      ended: `${why[event.reason]}${detail}`,
      ...(refused && event.error !== undefined ? { filterProblem: serverProblem(event.error.message) } : {}),
    });
  }
}
