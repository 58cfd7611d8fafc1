import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSparkArgs } from '../../cli/args.js';
import { runSpark, type SparkIo } from '../../cli/run.js';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../../src/transport/connect.js';

/** A server that accepts connections and never answers anything (no logon ack, no upgrade). */
let silent: Server;
let port: number;
const sockets: Socket[] = [];

beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  port = (silent.address() as { port: number }).port;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

const quiet: SparkIo = {
  out: () => undefined,
  err: () => undefined,
  async *readLines() {
    // no input
  },
};

async function failure(argv: string[]): Promise<Error> {
  const outcome = await runSpark(parseSparkArgs(argv), quiet).then(
    (code) => new Error(`exited ${code}`),
    (e: unknown) => e as Error,
  );
  return outcome;
}

describe('spark -timeout bounds the connection, not only the commands', () => {
  it('a WebSocket upgrade that is never answered gives up after -timeout, not the default 10 s', async () => {
    const error = await failure(['ping', '-uri', `ws://127.0.0.1:${port}/amps/json`, '-timeout', '300']);
    expect(error.message).toMatch(/timed out after 300 ms/);
  });

  it('a logon that is never answered gives up after -timeout', async () => {
    const error = await failure(['ping', '-server', `127.0.0.1:${port}`, '-timeout', '300']);
    expect(error.message).toMatch(/logon timed out after 300 ms/);
  });

  it('through the HA client (several servers) the connect deadline is -timeout as well', async () => {
    const uri = `ws://127.0.0.1:${port}/amps/json`;
    const error = await failure(['ping', '-uri', uri, '-uri', uri, '-timeout', '300']);
    expect(error.message).toMatch(/the limit is 300 ms/);
    expect(error.message).toMatch(/connecting to ws:\S+ timed out after 300 ms/);
    // The HA client reports how long it tried: the attempt ended at -timeout, not at the
    // transport's default deadline (which it used to wait out).
    const tried = Number(/retried for (\d+) ms/.exec(error.message)?.[1]);
    expect(tried).toBeLessThan(DEFAULT_CONNECT_TIMEOUT_MS);
  });
});
