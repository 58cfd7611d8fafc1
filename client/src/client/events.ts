/**
 * The event side of the Client: connection status (listeners and an async iterable), the
 * application's handlers (last chance, exception listener, disconnect handler, handlers per
 * command type) and how their failures are reported.
 */
import { UsageError } from '../errors.js';
import type { Message } from '../protocol/message.js';
import {
  StatusHub,
  type ConnectionState,
  type ConnectionStateListener,
  type ConnectionStatus,
} from '../status.js';
import { formatUri, type AmpsUri } from '../uri.js';
import type { ExceptionListener, Logger, MessageHandler, Timers } from './hooks.js';

/** Called when a connection ends unexpectedly (the seed's disconnect handler). */
export type DisconnectHandler = (client: ClientEvents, error: Error) => void;

/** Status and application handlers, shared by every Client layer. */
export class ClientEvents {
  protected readonly statusHub: StatusHub;
  /** The URI of the current (or last) connection. */
  protected parsedUri: AmpsUri | undefined;
  private lastChanceHandler: MessageHandler | undefined;
  private exceptionListener: ExceptionListener | undefined;
  private disconnectHandler: DisconnectHandler | undefined;
  private readonly globalHandlers = new Map<string, MessageHandler>();

  constructor(
    protected readonly timers: Timers,
    protected readonly logger: Logger | undefined,
  ) {
    this.statusHub = new StatusHub((e) => this.reportException(e));
  }

  /** Calls an application handler, reporting what it throws to the exception listener. */
  protected safely(handler: MessageHandler, message: Message): boolean {
    try {
      handler(message);
      return true;
    } catch (e) {
      this.reportException(e);
      return false;
    }
  }

  /** Reports an asynchronous failure to the exception listener (or the logger). */
  protected reportException(error: unknown): void {
    if (this.exceptionListener) {
      try {
        this.exceptionListener(error);
        return;
      } catch {
        // a failing listener must not break message processing
      }
    }
    this.logger?.error?.('unhandled error in an application handler', error);
  }

  protected emitStatus(state: ConnectionState, error?: Error): void {
    const status: ConnectionStatus = { state, at: this.timers.now() };
    const uri = this.uriForDisplay();
    if (uri) status.uri = uri;
    if (error) status.error = error;
    this.statusHub.emit(status);
  }

  /** The URI with the password replaced by `***`. */
  protected uriForDisplay(): string {
    return this.parsedUri ? formatUri(this.parsedUri, { redactPassword: true }) : '';
  }

  /** Adds a connection-state listener; returns a function that removes it. */
  addConnectionStateListener(listener: ConnectionStateListener): () => void {
    return this.statusHub.add(listener);
  }
  /** Removes a connection-state listener. */
  removeConnectionStateListener(listener: ConnectionStateListener): void {
    this.statusHub.remove(listener);
  }
  /** Status changes from now on as an async iterable. */
  status(): AsyncIterable<ConnectionStatus> {
    return this.statusHub.stream();
  }
  /** The latest status. */
  get currentStatus(): ConnectionStatus | undefined {
    return this.statusHub.current;
  }
  /** Handler for messages no route wants (the seed's last-chance / unhandled message handler). */
  setLastChanceMessageHandler(handler: MessageHandler | undefined): void {
    this.lastChanceHandler = handler;
  }
  /** Seed alias of {@link setLastChanceMessageHandler}. */
  setUnhandledMessageHandler(handler: MessageHandler | undefined): void {
    this.lastChanceHandler = handler;
  }
  /** Receives errors thrown by application handlers and listeners. */
  setExceptionListener(listener: ExceptionListener | undefined): void {
    this.exceptionListener = listener;
  }
  /** The exception listener. */
  getExceptionListener(): ExceptionListener | undefined {
    return this.exceptionListener;
  }
  /** Called when the connection ends without the application asking (HA reconnects here). */
  setDisconnectHandler(handler: DisconnectHandler | undefined): void {
    this.disconnectHandler = handler;
  }
  /** Handler for every message of one command type (`heartbeat`, `ack`, `publish`, ...), before routing. */
  setGlobalCommandTypeMessageHandler(command: string, handler: MessageHandler | undefined): void {
    const name = command === 'p' ? 'publish' : command;
    if (name === '') throw new UsageError('command type must not be empty', { code: 'invalid argument' });
    if (handler) this.globalHandlers.set(name, handler);
    else this.globalHandlers.delete(name);
  }

  /** The handler for one command type, if any. */
  protected globalHandler(command: string): MessageHandler | undefined {
    return this.globalHandlers.get(command);
  }

  /** The last-chance handler, if any. */
  protected lastChance(): MessageHandler | undefined {
    return this.lastChanceHandler;
  }

  /** Tells the disconnect handler about an unexpected disconnect. */
  protected notifyDisconnect(error: Error): void {
    if (!this.disconnectHandler) return;
    try {
      this.disconnectHandler(this, error);
    } catch (e) {
      this.reportException(e);
    }
  }
}
