import type { ExplorerApi } from '../../../common/src/ipc/contract.js';

/** Shown in copied code when the view has no open connection. */
export const PLACEHOLDER_URI = 'tcp://host:9007/amps/json';

/** The connection string of an open connection (for "copy as"), or a placeholder. */
export async function connectionUri(api: ExplorerApi, connectionId: string | undefined): Promise<string> {
  if (connectionId === undefined) return PLACEHOLDER_URI;
  const info = (await api.listConnections()).find((c) => c.connectionId === connectionId);
  return info?.connectionString ?? PLACEHOLDER_URI;
}
