import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { browserClock, browserFrameScheduler } from '../lib/frameScheduler.js';
import { Live } from '../lib/live.svelte.js';
import { MessageFeed } from './messageFeed.js';
import type { FeedSnapshot } from './messageFeed.js';
import { SubscriptionModel } from './subscriptionModel.js';
import type { SubscriptionSnapshot } from './subscriptionModel.js';

/** How often the rate display refreshes (so it decays to 0 when the stream stops). */
const RATE_TICK_MS = 500;
/** Shortest time between two updates of the list's rows on a fast stream (10 a second). */
const LIST_FRAME_MS = 100;

/** The subscription view's controller: form + live feed, each mirrored reactively. */
export class SubscriptionController {
  readonly model: SubscriptionModel;
  readonly feed: MessageFeed;
  readonly #form: Live<SubscriptionSnapshot>;
  readonly #feed: Live<FeedSnapshot>;
  readonly #ticker: ReturnType<typeof setInterval>;

  constructor(api: ExplorerApi, capacity?: number) {
    this.feed = new MessageFeed({
      scheduler: browserFrameScheduler(),
      clock: browserClock,
      minFrameMs: LIST_FRAME_MS,
      ...(capacity === undefined ? {} : { capacity }),
    });
    this.model = new SubscriptionModel(api, this.feed);
    this.#form = new Live(this.model);
    this.#feed = new Live(this.feed);
    this.#ticker = setInterval(() => this.feed.tick(), RATE_TICK_MS);
  }

  /** The form's snapshot (reactive). */
  get form(): SubscriptionSnapshot {
    return this.#form.current;
  }

  /** The list's snapshot (reactive). */
  get list(): FeedSnapshot {
    return this.#feed.current;
  }

  dispose(): void {
    clearInterval(this.#ticker);
    this.#form.dispose();
    this.#feed.dispose();
    this.model.dispose();
  }
}
