import { ExplorerError } from '../../../common/src/ipc/errors.js';
import type { AmpsConnectionFactory } from './ampsAdapter.js';

const notWired = (): ExplorerError =>
  new ExplorerError({
    name: 'ClientUnavailableError',
    message: 'the AMPS client is not wired into this build yet (AmpsConnectionFactory missing)',
    code: 'client-unavailable',
  });

/**
 * Stands in until the integrator provides an AmpsConnectionFactory over client/: every
 * operation fails with a clear `client-unavailable` error instead of pretending to work.
 */
export const unwiredConnectionFactory: AmpsConnectionFactory = {
  create() {
    const reject = (): Promise<never> => Promise.reject(notWired());
    return {
      connect: reject,
      logon: reject,
      subscribe: reject,
      deltaSubscribe: reject,
      sowAndSubscribe: reject,
      bookmarkSubscribe: reject,
      publish: reject,
      onStatus: () => () => undefined,
      close: () => Promise.resolve(),
    };
  },
};
