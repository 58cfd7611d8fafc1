/**
 * Server choosers (spec §12.2; seed DefaultServerChooser, DefaultAuthenticator): which URI
 * the HA client connects to next, and with which authenticator.
 */
import { redactUri } from '../uri/credentials.js';

/**
 * Authenticates a logon (seed DefaultAuthenticator), e.g. to fetch a token. Methods may
 * answer synchronously or with a promise, so the client's own authenticators fit too.
 */
export interface Authenticator {
  /** Returns the password (or token) to send in the logon for `user`. */
  authenticate(user: string, password: string): string | Promise<string>;
  /** The server asked to retry (status `retry`); returns the next password or token. */
  retry(user: string, password: string): string | Promise<string>;
  /** Logon finished with the server's final user, password and reason. */
  completed(user: string, password: string, reason: string): void;
}

/** Used for servers added without an authenticator: sends the password unchanged. */
const passThrough: Authenticator = {
  authenticate: (_user, password) => password,
  retry: (_user, password) => password,
  completed: () => undefined,
};

/** Properties of a connection attempt (URI, client name, ...), as strings. */
export type ConnectionInfo = Readonly<Record<string, string>>;

/** Chooses servers for the HA client. */
export interface ServerChooser {
  /** The URI to connect to now, or undefined when no server should be tried. */
  getCurrentURI(): string | undefined;
  /** The authenticator for the current URI. */
  getCurrentAuthenticator(): Authenticator;
  /** A connection attempt failed; the chooser usually moves on to another server. */
  reportFailure(error: Error, info: ConnectionInfo): void;
  /** A connection attempt succeeded. */
  reportSuccess(info: ConnectionInfo): void;
  /** Text describing the failures so far, for the error the HA client raises; empty when none. */
  getError(): string;
}

/** One failed connection attempt, as kept by {@link DefaultServerChooser}. */
export interface ServerFailure {
  uri: string;
  error: Error;
  info: ConnectionInfo;
}

/**
 * Whether a failure was the application's own disconnect, which must not move the chooser on.
 * Recognised by `info.userInitiated === 'true'`, or an error with `userInitiated: true`.
 */
export function isUserInitiated(error: Error, info: ConnectionInfo): boolean {
  return (
    info.userInitiated === 'true' || (error as Error & { userInitiated?: unknown }).userInitiated === true
  );
}

// Hides the password of `scheme://user:password@host` URIs: the connection strings' own splitter.
export { redactUri };

/** Most failures kept by {@link DefaultServerChooser} (the oldest are dropped beyond it). */
const MAX_FAILURES = 1000;

/**
 * An ordered list of URIs, each with an optional authenticator: starts at the first, moves to
 * the next on each failure and wraps around; stays on success. Every failed attempt's error is
 * kept (until the next success) so exhaustion can be reported with each server's error.
 */
export class DefaultServerChooser implements ServerChooser {
  private readonly servers: Array<{ uri: string; authenticator: Authenticator }> = [];
  private current = 0;
  private failures: ServerFailure[] = [];
  private readonly defaultAuthenticator = passThrough;

  /** @param uris the initial URIs, in order */
  constructor(uris: readonly string[] = []) {
    this.addAll(uris);
  }

  /** Adds a URI (with an authenticator for that server only, if given). */
  add(uri: string, authenticator?: Authenticator): this {
    if (uri.trim().length === 0) throw new RangeError('a server chooser URI must not be empty');
    this.servers.push({ uri, authenticator: authenticator ?? this.defaultAuthenticator });
    return this;
  }

  /** Adds several URIs in order. */
  addAll(uris: readonly string[]): this {
    for (const uri of uris) this.add(uri);
    return this;
  }

  /** Removes every occurrence of `uri`; the current position stays on the same server when it remains. */
  remove(uri: string): this {
    const current = this.servers[this.current];
    for (let i = this.servers.length - 1; i >= 0; i--)
      if (this.servers[i]?.uri === uri) this.servers.splice(i, 1);
    const kept = current ? this.servers.indexOf(current) : -1;
    this.current = kept >= 0 ? kept : this.servers.length === 0 ? 0 : this.current % this.servers.length;
    return this;
  }

  /** Number of servers in the list. */
  get size(): number {
    return this.servers.length;
  }

  /** {@inheritDoc ServerChooser.getCurrentURI} */
  getCurrentURI(): string | undefined {
    return this.servers[this.current]?.uri;
  }

  /** {@inheritDoc ServerChooser.getCurrentAuthenticator} */
  getCurrentAuthenticator(): Authenticator {
    return this.servers[this.current]?.authenticator ?? this.defaultAuthenticator;
  }

  /** Moves to the next server, wrapping around at the end of the list. */
  next(): void {
    if (this.servers.length > 0) this.current = (this.current + 1) % this.servers.length;
  }

  /** Records the failure and moves on, unless the application itself disconnected. */
  reportFailure(error: Error, info: ConnectionInfo): void {
    if (isUserInitiated(error, info)) return;
    const uri = this.getCurrentURI();
    if (uri !== undefined) {
      this.failures.push({ uri, error, info });
      if (this.failures.length > MAX_FAILURES) this.failures.splice(0, this.failures.length - MAX_FAILURES);
    }
    this.next();
  }

  /** Stays on the current server and forgets past failures. */
  reportSuccess(_info: ConnectionInfo): void {
    this.failures = [];
  }

  /** Every failed attempt since the last success, oldest first. */
  getFailures(): readonly ServerFailure[] {
    return this.failures;
  }

  /**
   * Each server's most recent error since the last success, in list order, as
   * `uri: message` joined with `; ` (passwords in URIs are masked); empty when there was none.
   */
  getError(): string {
    const latest = new Map<string, Error>();
    for (const failure of this.failures) latest.set(failure.uri, failure.error);
    const parts: string[] = [];
    for (const { uri } of this.servers) {
      const error = latest.get(uri);
      const label = `${redactUri(uri)}: `;
      if (error && !parts.some((part) => part.startsWith(label))) parts.push(`${label}${error.message}`);
    }
    return parts.join('; ');
  }
}
