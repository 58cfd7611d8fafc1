import type { SerializedError } from '../dto/errors.js';

/** What an {@link ExplorerError} is made of. */
export interface ExplorerErrorInit {
  name?: string;
  message: string;
  code: string;
  retriable?: boolean;
  cause?: unknown;
}

/**
 * An error that crossed (or will cross) the IPC boundary. Keeps the original class name in
 * `name`, plus `code` and `retriable`, so the UI can branch on them without the class itself.
 */
export class ExplorerError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(init: ExplorerErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = init.name ?? 'ExplorerError';
    this.code = init.code;
    this.retriable = init.retriable ?? false;
  }
}

/** A payload failed its schema; `path` names where (e.g. `payload.options.topN`). */
export class ValidationError extends ExplorerError {
  readonly path: string;

  constructor(path: string, problem: string) {
    super({ name: 'ValidationError', message: `${path}: ${problem}`, code: 'invalid-payload' });
    this.path = path;
  }
}

const MAX_MESSAGE = 2000;

/** Turns anything thrown into plain data; unknown throwables become `InternalError`. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const rec = error as Error & { code?: unknown; retriable?: unknown };
    return {
      name: typeof error.name === 'string' && error.name !== '' ? error.name : 'Error',
      message: String(error.message).slice(0, MAX_MESSAGE),
      code: typeof rec.code === 'string' ? rec.code : 'error',
      retriable: rec.retriable === true,
    };
  }
  return {
    name: 'InternalError',
    message: String(error).slice(0, MAX_MESSAGE),
    code: 'internal',
    retriable: false,
  };
}

/** Rebuilds a typed error from its data form. */
export function rebuildError(data: SerializedError): ExplorerError {
  return new ExplorerError({
    name: data.name,
    message: data.message,
    code: data.code,
    retriable: data.retriable,
  });
}

/** True for an error rebuilt from the main process, or raised by this layer. */
export function isExplorerError(value: unknown): value is ExplorerError {
  return value instanceof ExplorerError;
}
