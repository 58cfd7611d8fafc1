/**
 * The soak's stream: `{"seq":n}` published at a steady rate through an HA client with a
 * publish store, as a bounded source does. A 1 ms timer publishes what the rate allows since
 * the previous tick (the client's transport writes a tick's publishes in one socket write);
 * while the store holds `storeCap` unpersisted messages the source waits (a failover) and
 * does not catch up afterwards, so the achieved rate is what really went out.
 */
import { performance } from 'node:perf_hooks';
import type { HAClient } from '../client/src/ha/haClient.js';

const PREFIX = Buffer.from('{"seq":');

/** The payload of sequence `n`, encoded once into a fresh buffer (the store keeps it). */
function payload(n: number): Buffer {
  const digits = String(n);
  const out = Buffer.allocUnsafe(PREFIX.length + digits.length + 1);
  PREFIX.copy(out, 0);
  out.write(digits, PREFIX.length, 'latin1');
  out[out.length - 1] = 0x7d; // }
  return out;
}

/** The sequence number of a payload; throws on anything else (a corrupt delivery must not pass). */
export function parseSeq(text: string): number {
  const m = /^\{"seq":(\d+)\}$/.exec(text);
  if (!m) throw new Error(`unexpected message ${JSON.stringify(text.slice(0, 80))}`);
  return Number(m[1]);
}

/** A steady publisher; see the module comment. */
export class TickStream {
  /** Messages published so far (sequence numbers 1..published). */
  published = 0;
  /** Milliseconds the source waited on a full store. */
  blockedMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private stoppedAt = 0;

  constructor(
    private readonly publisher: HAClient,
    private readonly rate: number,
    private readonly storeCap: number,
  ) {}

  start(): void {
    this.startedAt = performance.now();
    let last = this.startedAt;
    let allowance = 0;
    this.timer = setInterval(() => {
      const now = performance.now();
      allowance += ((now - last) * this.rate) / 1000;
      const elapsed = now - last;
      last = now;
      while (allowance >= 1 && this.publisher.getUnpersistedCount() < this.storeCap) {
        this.publisher.publish('ticks', payload(++this.published));
        allowance--;
      }
      if (allowance >= 1) {
        allowance = 0; // blocked: the source waits, it does not owe
        this.blockedMs += elapsed;
      }
    }, 1);
  }

  /** Stops; returns the seconds it ran. */
  stop(): number {
    if (this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.stoppedAt = performance.now();
    }
    return (this.stoppedAt - this.startedAt) / 1000;
  }
}
