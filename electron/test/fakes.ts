import type {
  AmpsConnectionFactory,
  AmpsConnectionLike,
  AmpsConnectionOptions,
  AmpsMessageLike,
  AmpsPublishOutcome,
  AmpsPublishParams,
  AmpsStatusLike,
  AmpsSubscribeParams,
  AmpsSubscriptionLike,
} from '../main/services/ampsAdapter.js';

/** A subscription whose messages the test pushes; iteration ends on end()/fail()/unsubscribe(). */
export class FakeSubscription implements AmpsSubscriptionLike {
  readonly #queue: AmpsMessageLike[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  #error: unknown;
  unsubscribed = 0;

  constructor(
    readonly subId: string,
    readonly params: AmpsSubscribeParams,
    readonly kind: string,
  ) {}

  push(data: string, header: Record<string, string> = {}): void {
    this.#queue.push({
      header: { command: 'p', topic: this.params.topic, ...header },
      payload: new TextEncoder().encode(data),
    });
    this.#wake?.();
  }

  /** Delivers a payload of raw bytes (binary message types). */
  pushBytes(payload: Uint8Array, header: Record<string, string> = {}): void {
    this.#queue.push({ header: { command: 'p', topic: this.params.topic, ...header }, payload });
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  fail(error: unknown): void {
    this.#error = error;
    this.end();
  }

  async unsubscribe(): Promise<void> {
    this.unsubscribed++;
    this.end();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<AmpsMessageLike> {
    for (;;) {
      const next = this.#queue.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.#ended) {
        if (this.#error !== undefined) throw this.#error;
        return;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}

/** A client that records calls; subscriptions are FakeSubscriptions. */
export class FakeConnection implements AmpsConnectionLike {
  readonly calls: string[] = [];
  readonly subscriptions: FakeSubscription[] = [];
  readonly published: Array<{ topic: string; data: string; params: AmpsPublishParams }> = [];
  readonly #status = new Set<(s: AmpsStatusLike) => void>();
  /** Every server refuses with this error (one `attemptFailed` per server, then the open fails). */
  connectError: unknown;
  subscribeError: unknown;
  /** What publish resolves with. */
  publishOutcome: AmpsPublishOutcome = { serverIndex: 0 };
  closed = false;

  constructor(readonly options: AmpsConnectionOptions) {}

  async connectAndLogon(): Promise<void> {
    this.calls.push('connectAndLogon');
    this.emit({ state: 'connecting', serverIndex: 0 });
    if (this.connectError !== undefined) {
      this.options.uris.forEach((_uri, serverIndex) =>
        this.emit({ state: 'attemptFailed', serverIndex, error: this.connectError }),
      );
      throw this.connectError;
    }
    this.emit({ state: 'loggedOn', serverIndex: 0 });
  }
  #sub(kind: string, params: AmpsSubscribeParams): Promise<FakeSubscription> {
    this.calls.push(`${kind} ${params.topic}`);
    if (this.subscribeError !== undefined) return Promise.reject(this.subscribeError);
    const sub = new FakeSubscription(`s${this.subscriptions.length + 1}`, params, kind);
    this.subscriptions.push(sub);
    return Promise.resolve(sub);
  }
  subscribe(p: AmpsSubscribeParams) {
    return this.#sub('subscribe', p);
  }
  deltaSubscribe(p: AmpsSubscribeParams) {
    return this.#sub('delta_subscribe', p);
  }
  sowAndSubscribe(p: AmpsSubscribeParams) {
    return this.#sub('sow_and_subscribe', p);
  }
  bookmarkSubscribe(p: AmpsSubscribeParams & { bookmark: string }) {
    return this.#sub('bookmark_subscribe', p);
  }
  async publish(topic: string, data: string, params: AmpsPublishParams = {}): Promise<AmpsPublishOutcome> {
    this.published.push({ topic, data, params });
    return this.publishOutcome;
  }
  reconnectNow(): boolean {
    this.calls.push('reconnectNow');
    return true;
  }
  simulateFailover(): void {
    this.calls.push('simulateFailover');
  }
  unpersisted(): { count: number; messages: [] } {
    return { count: 0, messages: [] };
  }
  failedWrites(): { count: number } {
    return { count: 0 };
  }
  mostRecentBookmark(): string | undefined {
    return undefined;
  }
  onStatus(listener: (s: AmpsStatusLike) => void): () => void {
    this.#status.add(listener);
    return () => this.#status.delete(listener);
  }
  emit(status: AmpsStatusLike): void {
    for (const l of [...this.#status]) l(status);
  }
  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.subscriptions) s.end();
  }
}

/** A factory remembering every connection it built. */
export function fakeFactory(
  setup?: (c: FakeConnection) => void,
): AmpsConnectionFactory & { built: FakeConnection[] } {
  const built: FakeConnection[] = [];
  return {
    built,
    create(options) {
      const c = new FakeConnection(options);
      setup?.(c);
      built.push(c);
      return c;
    },
  };
}

/** Lets pending promise callbacks and async iterators run. */
export const settle = async (rounds = 5): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
};
