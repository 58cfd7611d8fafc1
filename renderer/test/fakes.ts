import type {
  ConnectionInfo,
  ConnectionStatusEvent,
  OpenConnectionRequest,
} from '../../common/src/dto/connections.js';
import type { SandboxInfo } from '../../common/src/dto/sandbox.js';
import type {
  MessageDto,
  SubscribeSpec,
  SubscriptionBatch,
  SubscriptionEndedEvent,
  SubscriptionRef,
} from '../../common/src/dto/subscriptions.js';
import type { ExplorerApi } from '../../common/src/ipc/contract.js';
import type { FrameScheduler } from '../src/lib/frameScheduler.js';
import type { SearchableList } from '../src/subscriptions/search.js';

type Listener<T> = (value: T) => void;

/** `members`, then `extra`, then a rejection (requests) or an inert stream (`onX`) for the rest. */
function withFallback(extra: Partial<ExplorerApi>, members: Partial<ExplorerApi>): ExplorerApi {
  return new Proxy(members, {
    get(target, name) {
      if (typeof name !== 'string') return undefined;
      const own = (extra as Record<string, unknown>)[name] ?? (target as Record<string, unknown>)[name];
      if (own !== undefined) return own;
      if (name.startsWith('on')) return () => () => undefined;
      return () => Promise.reject(new Error(`${name} is not in the fake`));
    },
  }) as ExplorerApi;
}

/** An in-memory ExplorerApi: requests are answered by overridable handlers; events are emitted by hand. */
export class FakeApi {
  readonly calls: { name: string; payload: unknown }[] = [];
  readonly statusListeners = new Set<Listener<ConnectionStatusEvent>>();
  readonly batchListeners = new Set<Listener<SubscriptionBatch>>();
  readonly endedListeners = new Set<Listener<SubscriptionEndedEvent>>();
  readonly sandboxListeners = new Set<Listener<SandboxInfo>>();

  sandbox: SandboxInfo = {
    state: 'running',
    connectionStrings: ['tcp://127.0.0.1:41234/amps/json'],
    profileId: 'sandbox',
  };
  connections: ConnectionInfo[] = [];
  openConnection: (request: OpenConnectionRequest) => Promise<ConnectionInfo> = (request) =>
    Promise.resolve({
      connectionId: 'c1',
      name: 'test',
      connectionString:
        'connectionString' in request ? request.connectionString : 'tcp://127.0.0.1:41234/amps/json',
      servers: ['connectionString' in request ? request.connectionString : 'tcp://127.0.0.1:41234/amps/json'],
      state: 'loggedOn',
      openedAt: 0,
    });
  subscribe: (spec: SubscribeSpec) => Promise<SubscriptionRef> = () =>
    Promise.resolve({ subscriptionId: 's1' });

  /** Extra members a test sets (listSubscriptions, attachSubscription, listTopics, ...). */
  readonly extra: Partial<ExplorerApi> = {};

  /**
   * The fake API. Members not written here (the contract grows with every view) answer with a
   * rejection naming them, or an inert event stream, unless a test sets them in {@link extra}.
   */
  readonly api: ExplorerApi = withFallback(this.extra, {
    getAppInfo: () =>
      Promise.resolve({
        mode: 'browser',
        version: '0.0.0',
        secretStorage: { persistent: false, backend: 'memory' },
      }),
    listProfiles: () => Promise.resolve({ profiles: [], problems: [], secretsPersistent: false }),
    saveProfile: () => Promise.reject(new Error('not in the fake')),
    deleteProfile: () => Promise.resolve(),
    openConnection: (request) => this.#record('openConnection', request, () => this.openConnection(request)),
    closeConnection: (request) => this.#record('closeConnection', request, () => Promise.resolve()),
    listConnections: () => Promise.resolve(this.connections),
    onConnectionStatus: (cb) => this.#listen(this.statusListeners, cb),
    subscribe: (spec) => this.#record('subscribe', spec, () => this.subscribe(spec)),
    unsubscribe: (request) => this.#record('unsubscribe', request, () => Promise.resolve()),
    pauseSubscription: () => Promise.resolve(),
    resumeSubscription: () => Promise.resolve(),
    controlReplay: () => Promise.resolve(),
    getMessagePayload: () => Promise.reject(new Error('no payload in the fake')),
    onSubscriptionBatch: (cb) => this.#listen(this.batchListeners, cb),
    onSubscriptionEnded: (cb) => this.#listen(this.endedListeners, cb),
    getSandboxInfo: () => this.#record('getSandboxInfo', undefined, () => Promise.resolve(this.sandbox)),
    onSandboxStatus: (cb) => this.#listen(this.sandboxListeners, cb),
  });

  emitStatus(event: ConnectionStatusEvent): void {
    for (const l of this.statusListeners) l(event);
  }

  emitBatch(batch: SubscriptionBatch): void {
    for (const l of this.batchListeners) l(batch);
  }

  emitSandbox(info: SandboxInfo): void {
    for (const l of this.sandboxListeners) l(info);
  }

  emitEnded(event: SubscriptionEndedEvent): void {
    for (const l of this.endedListeners) l(event);
  }

  named(name: string): unknown[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.payload);
  }

  #record<T>(name: string, payload: unknown, run: () => Promise<T>): Promise<T> {
    this.calls.push({ name, payload });
    return run();
  }

  #listen<T>(set: Set<Listener<T>>, cb: Listener<T>): () => void {
    set.add(cb);
    return () => {
      set.delete(cb);
    };
  }
}

/** A frame scheduler run by hand: `runFrame()` plays what was requested. */
export class ManualScheduler implements FrameScheduler {
  #next = 1;
  readonly queued = new Map<number, () => void>();

  request(callback: () => void): unknown {
    const id = this.#next++;
    this.queued.set(id, callback);
    return id;
  }

  cancel(handle: unknown): void {
    this.queued.delete(handle as number);
  }

  runFrame(): void {
    const callbacks = [...this.queued.values()];
    this.queued.clear();
    for (const cb of callbacks) cb();
  }
}

/** Messages as a search reads them, in the given order. */
export const searchableList = (messages: readonly MessageDto[]): SearchableList => ({
  count: messages.length,
  rowAt: (row) => messages[row],
});

/** A message with defaults. */
export function message(index: number, extra: Partial<MessageDto> = {}): MessageDto {
  const data = JSON.stringify({ id: index });
  return {
    index,
    command: 'p',
    topic: 'orders',
    data,
    size: data.length,
    truncated: false,
    receivedAt: 1_700_000_000_000 + index,
    ...extra,
  };
}

/** A batch of messages `from..to` (inclusive) with running counts. */
export function batch(subscriptionId: string, from: number, to: number, dropped = 0): SubscriptionBatch {
  const messages: MessageDto[] = [];
  for (let i = from; i <= to; i++) messages.push(message(i));
  return { subscriptionId, messages, received: to + dropped, delivered: to, dropped };
}

/** Lets pending promise callbacks run. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
