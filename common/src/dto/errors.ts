/** An error as it crosses a process boundary: plain data, rebuilt as a typed error on arrival. */
export interface SerializedError {
  /** Class name of the original error, e.g. `BadFilterError`, `ValidationError`. */
  name: string;
  /** Human-readable message naming what is wrong and where. */
  message: string;
  /** Stable machine code, e.g. `bad filter`, `invalid-payload`, `forbidden-sender`. */
  code: string;
  /** Whether repeating the request may succeed. */
  retriable: boolean;
}

/** The result of every request: a value, or an error as data. Handlers never throw across IPC. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: SerializedError };
