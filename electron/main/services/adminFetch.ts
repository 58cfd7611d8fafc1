/** Limits of a request to an admin HTTP interface. */
export interface AdminFetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

/** Defaults: 5 s, 4 MiB. */
export const ADMIN_FETCH_LIMITS: AdminFetchLimits = { timeoutMs: 5000, maxBytes: 4 * 1024 * 1024 };

/** The part of `fetch` used here (a fake in tests). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

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
 * GETs JSON from an http(s) admin endpoint: no redirects followed, within a time limit, the
 * body read up to a size limit (a longer one is refused, not truncated). TLS certificates are
 * verified as for any https request.
 */
export async function fetchAdminJson(
  url: string,
  limits: AdminFetchLimits = ADMIN_FETCH_LIMITS,
  fetchImpl: FetchLike = fetch,
): Promise<unknown> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AdminFetchError(`only http and https admin URLs are supported, got ${parsed.protocol}`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new AdminFetchError('an admin URL must not hold credentials');
  }
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let response: Response;
  try {
    response = await fetchImpl(url, { method: 'GET', redirect: 'error', signal, headers: { accept: 'application/json' } });
  } catch (error) {
    if (signal.aborted) throw new AdminFetchError(`no answer from ${parsed.host} within ${limits.timeoutMs} ms`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new AdminFetchError(`cannot reach ${parsed.host}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new AdminFetchError(`${parsed.pathname} answered HTTP ${response.status}`, response.status);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new AdminFetchError(`${parsed.pathname} is larger than ${limits.maxBytes} bytes`);
  }
  const text = await readBounded(response, limits, signal, parsed);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AdminFetchError(`${parsed.pathname} did not answer JSON`);
  }
}

async function readBounded(response: Response, limits: AdminFetchLimits, signal: AbortSignal, url: URL): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limits.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new AdminFetchError(`${url.pathname} is larger than ${limits.maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof AdminFetchError) throw error;
    if (signal.aborted) throw new AdminFetchError(`no answer from ${url.host} within ${limits.timeoutMs} ms`);
    throw new AdminFetchError(`reading ${url.pathname} failed: ${(error as Error).message}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}
