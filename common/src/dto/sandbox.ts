import type { SerializedError } from './errors.js';

/** Life cycle of the local sandbox server. */
export type SandboxState = 'disabled' | 'starting' | 'running' | 'stopped' | 'failed';

/** The local sandbox server as the app runs it. */
export interface SandboxInfo {
  state: SandboxState;
  /** Connection strings it listens on, e.g. `tcp://127.0.0.1:41234/amps/json`. */
  connectionStrings: string[];
  /** Id of the built-in profile pointing at it, when running. */
  profileId?: string;
  error?: SerializedError;
}
