/**
 * The error an HA client raises when it gives up connecting (spec §12.3 connect loop): it
 * names why it stopped and lists each server's latest error.
 */
import { ConnectionError } from '../errors.js';

/** One failed connection attempt. */
export interface HAConnectFailure {
  /** The server's URI, password masked. */
  uri: string;
  error: Error;
}

/** Connecting gave up: the delay strategy's limit was reached or the chooser had no server. */
export class HAConnectionError extends ConnectionError {
  override name = 'HAConnectionError';
  /** Every failed attempt of this connect loop, oldest first. */
  readonly failures: readonly HAConnectFailure[];

  /**
   * @param clientName the HA client's name
   * @param why why the loop stopped (e.g. the delay strategy's message)
   * @param failures every failed attempt, oldest first
   */
  constructor(clientName: string, why: string, failures: readonly HAConnectFailure[], cause?: unknown) {
    super(`HA client "${clientName}" could not connect: ${why}. ${describeFailures(failures)}`, {
      code: 'reconnect maximum exceeded',
      retriable: true,
      cause,
    });
    this.failures = failures;
  }
}

/** `uri: message` for each server's latest failure, in the order the servers were first tried. */
export function describeFailures(failures: readonly HAConnectFailure[]): string {
  if (failures.length === 0) return 'No connection was attempted.';
  const latest = new Map<string, Error>();
  for (const f of failures) {
    latest.delete(f.uri);
    latest.set(f.uri, f.error);
  }
  const order: string[] = [];
  for (const f of failures) if (!order.includes(f.uri)) order.push(f.uri);
  const parts = order.map((uri) => `${uri}: ${latest.get(uri)?.message ?? 'unknown error'}`);
  return `Errors per server (${failures.length} attempts): ${parts.join('; ')}`;
}
