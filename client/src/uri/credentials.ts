/**
 * Where the credentials of a connection string lie, and the three things an application does
 * with them: take the password out (to store it apart), put it back (to connect) and hide it
 * (to show or log the string). Pure string work, no Node imports, so the main process, the
 * renderer and {@link parseUri} all read `user:password@` the same way.
 *
 * The rule (the one {@link parseUri} applies): the authority runs from after `://` to the
 * first `/` or `?`; the credentials end at its LAST `@`, and the user name ends at the first
 * `:` before that `@`. So `tcp://bob:pa@SECRET@host:9007/amps/json` is user `bob`, password
 * `pa@SECRET`, host `host`.
 */

/** Positions of the credentials in a connection string (see the module comment). */
export interface CredentialSpan {
  /** Index just after `://`: the first character of the user name. */
  userStart: number;
  /** Index of the `:` ending the user name, or of the `@` when there is no password. */
  userEnd: number;
  /** Index of the `@` ending the credentials. */
  at: number;
  /** True when a `:` separates a password (possibly empty) from the user name. */
  hasPassword: boolean;
}

/** A connection string with its password taken out. */
export interface SplitCredentials {
  /** The connection string without the password (the user name, if any, is kept). */
  connectionString: string;
  /** The user name, percent-decoded; absent when the string has no credentials. */
  user?: string;
  /** The password, percent-decoded; absent when the string carries none. */
  password?: string;
}

/** Text written in place of a password by {@link redactUri}. */
export const REDACTED_PASSWORD = '***';

/**
 * Finds the credentials of a connection string.
 * @returns undefined when the text has no `scheme://` or no `@` in its authority
 */
export function locateCredentials(text: string): CredentialSpan | undefined {
  const sep = text.indexOf('://');
  if (sep < 0) return undefined;
  const userStart = sep + 3;
  let authEnd = userStart;
  while (authEnd < text.length && text[authEnd] !== '/' && text[authEnd] !== '?') authEnd++;
  const at = text.lastIndexOf('@', authEnd - 1);
  if (at < userStart) return undefined;
  const colon = text.indexOf(':', userStart);
  const hasPassword = colon >= 0 && colon < at;
  return { userStart, userEnd: hasPassword ? colon : at, at, hasPassword };
}

/** Percent-decodes leniently: text with a malformed escape is returned as written. */
function decodeLenient(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Percent-encodes everything but unreserved characters (RFC 3986), as a user name or password must be. */
export function encodeCredential(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Takes the password out of a connection string. Leaves a string without credentials as it is.
 * An empty user name is dropped with the password (`tcp://:pw@h` becomes `tcp://h`).
 */
export function splitCredentials(text: string): SplitCredentials {
  const span = locateCredentials(text);
  if (span === undefined) return { connectionString: text };
  const rawUser = text.slice(span.userStart, span.userEnd);
  const out: SplitCredentials = { connectionString: text };
  if (rawUser !== '') out.user = decodeLenient(rawUser);
  if (!span.hasPassword) return out;
  out.password = decodeLenient(text.slice(span.userEnd + 1, span.at));
  const head = text.slice(0, span.userStart);
  const tail = text.slice(span.at + 1);
  out.connectionString = rawUser === '' ? `${head}${tail}` : `${head}${rawUser}@${tail}`;
  return out;
}

/**
 * Puts a password into a connection string (as `user:password@`, percent-encoded), replacing
 * any password it already holds. An undefined or empty password returns the string without one.
 */
export function insertPassword(text: string, password: string | undefined): string {
  const stripped = splitCredentials(text).connectionString;
  if (password === undefined || password === '') return stripped;
  const sep = stripped.indexOf('://');
  if (sep < 0) return stripped;
  const span = locateCredentials(stripped);
  const userStart = sep + 3;
  const user = span === undefined ? '' : stripped.slice(userStart, span.at);
  const tail = span === undefined ? stripped.slice(userStart) : stripped.slice(span.at + 1);
  return `${stripped.slice(0, userStart)}${user}:${encodeCredential(password)}@${tail}`;
}

/**
 * Hides the password of a connection string for display and logs: `tcp://bob:***@host:...`.
 * A string without a password is returned unchanged.
 */
export function redactUri(text: string): string {
  const span = locateCredentials(text);
  if (span === undefined || !span.hasPassword) return text;
  return `${text.slice(0, span.userEnd + 1)}${REDACTED_PASSWORD}${text.slice(span.at)}`;
}
