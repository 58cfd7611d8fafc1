/**
 * Password handling for connection strings (`tcp://user:password@host:port/amps/json`), by the
 * client's one credential splitter (client/src/uri/credentials.ts), under the names the main
 * process uses. No splitting logic lives here: the app and the client must agree on where a
 * password ends (a password may hold `@` and `:`).
 */
import { ExplorerError } from '../../../common/src/ipc/errors.js';
import { insertPassword, splitCredentials } from '../../../client/src/uri/credentials.js';
import { parseUri, type UriOptions } from '../../../client/src/uri.js';

/** Splits a connection string into its password-free form and the password (if any). */
export function splitPassword(connectionString: string): { connectionString: string; password?: string } {
  const split = splitCredentials(connectionString);
  return split.password === undefined
    ? { connectionString: split.connectionString }
    : { connectionString: split.connectionString, password: split.password };
}

/** Puts a password into a connection string (as `user:password@`), replacing any it holds. */
export const withPassword = (connectionString: string, password: string | undefined): string =>
  insertPassword(connectionString, password);

/** Removes any password, for display, names, files and logs. */
export const redact = (connectionString: string): string => splitCredentials(connectionString).connectionString;

/** Connection-string options that name a file the client would read. */
const FILE_OPTIONS = ['ca', 'cert', 'key'] as const;

/**
 * Refuses a connection string from the UI that names TLS files (`ca`, `cert`, `key`): the main
 * process reads only files the user picked, and those are chosen in the profile's TLS section.
 * A string that does not parse is left to the client, which rejects it before reading anything.
 * @throws ExplorerError (code `tls-files-in-profile`)
 */
export function refuseFileOptions(connectionString: string): void {
  let options: UriOptions;
  try {
    options = parseUri(connectionString).options;
  } catch {
    return;
  }
  const named = FILE_OPTIONS.filter((o) => options[o] !== undefined);
  if (named.length === 0) return;
  throw new ExplorerError({
    name: 'InvalidUriError',
    message:
      `the connection string names ${named.map((o) => `"${o}"`).join(', ')}: certificate and key files are not ` +
      "taken from a connection string; choose them in the profile's TLS section",
    code: 'tls-files-in-profile',
  });
}
