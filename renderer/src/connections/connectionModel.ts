import { validateUri } from '../../../client/src/uri.js';
import type { UriProblem } from '../../../client/src/uri.js';
import type {
  ConnectionInfo,
  ConnectionState,
  ConnectionStatusEvent,
} from '../../../common/src/dto/connections.js';
import type { SandboxInfo } from '../../../common/src/dto/sandbox.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Model, messageOf } from '../lib/model.js';

/** What the connection panel shows. */
export interface ConnectionSnapshot {
  /** The connection string as typed. */
  text: string;
  /** The first problem of `text` (position and length for underlining), live. */
  problem: UriProblem | undefined;
  password: string;
  /** The connection in use, once opened. */
  connection: ConnectionInfo | undefined;
  /** `idle` before the first connect. */
  state: ConnectionState | 'idle';
  /** A request is in flight. */
  busy: boolean;
  /** Last error, for the user. */
  error: string | undefined;
  sandbox: SandboxInfo | undefined;
}

/** States in which subscriptions can be placed on the connection. */
const USABLE: ReadonlySet<ConnectionState | 'idle'> = new Set([
  'loggedOn',
  'connecting',
  'reconnecting',
  'failedOver',
  'heartbeatMissed',
]);
/** States in which the connection is over. */
const OVER: ReadonlySet<ConnectionState | 'idle'> = new Set(['closed', 'failed', 'idle']);

/** True when the panel's connection can carry a subscription. */
export const isUsable = (s: ConnectionSnapshot): boolean => s.connection !== undefined && USABLE.has(s.state);
/** True when a connect button makes sense (nothing open or the last one is over). */
export const canConnect = (s: ConnectionSnapshot): boolean =>
  !s.busy && (s.connection === undefined || OVER.has(s.state));

const EARLY_LIMIT = 32;

/**
 * The connection panel's logic: live connection-string validation, the Local sandbox choice,
 * connect / disconnect, and the status stream of the connection in use.
 */
export class ConnectionModel extends Model<ConnectionSnapshot> {
  readonly #api: ExplorerApi;
  readonly #stops: (() => void)[];
  /** Status events that arrived before `openConnection` answered, by connection id. */
  readonly #early = new Map<string, ConnectionStatusEvent>();

  constructor(api: ExplorerApi) {
    super({
      text: '',
      problem: undefined,
      password: '',
      connection: undefined,
      state: 'idle',
      busy: false,
      error: undefined,
      sandbox: undefined,
    });
    this.#api = api;
    this.#stops = [
      api.onConnectionStatus((event) => this.#onStatus(event)),
      api.onSandboxStatus((sandbox) => this.update({ sandbox })),
    ];
  }

  /** Loads the sandbox state and adopts a connection that is already open (after a reload). */
  async load(): Promise<void> {
    try {
      const [sandbox, open] = await Promise.all([this.#api.getSandboxInfo(), this.#api.listConnections()]);
      const current = open.find((c) => !OVER.has(c.state));
      this.update({
        sandbox,
        ...(current === undefined || this.state.connection !== undefined
          ? {}
          : {
              connection: current,
              state: current.state,
              text: current.connectionString,
              problem: undefined,
            }),
      });
    } catch (error) {
      this.update({ error: `Could not load the connection state: ${messageOf(error)}` });
    }
  }

  /** Sets the connection string and validates it at once. */
  setText(text: string): void {
    this.update({ text, problem: text.trim() === '' ? undefined : validateUri(text), error: undefined });
  }

  setPassword(password: string): void {
    this.update({ password });
  }

  /** Opens the typed connection string. Refuses (with a message) while it has a problem. */
  async connect(): Promise<void> {
    const { text, problem, password } = this.state;
    if (text.trim() === '') {
      this.update({
        error: 'Type a connection string, e.g. tcp://127.0.0.1:9007/amps/json, or pick the Local sandbox.',
      });
      return;
    }
    if (problem !== undefined) {
      this.update({ error: `Fix the connection string first: ${problem.message}` });
      return;
    }
    await this.#open(() =>
      this.#api.openConnection(
        password === '' ? { connectionString: text } : { connectionString: text, password },
      ),
    );
  }

  /** Connects to the app's local sandbox server through its built-in profile. */
  async connectSandbox(): Promise<void> {
    if (this.state.busy) return;
    this.update({ busy: true, error: undefined });
    let sandbox: SandboxInfo;
    try {
      sandbox = await this.#api.getSandboxInfo();
    } catch (error) {
      this.update({ busy: false, error: `Could not ask for the local sandbox: ${messageOf(error)}` });
      return;
    }
    this.update({ sandbox });
    if (sandbox.state !== 'running' || sandbox.profileId === undefined) {
      const why = sandbox.error === undefined ? '' : `: ${sandbox.error.message}`;
      this.update({ busy: false, error: `The local sandbox is ${sandbox.state}${why}` });
      return;
    }
    const profileId = sandbox.profileId;
    const text = sandbox.connectionStrings[0];
    if (text !== undefined) this.update({ text, problem: validateUri(text) });
    this.update({ busy: false });
    await this.#open(() => this.#api.openConnection({ profileId }));
  }

  /** Closes the connection in use. */
  async disconnect(): Promise<void> {
    const connection = this.state.connection;
    if (connection === undefined || this.state.busy) return;
    this.update({ busy: true, error: undefined });
    try {
      await this.#api.closeConnection({ connectionId: connection.connectionId });
      this.update({ busy: false, state: 'closed' });
    } catch (error) {
      this.update({ busy: false, error: `Disconnect failed: ${messageOf(error)}` });
    }
  }

  /** Stops listening to status events. */
  dispose(): void {
    for (const stop of this.#stops) stop();
  }

  async #open(request: () => Promise<ConnectionInfo>): Promise<void> {
    if (this.state.busy) return;
    this.#early.clear();
    this.update({ busy: true, error: undefined, state: 'connecting', connection: undefined });
    try {
      const info = await request();
      const early = this.#early.get(info.connectionId);
      this.#early.clear();
      const state = early?.state ?? info.state;
      const error = early?.error ?? info.error;
      this.update({
        busy: false,
        connection: info,
        state,
        error: error === undefined ? undefined : error.message,
      });
    } catch (error) {
      this.update({ busy: false, state: 'failed', error: messageOf(error) });
    }
  }

  #onStatus(event: ConnectionStatusEvent): void {
    const current = this.state.connection;
    if (current === undefined) {
      if (this.state.busy && this.#early.size < EARLY_LIMIT) this.#early.set(event.connectionId, event);
      return;
    }
    if (event.connectionId !== current.connectionId) return;
    this.update({
      state: event.state,
      connection: {
        ...current,
        state: event.state,
        ...(event.connectionString === undefined ? {} : { connectionString: event.connectionString }),
      },
      error: event.error?.message,
    });
  }
}
