/**
 * The soak's stream: `{"seq":n}` published at a steady rate through an HA client with a
 * publish store, as a bounded source does. A 1 ms timer publishes what the rate allows since
 * the previous tick (the client's transport writes a tick's publishes in one socket write);
 * while the store holds `storeCap` unpersisted messages the source waits (a failover) and
 * does not catch up afterwards, so the achieved rate is what really went out. The bench can
 * pause it (while a killed server's replacement starts); paused time is counted apart.
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
  /** Milliseconds the bench held the stream paused. */
  pausedMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private stoppedAt = 0;
  private pausedAt: number | undefined;
  private last = 0;

  constructor(
    private readonly publisher: HAClient,
    private readonly rate: number,
    private readonly storeCap: number,
  ) {}

  start(): void {
    this.startedAt = performance.now();
    this.last = this.startedAt;
    let allowance = 0;
    this.timer = setInterval(() => {
      if (this.pausedAt !== undefined) return;
      const now = performance.now();
      const elapsed = now - this.last;
      allowance += (elapsed * this.rate) / 1000;
      this.last = now;
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

  /** Holds the stream (nothing is owed for the paused time). */
  pause(): void {
    this.pausedAt ??= performance.now();
  }

  resume(): void {
    if (this.pausedAt === undefined) return;
    const now = performance.now();
    this.pausedMs += now - this.pausedAt;
    this.pausedAt = undefined;
    this.last = now;
  }

  /** Seconds streamed so far, paused time excluded. */
  get seconds(): number {
    const end = this.timer === undefined ? this.stoppedAt : performance.now();
    const paused = this.pausedMs + (this.pausedAt === undefined ? 0 : end - this.pausedAt);
    return (end - this.startedAt - paused) / 1000;
  }

  /** Stops; returns the seconds it ran, paused time excluded. */
  stop(): number {
    this.resume();
    if (this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.stoppedAt = performance.now();
    }
    return this.seconds;
  }
}
