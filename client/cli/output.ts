/**
 * The CLI's two long-running loops, shared by the single-server and the HA paths: publishing
 * the input lines, and printing the data messages of a stream.
 */
import type { MessageStream } from '../src/stream.js';
import type { SparkArgs } from './args.js';
import { formatMessage } from './format.js';
import type { SparkIo } from './run.js';

/** What the publish loop needs: a Client and an HAClient both fit. */
export interface SparkPublisher {
  publish(topic: string, data: string): unknown;
  deltaPublish(topic: string, data: string): unknown;
  publishFlush(timeoutMs?: number): Promise<void>;
}

/** Publishes every non-empty input line (at `-rate` when given), then waits for the flush. */
export async function publishLines(publisher: SparkPublisher, args: SparkArgs, io: SparkIo): Promise<number> {
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
    if (args.delta) publisher.deltaPublish(topic, line);
    else publisher.publish(topic, line);
    count++;
  }
  await publisher.publishFlush(args.timeoutMs);
  io.err(`published ${count} message${count === 1 ? '' : 's'} to ${topic}`);
  return 0;
}

/** Prints data messages until the stream ends, `-count` is reached, or the user interrupts. */
export async function printStream(stream: MessageStream, args: SparkArgs, io: SparkIo): Promise<number> {
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

interface CallOptions {
  timeoutMs?: number;
  options?: string;
  subId?: string;
}

interface QueryOptions extends CallOptions {
  batchSize?: number;
  topN?: number;
  orderBy?: string;
  bookmark?: string;
}

/** What opening a stream needs: a Client and an HAClient both fit. */
export interface SparkSubscriber {
  sow(topic: string, filter?: string, options?: QueryOptions): Promise<MessageStream>;
  sowAndSubscribe(topic: string, filter?: string, options?: QueryOptions): Promise<MessageStream>;
  sowAndDeltaSubscribe(topic: string, filter?: string, options?: QueryOptions): Promise<MessageStream>;
  subscribe(topic: string, filter?: string, options?: CallOptions): Promise<MessageStream>;
  deltaSubscribe(topic: string, filter?: string, options?: CallOptions): Promise<MessageStream>;
  bookmarkSubscribe(
    topic: string,
    bookmark: string,
    filter?: string,
    options?: CallOptions,
  ): Promise<MessageStream>;
}

/**
 * Opens the stream a sow / subscribe / sow_and_subscribe command line asks for. `resume`
 * replaces `-bookmark` with a bookmark subscription under a fixed id (the bookmark store's).
 */
export function openStream(
  subscriber: SparkSubscriber,
  args: SparkArgs,
  resume?: { bookmark: string; subId: string },
): Promise<MessageStream> {
  const topic = args.topic as string;
  const common: CallOptions = {
    timeoutMs: args.timeoutMs,
    ...(args.options === undefined ? {} : { options: args.options }),
  };
  const query: QueryOptions = {
    ...common,
    ...(args.batchSize === undefined ? {} : { batchSize: args.batchSize }),
    ...(args.topN === undefined ? {} : { topN: args.topN }),
    ...(args.orderBy === undefined ? {} : { orderBy: args.orderBy }),
  };
  switch (args.command) {
    case 'sow':
      return subscriber.sow(topic, args.filter, {
        ...query,
        ...(args.bookmark === undefined ? {} : { bookmark: args.bookmark }),
      });
    case 'sow_and_subscribe':
      return args.delta
        ? subscriber.sowAndDeltaSubscribe(topic, args.filter, query)
        : subscriber.sowAndSubscribe(topic, args.filter, query);
    default:
      if (resume) {
        return subscriber.bookmarkSubscribe(topic, resume.bookmark, args.filter, {
          ...common,
          subId: resume.subId,
        });
      }
      if (args.bookmark !== undefined)
        return subscriber.bookmarkSubscribe(topic, args.bookmark, args.filter, common);
      return args.delta
        ? subscriber.deltaSubscribe(topic, args.filter, common)
        : subscriber.subscribe(topic, args.filter, common);
  }
}
