/**
 * Password handling for connection strings (`tcp://user:password@host:port/amps/json`).
 * Full parsing belongs to client/uri.ts; here we only move the password in and out.
 */

/** Splits a connection string into its password-free form and the password (if any). */
export function splitPassword(connectionString: string): { connectionString: string; password?: string } {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^@/?#]*)@(.*)$/s.exec(connectionString);
  if (m === null) return { connectionString };
  const [, scheme = '', userInfo = '', rest = ''] = m;
  const colon = userInfo.indexOf(':');
  if (colon < 0) return { connectionString };
  const user = userInfo.slice(0, colon);
  const password = decodeURIComponent(userInfo.slice(colon + 1));
  return { connectionString: `${scheme}${user === '' ? '' : `${user}@`}${rest}`, password };
}

/** Puts a password into a password-free connection string (as `user:password@`). */
export function withPassword(connectionString: string, password: string | undefined): string {
  if (password === undefined || password === '') return connectionString;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)(?:([^@/?#:]*)@)?(.*)$/s.exec(connectionString);
  if (m === null) return connectionString;
  const [, scheme = '', user = '', rest = ''] = m;
  return `${scheme}${user}:${encodeURIComponent(password)}@${rest}`;
}

/** Removes any password, for display and logs. */
export const redact = (connectionString: string): string => splitPassword(connectionString).connectionString;
