/**
 * The back-pressure of one MessageStream: while more messages are queued than the stream's
 * maximum depth, it holds the connection paused (through the client's shared
 * {@link StreamPressure}), and resumes it once the application has taken them down to half of
 * that depth — or at once when the stream ends, after which it never pauses again.
 */

/** Pauses and resumes reading from the connection (back-pressure). */
export interface StreamPressure {
  pause(): void;
  resume(): void;
}

/** Pauses the connection over a depth limit, resumes at the low-water mark (half the limit). */
export class PressureGate {
  /** The depth over which the connection is paused. */
  limit: number;
  private pausedNow = false;
  private released = false;

  constructor(
    private readonly pressure: StreamPressure | undefined,
    limit: number,
  ) {
    this.limit = limit;
  }

  /** True while this gate holds the connection paused. */
  get paused(): boolean {
    return this.pausedNow;
  }

  /** Pauses or resumes the connection for the stream's current depth. */
  check(depth: number): void {
    if (!this.pressure || this.released) return;
    if (!this.pausedNow && depth > this.limit) {
      this.pausedNow = true;
      this.pressure.pause();
    } else if (this.pausedNow && depth <= Math.floor(this.limit / 2)) {
      this.pausedNow = false;
      this.pressure.resume();
    }
  }

  /** The stream ended: resume the connection if this gate paused it, and pause it no more. */
  release(): void {
    this.released = true;
    if (this.pausedNow) {
      this.pausedNow = false;
      this.pressure?.resume();
    }
  }
}
