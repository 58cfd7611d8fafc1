/**
 * A load generator inside the sandbox for the UI benchmark: it hands messages straight to the
 * in-process sandbox's broker (as a publish arriving from a client would be, after its frame
 * was read), so the rate offered to subscribers is not capped by this process encoding and
 * sending publishes over a socket and the sandbox reading them back (that path peaked near
 * 60 k msg/s here). Paced like the client publisher (publisher.ts): every tick publishes what is due by
 * then. The achieved rate is what the broker accepted and fanned out per second of wall time.
 */
import type { Broker } from '../../sandbox/src/index.js';
import { benchPayload, type PublishResult, type RatePublisher } from './publisher.js';

const TICK_MS = 5;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Lets socket writes queued by a tick's fan-out go out before the next tick. */
const yieldToIo = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Publishes into `broker` on `topic` (JSON) at a set rate. */
export class BrokerPublisher implements RatePublisher {
  readonly #broker: Broker;
  readonly #topic: string;
  #next = 0;

  constructor(broker: Broker, topic: string) {
    this.#broker = broker;
    this.#topic = topic;
  }

  async run(rate: number, ms: number): Promise<PublishResult> {
    const started = performance.now();
    let published = 0;
    let refused = 0;
    let lateTicks = 0;
    let expected = started;
    for (;;) {
      const now = performance.now();
      if (now - expected > TICK_MS + 5) lateTicks++;
      const elapsed = Math.min(now - started, ms);
      const due = Math.floor((rate * elapsed) / 1000);
      for (; published < due; published++) {
        const result = this.#broker.publish({
          topic: this.#topic,
          payload: Buffer.from(benchPayload(this.#next++)),
          delta: false,
          messageType: 'json',
        });
        if (!result.ok) refused++;
      }
      if (elapsed >= ms) break;
      expected = now + TICK_MS;
      await yieldToIo();
      const left = expected - performance.now();
      if (left > 0) await sleep(left);
    }
    if (refused > 0) throw new Error(`the sandbox refused ${refused} of ${published} bench publishes`);
    const elapsedMs = performance.now() - started;
    return { target: rate, published, elapsedMs, achieved: (published * 1000) / elapsedMs, lateTicks };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
