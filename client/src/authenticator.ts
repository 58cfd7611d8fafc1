/**
 * Logon authentication (spec §6.2; the seed's DefaultAuthenticator): an authenticator turns
 * the URI's credentials into the `pw` sent with `logon`, answers `retry` challenges and is
 * told how the logon ended.
 */

/** Supplies logon passwords/tokens; methods may be async. */
export interface Authenticator {
  /** The password or token for the first logon attempt. */
  authenticate(userId: string, password: string): string | Promise<string>;
  /** A new token after the server answered `status=retry` with this user id and challenge. */
  retry(userId: string, challenge: string): string | Promise<string>;
  /** Called once the logon sequence has ended (success or failure) with the server's reason. */
  completed(userId: string, password: string, reason: string): void;
}

/** Sends the URI's password unchanged and cannot answer challenges with anything new. */
export class DefaultAuthenticator implements Authenticator {
  /** Returns `password` unchanged. */
  authenticate(_userId: string, password: string): string {
    return password;
  }
  /** Returns the challenge unchanged (the default has no way to compute a response). */
  retry(_userId: string, challenge: string): string {
    return challenge;
  }
  /** Does nothing. */
  completed(_userId: string, _password: string, _reason: string): void {}
}
