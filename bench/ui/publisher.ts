/**
 * A paced publisher for the UI benchmark: every 10 ms tick it publishes the messages due by
 * then (target rate × elapsed time), so a slow tick is caught up by the next ones instead of
 * lowering the rate silently. The achieved rate counts only what the server acknowledged as
 * processed (publishFlush) within the run plus its flush wait.
 */
import { Client } from '../../client/src/client.js';

/** What one paced run did. */
export interface PublishResult {
  target: number;
  published: number;
  /** From the first publish to the end of the flush, ms. */
  elapsedMs: number;
  /** Messages per second actually handed over and flushed. */
  achieved: number;
  /** Ticks that ran more than 5 ms late (the publishing process itself was busy). */
  lateTicks: number;
}

/** Something that publishes to the bench topic at a target rate. */
export interface RatePublisher {
  /** Publishes at `rate` msg/s for `ms`; resolves once everything was handed over. */
  run(rate: number, ms: number): Promise<PublishResult>;
  close(): Promise<void>;
}

const TICK_MS = 10;
const FLUSH_TIMEOUT_MS = 30_000;

/** One message body of ordinary size (about 150 bytes), numbered. */
export function benchPayload(n: number): string {
  return `{"id":${n},"sym":"MSFT","qty":${100 + (n % 900)},"px":101.25,"side":"buy","venue":"XNAS","note":"ui benchmark message"}`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A logged-on client that publishes to one topic at a target rate. */
export class PacedPublisher implements RatePublisher {
  readonly #client: Client;
  readonly #topic: string;
  #next = 0;

  private constructor(client: Client, topic: string) {
    this.#client = client;
    this.#topic = topic;
  }

  /** Connects and logs on to `uri`. */
  static async open(uri: string, topic: string): Promise<PacedPublisher> {
    const client = new Client(`ui-bench-publisher-${process.pid}`);
    try {
      await client.connect(uri);
      await client.logon();
    } catch (error) {
      await client.close().catch(() => {});
      throw error;
    }
    return new PacedPublisher(client, topic);
  }

  /** Publishes at `rate` msg/s for `ms`, then waits for the server to have processed everything. */
  async run(rate: number, ms: number): Promise<PublishResult> {
    const started = performance.now();
    let published = 0;
    let lateTicks = 0;
    let expected = started;
    for (;;) {
      const now = performance.now();
      if (now - expected > TICK_MS + 5) lateTicks++;
      const elapsed = Math.min(now - started, ms);
      const due = Math.floor((rate * elapsed) / 1000);
      for (; published < due; published++) this.#client.publish(this.#topic, benchPayload(this.#next++));
      if (elapsed >= ms) break;
      expected = now + TICK_MS;
      await sleep(TICK_MS);
    }
    await this.#client.publishFlush(FLUSH_TIMEOUT_MS);
    const elapsedMs = performance.now() - started;
    return { target: rate, published, elapsedMs, achieved: (published * 1000) / elapsedMs, lateTicks };
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.#client.close();
  }
}
