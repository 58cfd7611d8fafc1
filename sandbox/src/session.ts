/** One client connection: logon state, subscriptions, heartbeat clock and outbound writes. */
import type { Transport } from '../../client/src/transport/transport.js';
import type { Subscription } from './subscription.js';

/** A server-side transport; stream transports report the bytes waiting to be written. */
export interface SessionTransport extends Transport {
  /** Outbound bytes queued and not yet handed to the OS (slow-consumer bound). */
  readonly outboundBytes?: number;
  /**
   * Sends a message whose header is still a string (saves a copy); optional.
   * @returns the header's length in bytes, or -1 when the connection is gone
   */
  sendText?(header: string, payload?: Uint8Array): number;
  /**
   * Sends a message whose header is `start` (bytes), then `middle` (text), then the payload
   * length field `,"l":<payload length>}` the transport writes itself; optional.
   * @returns the header's length in bytes, or -1 when the connection is gone
   */
  sendWithLength?(start: Uint8Array, middle: string, payload: Uint8Array): number;
}

/** The start of a header that many messages share, as text and as encoded bytes. */
export interface HeaderStart {
  readonly text: string;
  readonly bytes: Buffer;
}

/** What a session needs from the server around it. */
export interface SessionHost {
  readonly maxOutboundBytes: number;
  sessionClosed(session: Session, reason: string): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

let nextSessionId = 1;

/**
 * Wall-clock ms read once per run of synchronous code by the send path: the outbound clock
 * only serves heartbeats, whose intervals are seconds, and fan-out sends many messages per run.
 */
let turnNow = 0;
let turnNowValid = false;
const invalidateTurnNow = (): void => {
  turnNowValid = false;
};
function nowThisTurn(): number {
  if (!turnNowValid) {
    turnNow = Date.now();
    turnNowValid = true;
    queueMicrotask(invalidateTurnNow);
  }
  return turnNow;
}

/** Server-side state of one connection. */
export class Session {
  readonly id = nextSessionId++;
  clientName: string | undefined;
  userId: string | undefined;
  loggedOn = false;
  closed = false;
  version: string | undefined;
  /** Credentials from a WebSocket upgrade's `Authorization: Basic` header (spec §1.10.1). */
  httpCredentials: { user: string; password: string } | undefined;
  /** A logon challenge (`status=retry`) was already sent on this connection. */
  challenged = false;
  readonly subs = new Map<string, Subscription>();
  /**
   * Persisted-ack conflation interval of this connection (ms; logon `ack_conflation=`): publish
   * persisted acks within it merge into one carrying the highest sequence. 0 = merge only what
   * one turn of the event loop processed.
   */
  ackConflationMs = 0;
  /** Highest publish sequence awaiting its conflated persisted ack. */
  pendingPersisted: bigint | undefined;
  /** Heartbeat interval requested by the client (ms); 0 = heartbeats off. */
  heartbeatMs = 0;
  lastInbound = Date.now();
  /**
   * When the first server heartbeat after the last inbound frame was sent (spec §10.1 step 4:
   * the client has twice the interval from there to answer); undefined when none is unanswered.
   */
  heartbeatSentAt: number | undefined;
  lastOutbound = Date.now();
  readonly connectedAt = Date.now();
  messagesIn = 0;
  messagesOut = 0;
  bytesOut = 0;

  constructor(
    private readonly host: SessionHost,
    readonly transport: SessionTransport,
    readonly transportKind: string,
  ) {}

  /** Peer description for logs. */
  get peer(): string {
    return this.transport.peer;
  }

  /** A name for log lines: client name when known, else peer. */
  get label(): string {
    return this.clientName ? `${this.clientName} (${this.peer})` : this.peer;
  }

  /** Sends one message; drops the connection as a slow client when its outbound queue is over the limit. */
  send(header: string, payload?: Buffer): void {
    if (this.closed) return;
    let headerBytes: number;
    if (this.transport.sendText) {
      headerBytes = this.transport.sendText(header, payload);
      if (headerBytes < 0) return;
    } else {
      const head = Buffer.from(header, 'utf8');
      this.transport.send(head, payload);
      headerBytes = head.length;
    }
    this.sent(headerBytes + (payload ? payload.length : 0));
  }

  /**
   * Sends a message whose header is `start`, then `middle`, then `,"l":<payload length>}`
   * (the shape of a delivery header), without building the header as one string when the
   * transport can write it in parts.
   */
  sendWithLength(start: HeaderStart, middle: string, payload: Buffer): void {
    if (this.closed) return;
    if (!this.transport.sendWithLength) {
      this.send(`${start.text}${middle},"l":${payload.length}}`, payload);
      return;
    }
    const headerBytes = this.transport.sendWithLength(start.bytes, middle, payload);
    if (headerBytes >= 0) this.sent(headerBytes + payload.length);
  }

  /** Accounts for one message handed to the transport and enforces the slow-client limit. */
  private sent(bytes: number): void {
    this.messagesOut++;
    this.bytesOut += bytes;
    this.lastOutbound = nowThisTurn();
    const queued = this.transport.outboundBytes ?? 0;
    if (queued > this.host.maxOutboundBytes) {
      this.close(`slow client: ${queued} bytes queued (limit ${this.host.maxOutboundBytes})`, 'warn');
    }
  }

  /** Closes the connection, logging why; idempotent. */
  close(reason: string, level: 'info' | 'warn' | 'error' = 'info'): void {
    if (this.closed) return;
    this.closed = true;
    this.host.log(level, `disconnecting ${this.label}: ${reason}`);
    this.host.sessionClosed(this, reason);
    try {
      this.transport.close();
    } catch {
      // the socket is gone already
    }
  }

  /** The transport ended from the other side. */
  transportEnded(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    const protocolProblem = error?.name === 'ProtocolError';
    this.host.log(
      protocolProblem ? 'warn' : 'info',
      `client ${this.label} disconnected${error ? `${protocolProblem ? ' (protocol error)' : ''}: ${error.message}` : ''}`,
    );
    this.host.sessionClosed(this, error ? error.message : 'connection closed');
  }
}
