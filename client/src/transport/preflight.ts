/**
 * HTTP preflight (spec §1.9): before any AMPS frame, ask an HTTP reverse proxy to upgrade the
 * connection to raw tcp/tcps, and accept only a `101` answer.
 *
 * Unlike the official client, which drains the answer until the socket has been idle for
 * 250 ms, this reads the response up to the blank line that ends its headers; any bytes
 * after it already belong to the AMPS stream and are returned.
 */
import type { Duplex } from 'node:stream';

/** Largest preflight response header block accepted. */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** The status line must end within this many bytes. */
const MAX_STATUS_LINE_BYTES = 1024;

/** What the preflight request says. */
export interface PreflightRequest {
  /** Request target: the URI path, proxy prefix included, e.g. `/client/amps/json`. */
  path: string;
  /** `Host` header value, `host:port` (IPv6 in brackets). */
  host: string;
  /** `tcp` or `tcps`: the protocol asked for in `Upgrade`. */
  upgrade: 'tcp' | 'tcps';
  /** Extra header lines, each `Name: value` (e.g. cookies or tokens a proxy checks). */
  headers?: readonly string[];
}

/** Raised when the proxy does not switch protocols or the exchange breaks. */
export class PreflightError extends Error {
  override readonly name = 'PreflightError';
}

/** Builds the request text: request line, Host, Connection, Upgrade, extra headers, blank line. */
export function preflightRequestText(request: PreflightRequest): string {
  let text = `GET ${request.path} HTTP/1.1\r\nHost: ${request.host}\r\nConnection: Upgrade\r\nUpgrade: ${request.upgrade}\r\n`;
  for (const line of request.headers ?? []) {
    if (/[\r\n]/.test(line) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+:/.test(line)) {
      throw new PreflightError(
        `invalid HTTP preflight header line ${JSON.stringify(line)} (expected "Name: value")`,
      );
    }
    text += `${line}\r\n`;
  }
  return `${text}\r\n`;
}

/**
 * Sends the preflight request on `socket` and waits for the proxy's answer.
 * Resolves with the bytes received after the response headers; the socket is left paused.
 * Rejects with {@link PreflightError} on any status but 101, a malformed or oversized
 * answer, or a connection that ends first. (Timeouts are the caller's: destroy the socket.)
 */
export function performPreflight(socket: Duplex, request: PreflightRequest): Promise<Buffer> {
  const requestText = preflightRequestText(request);
  return new Promise<Buffer>((resolve, reject) => {
    let received: Buffer = Buffer.alloc(0);
    let statusChecked = false;
    const done = (error: Error | undefined, rest?: Buffer): void => {
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      socket.pause();
      if (error) reject(error);
      else resolve(rest ?? Buffer.alloc(0));
    };
    const onData = (chunk: Buffer): void => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      if (!statusChecked) {
        const eol = received.indexOf('\r\n');
        if (eol < 0) {
          if (received.length > MAX_STATUS_LINE_BYTES)
            done(new PreflightError('HTTP preflight refused: no status line'));
          return;
        }
        const statusLine = received.toString('latin1', 0, eol);
        // Accepted iff bytes 9..11 of the answer read "101" (HTTP/1.x 101 ...).
        if (eol < 12 || !statusLine.startsWith('HTTP/') || statusLine.slice(9, 12) !== '101') {
          done(new PreflightError(`HTTP preflight refused: ${printable(statusLine)}`));
          return;
        }
        statusChecked = true;
      }
      const end = received.indexOf('\r\n\r\n');
      if (end >= 0) {
        done(undefined, received.subarray(end + 4));
      } else if (received.length > MAX_RESPONSE_BYTES) {
        done(new PreflightError(`HTTP preflight response headers exceed ${MAX_RESPONSE_BYTES} bytes`));
      }
    };
    const onClose = (): void =>
      done(
        new PreflightError(
          received.length === 0
            ? 'connection closed before the HTTP preflight answer'
            : 'connection closed in the middle of the HTTP preflight answer',
        ),
      );
    const onError = (e: Error): void =>
      done(new PreflightError(`HTTP preflight failed: ${e.message}`, { cause: e }));
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onError);
    socket.write(requestText);
    socket.resume();
  });
}

function printable(line: string): string {
  const clean = line.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}...` : clean;
}
