/**
 * The CLI's commands over the Client, with input and output injected so tests can drive them.
 */
import { Client } from '../src/client.js';
import type { Message } from '../src/protocol/message.js';
import type { MessageStream } from '../src/stream.js';
import { SparkUsageError, type SparkArgs } from './args.js';
import { formatMessage } from './format.js';

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
  if (args.uris.length > 1) {
    throw new SparkUsageError('more than one server needs an HA connection, which this CLI cannot make yet');
  }
  if (args.bookmarkStore !== undefined || args.publishStore !== undefined) {
    throw new SparkUsageError(
      '-bookmark-store and -publish-store need the HA client, which this CLI cannot use yet',
    );
  }
  const uri = args.uris[0] as string;
  const client = new Client(args.clientName ?? defaultClientName(), {
    commandTimeoutMs: args.timeoutMs,
  });
  try {
    await client.connect(uri);
    await client.logon({ timeoutMs: args.timeoutMs });
    switch (args.command) {
      case 'ping':
        io.err(
          `connected to ${client.getUri() ?? uri}; server version ${client.getServerVersionInfo().toString() || 'unknown'}`,
        );
        return 0;
      case 'publish':
        return await publish(client, args, io);
      case 'sow_delete':
        return await sowDelete(client, args, io);
      case 'sow':
      case 'subscribe':
      case 'sow_and_subscribe':
        return await print(await open(client, args), args, io);
    }
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function publish(client: Client, args: SparkArgs, io: SparkIo): Promise<number> {
  const topic = args.topic as string;
  const gapMs = args.rate === undefined ? 0 : 1000 / args.rate;
  let next = Date.now();
  let count = 0;
  for await (const line of io.readLines(args.file)) {
    if (line.trim() === '') continue;
    if (io.signal?.aborted) break;
    if (gapMs > 0) {
      const wait = next - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      next = Math.max(next + gapMs, Date.now());
    }
    if (args.delta) client.deltaPublish(topic, line);
    else client.publish(topic, line);
    count++;
  }
  await client.publishFlush(args.timeoutMs);
  io.err(`published ${count} message${count === 1 ? '' : 's'} to ${topic}`);
  return 0;
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

function open(client: Client, args: SparkArgs): Promise<MessageStream> {
  const topic = args.topic as string;
  const common = {
    timeoutMs: args.timeoutMs,
    ...(args.options === undefined ? {} : { options: args.options }),
  };
  const query = {
    ...common,
    ...(args.batchSize === undefined ? {} : { batchSize: args.batchSize }),
    ...(args.topN === undefined ? {} : { topN: args.topN }),
    ...(args.orderBy === undefined ? {} : { orderBy: args.orderBy }),
  };
  switch (args.command) {
    case 'sow':
      return client.sow(topic, args.filter, {
        ...query,
        ...(args.bookmark === undefined ? {} : { bookmark: args.bookmark }),
      });
    case 'sow_and_subscribe':
      return args.delta
        ? client.sowAndDeltaSubscribe(topic, args.filter, query)
        : client.sowAndSubscribe(topic, args.filter, query);
    default:
      if (args.bookmark !== undefined)
        return client.bookmarkSubscribe(topic, args.bookmark, args.filter, common);
      return args.delta
        ? client.deltaSubscribe(topic, args.filter, common)
        : client.subscribe(topic, args.filter, common);
  }
}

/** Prints data messages until the stream ends, `-count` is reached, or the user interrupts. */
async function print(stream: MessageStream, args: SparkArgs, io: SparkIo): Promise<number> {
  let printed = 0;
  const stop = (): void => stream.close();
  io.signal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const message of stream) {
      const command = message.command;
      if (command !== 'sow' && command !== 'publish' && command !== 'oof' && command !== 'delta_publish')
        continue;
      io.out(formatMessage(message, args.format, args.messageType));
      printed++;
      if (args.count !== undefined && printed >= args.count) break;
    }
  } finally {
    io.signal?.removeEventListener('abort', stop);
    stream.close();
  }
  if (args.command === 'sow')
    io.err(`${printed} record${printed === 1 ? '' : 's'} from ${args.topic as string}`);
  return 0;
}
