import type { Envelope, SerializedError } from '../dto/errors.js';
import { CHANNELS, MEMBER_KINDS } from './contract.js';
import type { ExplorerApi, MemberName } from './contract.js';
import { ExplorerError, rebuildError } from './errors.js';
import type { ApiTransport } from './transport.js';

const isSerializedError = (v: unknown): v is SerializedError => {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.name === 'string' &&
    typeof e.message === 'string' &&
    typeof e.code === 'string' &&
    typeof e.retriable === 'boolean'
  );
};

/** Checks the envelope shape, returns the value or throws the rebuilt typed error. */
export function unwrapEnvelope(channel: string, envelope: unknown): unknown {
  if (typeof envelope === 'object' && envelope !== null) {
    const env = envelope as Partial<Envelope<unknown>> & Record<string, unknown>;
    if (env.ok === true && 'value' in env) return env.value;
    if (env.ok === true) return undefined;
    if (env.ok === false && isSerializedError(env.error)) throw rebuildError(env.error);
  }
  throw new ExplorerError({
    name: 'ProtocolError',
    message: `${channel}: malformed reply from the main process`,
    code: 'bad-envelope',
  });
}

/**
 * Builds the whole {@link ExplorerApi} over a transport. Requests resolve with the envelope's
 * value or reject with an {@link ExplorerError} carrying the original name, code and retriable;
 * a transport failure rejects with code `transport-failed` (retriable).
 */
export function createApi(transport: ApiTransport): ExplorerApi {
  const api: Record<string, unknown> = {};
  for (const name of Object.keys(MEMBER_KINDS) as MemberName[]) {
    const channel = CHANNELS[name];
    if (MEMBER_KINDS[name] === 'event') {
      api[name] = (callback: unknown) => {
        if (typeof callback !== 'function') {
          throw new TypeError(`${name}: callback must be a function`);
        }
        return transport.subscribe(channel, (payload) => (callback as (p: unknown) => void)(payload));
      };
    } else {
      api[name] = async (payload?: unknown) => {
        let envelope: Envelope<unknown>;
        try {
          envelope = await transport.invoke(channel, payload);
        } catch (cause) {
          throw new ExplorerError({
            name: 'TransportError',
            message: `${channel}: ${cause instanceof Error ? cause.message : String(cause)}`,
            code: 'transport-failed',
            retriable: true,
            cause,
          });
        }
        return unwrapEnvelope(channel, envelope);
      };
    }
  }
  return Object.freeze(api) as unknown as ExplorerApi;
}
