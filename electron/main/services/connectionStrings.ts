/**
 * Password handling for connection strings (`tcp://user:password@host:port/amps/json`), by the
 * client's one credential splitter (client/src/uri/credentials.ts), under the names the main
 * process uses. No splitting logic lives here: the app and the client must agree on where a
 * password ends (a password may hold `@` and `:`).
 */
import { insertPassword, splitCredentials } from '../../../client/src/uri/credentials.js';

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
