/**
 * A sandbox server started in-process on free loopback ports, for tests that drive the
 * client (or the CLI) against it.
 */
import {
  createSandboxServer,
  silentLogger,
  type SandboxConfig,
  type SandboxServer,
} from '../sandbox/src/index.js';

/** A running sandbox and the connection string of its TCP listener. */
export interface SandboxFixture {
  server: SandboxServer;
  tcpUri: string;
  wsUri: string;
  close(): Promise<void>;
}

/** Starts a sandbox with the given topics; close it in `afterEach`/`afterAll`. */
export async function startSandbox(config: SandboxConfig = {}): Promise<SandboxFixture> {
  const server = await createSandboxServer({
    port: 0,
    wsPort: 0,
    adminPort: null,
    logger: silentLogger,
    ...config,
  });
  return {
    server,
    tcpUri: `tcp://127.0.0.1:${server.ports.tcp}/amps/json`,
    wsUri: `ws://127.0.0.1:${server.ports.ws}/amps/json`,
    close: () => server.close(),
  };
}
