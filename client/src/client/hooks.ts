/**
 * The seams of the Client: transport factory, timers, logger, and the hooks through which
 * the publish and bookmark stores (written separately) take part in publishing and routing.
 */
import type { Message } from '../protocol/message.js';
import type { HeaderFields } from '../protocol/fields.js';
import type { Transport, TransportHandlers } from '../transport/transport.js';

/** Opens a transport for a connection string; the client passes its handlers. */
export type TransportFactory = (uri: string, handlers: TransportHandlers) => Promise<Transport>;

/** Timer functions; injectable so tests can drive time. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  now(): number;
}

/** The global timers, looked up at call time (so fake timers installed later apply). */
export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
  now: () => Date.now(),
};

/** Minimal logger; the library never writes to the console itself. */
export interface Logger {
  debug?(message: string, detail?: unknown): void;
  warn?(message: string, detail?: unknown): void;
  error?(message: string, detail?: unknown): void;
}

/** Receives each message of a command (the seed's message handler). */
export type MessageHandler = (message: Message) => void;

/** Receives errors thrown by application handlers and other asynchronous failures. */
export type ExceptionListener = (error: unknown) => void;

/**
 * Publish store hook (spec §4.4, §5.5, §6.3): when set, every publish, delta publish and
 * sow delete is stored under a sequence number before it is sent, sent with `a=persisted`
 * and `s`, and discarded when a persisted ack covers it.
 */
export interface PublishStoreHook {
  /** Stores the command and returns its sequence number (decimal text, > 0). */
  store(fields: Readonly<HeaderFields>, data: Buffer | undefined): string;
  /** The server has persisted everything up to and including `sequence`. */
  discardUpTo(sequence: string): void;
  /** Messages stored and not yet acknowledged as persisted. */
  unpersistedCount(): number;
  /** Re-sends every held message, in sequence order (called after each logon). */
  replay?(send: (fields: Readonly<HeaderFields>, data: Buffer | undefined) => void): void;
  /** Resolves once everything stored before the call is persisted; rejects after `timeoutMs`. */
  flush?(timeoutMs: number): Promise<void>;
}

/**
 * Bookmark store hook (spec §8.6): duplicate detection and recovery points for bookmark
 * subscriptions.
 */
export interface BookmarkStoreHook {
  /** Records that a message with this bookmark arrived; false when it is a duplicate. */
  log(subId: string, bookmark: string): boolean;
  /** A persisted ack for the subscription (`sub_id` + `bm`). */
  persisted(subId: string, bookmark: string): void;
  /** The bookmark to (re)subscribe from when the application asks for MOST_RECENT. */
  mostRecent(subId: string): string;
  /** The application has processed the message with this bookmark (`client.ack(message)`). */
  discard?(subId: string, bookmark: string): void;
}

/**
 * Sees the conversation with the server as the client already holds it (a wire inspector):
 * no second parse, no copy. Called synchronously on the client's hot paths, so it must be
 * cheap, must not keep or change what it is given beyond the call, and should not throw
 * (what it throws goes to the exception listener).
 */
export interface CommandTap {
  /** A command the client sent: its header fields and the payload size in bytes. */
  sent(fields: Readonly<HeaderFields>, payloadBytes: number): void;
  /** A message the client received, decoded once (one call per record of a SOW batch). */
  received(message: Message): void;
}

/** Told about publishes the server refused in a persisted ack (spec §5.5). */
export type FailedWriteHandler = (ack: Message, reason: string) => void;
