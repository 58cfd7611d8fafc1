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
