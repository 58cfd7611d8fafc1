/**
 * The grid bench's keyed updates, handed straight to the in-process sandbox's broker (as a
 * publish is once its frame was read; the UI bench does the same, ui/brokerPublisher.ts): a
 * publisher client in this process would share its one thread with the sandbox, and encoding,
 * sending and reading back each publish held the offered rate near 40 k/s before the view
 * was the limit. Every tick publishes the updates due by then (random keys below `keys`, a
 * new /price each); the rate is what the broker took (stored and fanned out) per second.
 */
import type { Broker } from '../sandbox/src/index.js';
import { gridRecord } from './gridRecord.js';

const TICK_MS = 5;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Lets the socket writes of a tick's fan-out go out before the next tick. */
const yieldToIo = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Publishes keyed updates of the grid bench's records into the broker at a paced rate. */
export class GridUpdates {
  readonly #broker: Broker;
  readonly #topic: string;
  readonly #keys: number;
  #seed = 12345;

  constructor(broker: Broker, topic: string, keys: number) {
    this.#broker = broker;
    this.#topic = topic;
    this.#keys = keys;
  }

  /** Publishes at `rate` updates/s for `ms`; resolves with the rate the broker took. */
  async run(rate: number, ms: number): Promise<number> {
    const started = performance.now();
    let published = 0;
    let refused = 0;
    for (;;) {
      const elapsed = Math.min(performance.now() - started, ms);
      const due = Math.floor((rate * elapsed) / 1000);
      for (; published < due; published++) {
        const id = Math.floor(this.#random() * this.#keys);
        const result = this.#broker.publish({
          topic: this.#topic,
          payload: Buffer.from(gridRecord(id, 100 + this.#random() * 900)),
          delta: false,
          messageType: 'json',
        });
        if (!result.ok) refused++;
      }
      if (elapsed >= ms) break;
      await yieldToIo();
      await sleep(TICK_MS);
    }
    if (refused > 0) throw new Error(`the sandbox refused ${refused} of ${published} grid updates`);
    return (published * 1000) / (performance.now() - started);
  }

  /** xorshift32: every key is as likely (32-bit integer steps, exact in a double). */
  #random(): number {
    let x = this.#seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#seed = x >>> 0;
    return this.#seed / 0x1_0000_0000;
  }
}
