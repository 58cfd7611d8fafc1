/**
 * Who may talk to the sandbox from a browser. A web page the user happens to visit can open a
 * WebSocket to any address, and can reach a loopback HTTP port under its own host name through
 * DNS rebinding; the sandbox is a local tool, so:
 * - its WebSocket listener accepts an upgrade with no `Origin` (non-browser clients: our
 *   client, the CLI, other AMPS clients) or a loopback origin (`http(s)://127.0.0.1`,
 *   `localhost`, `[::1]` on any port: the app's browser host; and the app's own `app://`
 *   scheme in Electron), plus any origin the configuration names; every other origin gets 403;
 * - its admin endpoint answers only requests whose `Host` is a loopback name with its own port.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** The Electron renderer's origin (`app://explorer`, see electron/main/platform/appProtocol.ts). */
const APP_ORIGIN = 'app://explorer';

/**
 * True when a WebSocket upgrade carrying this `Origin` header may connect.
 * @param origin the header (undefined when the client sent none)
 * @param allowed further exact origins the configuration accepts
 */
export function isAllowedOrigin(origin: string | undefined, allowed: readonly string[] = []): boolean {
  if (origin === undefined) return true;
  if (origin === APP_ORIGIN || allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  // An origin is scheme://host[:port] only; anything more is not a browser's Origin header.
  if (url.origin !== origin) return false;
  return LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * True when an HTTP request's `Host` header names this loopback listener: a loopback host
 * name with exactly `port`.
 */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const m = /^(\[::1\]|127\.0\.0\.1|localhost):(\d{1,5})$/i.exec(host);
  return m !== null && Number(m[2]) === port;
}
