/**
 * The CLI's commands over the Client, with input and output injected so tests can drive them.
 */
import { Client } from '../src/client.js';
import { ConnectionError } from '../src/errors.js';
import { redactUri } from '../src/uri/credentials.js';
import type { Message } from '../src/protocol/message.js';
import type { SparkArgs } from './args.js';
import { needsHAClient, runSparkHA } from './haRun.js';
import { openStream, printStream, publishLines } from './output.js';

/** Where the CLI reads and writes. */
export interface SparkIo {
  /** Writes one line of output (a message, as formatted). */
  out(line: string): void;
  /** Writes one line of diagnostics. */
  err(line: string): void;
  /** The lines to publish (from -file or stdin). */
  readLines(file: string | undefined): AsyncIterable<string>;
  /** Aborted when the user interrupts a long-running command. */
  signal?: AbortSignal;
}

let runs = 0;

/** A client name unique to this process and run (AMPS refuses two live clients with one name). */
function defaultClientName(): string {
  runs++;
  return `spark-${process.pid}-${Date.now().toString(36)}-${runs}`;
}

/** Runs one CLI command to its end; resolves with the process exit code. */
export async function runSpark(args: SparkArgs, io: SparkIo): Promise<number> {
  if (needsHAClient(args) && args.command !== 'sow_delete') return runSparkHA(args, io, defaultClientName);
  const client = await connectFirst(args);
  try {
    switch (args.command) {
      case 'ping':
        io.err(
          `connected to ${redactUri(client.getUri() ?? '')}; server version ${client.getServerVersionInfo().toString() || 'unknown'}`,
        );
        return 0;
      case 'publish':
        return await publishLines(client, args, io);
      case 'sow_delete':
        return await sowDelete(client, args, io);
      case 'sow':
      case 'subscribe':
      case 'sow_and_subscribe':
        return await printStream(await openStream(client, args), args, io);
    }
  } finally {
    await client.close().catch(() => undefined);
  }
}

/**
 * Connects and logs on to the first of the URIs that accepts (a one-shot command such as
 * sow_delete is not retried across servers once sent).
 * @throws the server's error with one URI; with several, a ConnectionError naming each server's error
 */
async function connectFirst(args: SparkArgs): Promise<Client> {
  const failures: string[] = [];
  let last: unknown;
  for (const uri of args.uris) {
    const client = new Client(args.clientName ?? defaultClientName(), {
      commandTimeoutMs: args.timeoutMs,
      connectTimeoutMs: args.timeoutMs,
    });
    try {
      await client.connect(uri);
      await client.logon({ timeoutMs: args.timeoutMs });
      return client;
    } catch (e) {
      await client.close().catch(() => undefined);
      last = e;
      failures.push(`${redactUri(uri)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (args.uris.length === 1) throw last;
  throw new ConnectionError(`no server accepted the connection: ${failures.join('; ')}`, {
    code: 'connection refused',
    retriable: true,
  });
}

async function sowDelete(client: Client, args: SparkArgs, io: SparkIo): Promise<number> {
  const topic = args.topic as string;
  let ack: Message;
  if (args.filter !== undefined)
    ack = await client.sowDelete(topic, args.filter, { timeoutMs: args.timeoutMs });
  else if (args.keys !== undefined)
    ack = await client.sowDeleteByKeys(topic, args.keys.split(','), { timeoutMs: args.timeoutMs });
  else {
    let deleted = 0;
    for await (const line of io.readLines(args.file)) {
      if (line.trim() === '') continue;
      const each = await client.sowDeleteByData(topic, line, { timeoutMs: args.timeoutMs });
      deleted += each.recordsDeleted ?? 0;
    }
    io.err(`deleted ${deleted} record${deleted === 1 ? '' : 's'} from ${topic}`);
    return 0;
  }
  const deleted = ack.recordsDeleted ?? 0;
  io.err(`deleted ${deleted} record${deleted === 1 ? '' : 's'} from ${topic}`);
  return 0;
}
