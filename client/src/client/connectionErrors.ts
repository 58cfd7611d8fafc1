/**
 * Maps what ended or refused a connection to the client's error classes (spec §5.6):
 * protocol errors become StreamError, refusals ConnectionRefusedError, the rest
 * DisconnectedError / TimedOutError / TransportError.
 */
import {
  AmpsError,
  ConnectionRefusedError,
  DisconnectedError,
  StreamError,
  TimedOutError,
  TransportError,
} from '../errors.js';
import { ProtocolError } from '../protocol/protocolError.js';

/** Maps what ended a transport to the client's error. */
export function closeError(error: Error | undefined, peer: string): AmpsError {
  if (error === undefined)
    return new DisconnectedError(`connection to ${peer} was closed by the server`, {
      code: 'disconnected',
      retriable: true,
    });
  if (error instanceof AmpsError) return error;
  if (error instanceof ProtocolError)
    return new StreamError(`corrupt stream from ${peer}: ${error.message}`, {
      cause: error,
      code: error.kind,
    });
  return new DisconnectedError(`connection to ${peer} lost: ${error.message}`, {
    cause: error,
    code: 'disconnected',
    retriable: true,
  });
}

export function connectError(error: unknown, peer: string): AmpsError {
  if (error instanceof AmpsError) return error;
  const e = error instanceof Error ? error : new Error(String(error));
  if (e.name === 'InvalidUriError') throw e;
  const code = (e as { code?: unknown }).code;
  if (code === 'ECONNREFUSED')
    return new ConnectionRefusedError(`connection to ${peer} refused: ${e.message}`, {
      cause: e,
      code: 'connection refused',
      retriable: true,
    });
  if (code === 'ETIMEDOUT')
    return new TimedOutError(`connecting to ${peer} timed out: ${e.message}`, {
      cause: e,
      code: 'timed out',
      retriable: true,
    });
  return new TransportError(`cannot connect to ${peer}: ${e.message}`, {
    cause: e,
    code: typeof code === 'string' ? code : 'transport',
    retriable: true,
  });
}
