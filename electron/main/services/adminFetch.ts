import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Limits of a request to an admin HTTP interface. */
export interface AdminFetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

/** Defaults: 5 s, 4 MiB. */
export const ADMIN_FETCH_LIMITS: AdminFetchLimits = { timeoutMs: 5000, maxBytes: 4 * 1024 * 1024 };

/** An admin request failed; the message says why, without the response body. */
export class AdminFetchError extends Error {
  override name = 'AdminFetchError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * GETs JSON from an http(s) admin endpoint: one fresh connection (no keep-alive pool), no
 * redirect followed, the whole exchange within a time limit, the body read up to a size limit
 * (a longer one is refused, not truncated). https verifies the server's certificate.
 */
export function fetchAdminJson(url: string, limits: AdminFetchLimits = ADMIN_FETCH_LIMITS): Promise<unknown> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return Promise.reject(
      new AdminFetchError(`only http and https admin URLs are supported, got ${parsed.protocol}`),
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return Promise.reject(new AdminFetchError('an admin URL must not hold credentials'));
  }
  const where = parsed.pathname;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error: AdminFetchError | undefined, value?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      if (error === undefined) resolve(value);
      else reject(error);
    };
    const onResponse = (res: IncomingMessage): void => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        res.resume();
        settle(new AdminFetchError(`${where} answered HTTP ${status}`, status));
        return;
      }
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        settle(new AdminFetchError(`${where} is larger than ${limits.maxBytes} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.byteLength;
        if (total > limits.maxBytes)
          settle(new AdminFetchError(`${where} is larger than ${limits.maxBytes} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', (error) => settle(new AdminFetchError(`reading ${where} failed: ${error.message}`)));
      res.on('end', () => {
        try {
          settle(undefined, JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
        } catch {
          settle(new AdminFetchError(`${where} did not answer JSON`));
        }
      });
    };
    const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      parsed,
      { method: 'GET', agent: false, headers: { accept: 'application/json' } },
      onResponse,
    );
    const timer = setTimeout(
      () => settle(new AdminFetchError(`no answer from ${parsed.host} within ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      settle(new AdminFetchError(`cannot reach ${parsed.host}: ${error.code ?? error.message}`)),
    );
    req.end();
  });
}
