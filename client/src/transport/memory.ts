/**
 * An in-memory transport pair for tests: what one end sends, the other receives as a frame,
 * asynchronously (on a microtask), so code under test sees the same ordering as over a socket.
 */
import type { Transport, TransportHandlers, TransportKind } from './transport.js';

/** A connected in-memory transport; `attach` supplies its handlers before traffic flows. */
export interface MemoryTransport extends Transport {
  attach(handlers: TransportHandlers): void;
}

class MemoryEnd implements MemoryTransport {
  readonly kind: TransportKind = 'stream';
  other!: MemoryEnd;
  private handlers: TransportHandlers | undefined;
  private inbox: Buffer[] = [];
  private paused = false;
  private closed = false;
  private scheduled = false;

  constructor(readonly peer: string) {}

  attach(handlers: TransportHandlers): void {
    this.handlers = handlers;
    this.schedule();
  }

  send(header: Uint8Array, payload?: Uint8Array): boolean {
    if (this.closed) return false;
    const frame = payload ? Buffer.concat([header, payload]) : Buffer.from(header);
    this.other.receive(frame);
    return true;
  }

  cork(): void {}
  uncork(): void {}

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.schedule();
  }

  close(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.inbox = [];
    queueMicrotask(() => this.handlers?.onClose(error));
    this.other.peerClosed();
  }

  private peerClosed(): void {
    if (this.closed) return;
    // Deliver what is already in flight, then report the close.
    this.closing = true;
    this.schedule();
  }

  private closing = false;

  private receive(frame: Buffer): void {
    if (this.closed) return;
    this.inbox.push(frame);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    const handlers = this.handlers;
    if (!handlers || this.closed) return;
    while (!this.paused && this.inbox.length > 0 && !this.closed) {
      handlers.onFrame(this.inbox.shift() as Buffer);
    }
    if (this.closing && this.inbox.length === 0 && !this.closed) {
      this.closed = true;
      handlers.onClose();
    }
  }
}

/** Creates two connected transports: frames sent on one arrive on the other. */
export function createMemoryTransportPair(): [MemoryTransport, MemoryTransport] {
  const a = new MemoryEnd('memory:a');
  const b = new MemoryEnd('memory:b');
  a.other = b;
  b.other = a;
  return [a, b];
}
