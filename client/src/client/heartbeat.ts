/**
 * Client heartbeats (spec §10.1): after logon the client sends `start,<interval>`, answers
 * each server heartbeat with `beat`, beats on its own when it has sent nothing for an
 * interval, and declares the connection dead when nothing arrives for the timeout
 * (default twice the interval).
 */
import type { HeaderFields } from '../protocol/fields.js';
import type { Timers } from './hooks.js';

/** What the heartbeat needs from its client. */
export interface HeartbeatHost {
  send(fields: HeaderFields): void;
  /** Nothing arrived within the timeout. */
  onAbsent(silentMs: number): void;
  timers: Timers;
}

/** Heartbeat state of one client; `start` after every logon, `stop` on disconnect. */
export class Heartbeat {
  private intervalMs = 0;
  private timeoutMs = 0;
  private ticker: unknown;
  private lastInbound = 0;
  private lastOutbound = 0;

  constructor(private readonly host: HeartbeatHost) {}

  /** Interval in seconds (0 = heartbeats off). */
  get intervalSeconds(): number {
    return this.intervalMs / 1000;
  }
  /** Read timeout in seconds. */
  get timeoutSeconds(): number {
    return this.timeoutMs / 1000;
  }
  /** True while heartbeats are running on a connection. */
  get isRunning(): boolean {
    return this.ticker !== undefined;
  }

  /**
   * Sets interval and timeout (seconds). The interval is sent to the server as a whole
   * number of seconds.
   * @throws RangeError for a negative or non-integer interval, or a timeout shorter than it
   */
  configure(intervalSeconds: number, timeoutSeconds = intervalSeconds * 2): void {
    if (!Number.isInteger(intervalSeconds) || intervalSeconds < 0) {
      throw new RangeError(
        `heartbeat interval must be a whole number of seconds >= 0, got ${intervalSeconds}`,
      );
    }
    if (intervalSeconds > 0 && !(timeoutSeconds >= intervalSeconds)) {
      throw new RangeError(
        `heartbeat timeout (${timeoutSeconds} s) must be at least the interval (${intervalSeconds} s)`,
      );
    }
    this.intervalMs = intervalSeconds * 1000;
    this.timeoutMs = intervalSeconds > 0 ? timeoutSeconds * 1000 : 0;
  }

  /** Sends `start,<interval>` and arms the timers (no-op when the interval is 0). */
  start(): void {
    this.stop();
    if (this.intervalMs === 0) return;
    const now = this.host.timers.now();
    this.lastInbound = now;
    this.send({ command: 'heartbeat', options: `start,${this.intervalMs / 1000}` });
    const tick = Math.max(10, Math.floor(Math.min(this.intervalMs, this.timeoutMs) / 4));
    this.ticker = this.host.timers.setInterval(() => this.check(), tick);
  }

  /** Stops the timers (disconnect, or heartbeats turned off). */
  stop(): void {
    if (this.ticker !== undefined) {
      this.host.timers.clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  /** Any inbound frame refreshes the read timer. */
  onInbound(): void {
    if (this.ticker !== undefined) this.lastInbound = this.host.timers.now();
  }

  /** Any outbound frame refreshes the write timer (kept only while heartbeats are configured). */
  onOutbound(): void {
    if (this.intervalMs > 0) this.lastOutbound = this.host.timers.now();
  }

  /** A server `heartbeat` message: answer with `beat` at once. */
  onServerHeartbeat(): void {
    if (this.intervalMs > 0) this.send({ command: 'heartbeat', options: 'beat' });
  }

  private send(fields: HeaderFields): void {
    try {
      this.host.send(fields);
    } catch {
      // the connection is going away; its close handling reports that
    }
  }

  private check(): void {
    const now = this.host.timers.now();
    const silent = now - this.lastInbound;
    if (silent >= this.timeoutMs) {
      this.stop();
      this.host.onAbsent(silent);
      return;
    }
    if (now - this.lastOutbound >= this.intervalMs) this.send({ command: 'heartbeat', options: 'beat' });
  }
}
