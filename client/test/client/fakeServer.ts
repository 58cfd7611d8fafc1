/**
 * A scripted AMPS server for client tests: the server end of a memory transport pair. It
 * decodes each command with decodeHeader, records it, and answers with frames encoded by
 * encodeHeader(..., 'server'). Default answers: logon success, and a success ack for every
 * requested `processed` ack; tests replace them per command with `on`.
 */
import type { TransportFactory } from '../../src/client/hooks.js';
import type { HeaderFields } from '../../src/protocol/fields.js';
import { decodeHeader, encodeHeader } from '../../src/protocol/header.js';
import { createMemoryTransportPair, type MemoryTransport } from '../../src/transport/memory.js';

/** One command the client sent. */
export interface Received {
  fields: HeaderFields;
  payload: Buffer;
  /** The header exactly as sent. */
  header: string;
}

type Responder = (cmd: Received, server: FakeServer) => void;

/** Ack fields echoing a command's ids (spec §5.3). */
export function ackFor(cmd: Received, ackType: string, extra: HeaderFields = {}): HeaderFields {
  const f: HeaderFields = { command: 'ack', ackType, status: 'success' };
  if (cmd.fields.commandId !== undefined) f.commandId = cmd.fields.commandId;
  if (cmd.fields.subId !== undefined) f.subId = cmd.fields.subId;
  if (cmd.fields.queryId !== undefined) f.queryId = cmd.fields.queryId;
  return { ...f, ...extra };
}

export class FakeServer {
  readonly received: Received[] = [];
  readonly client: MemoryTransport;
  private readonly end: MemoryTransport;
  private readonly responders = new Map<string, Responder>();
  private waiters: { match: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];
  /** Set once the client end closed the connection. */
  closedByClient = false;
  /** What the server end saw close with. */
  closeError: Error | undefined;

  constructor(readonly version = '5.3.5.1') {
    [this.client, this.end] = createMemoryTransportPair();
    this.end.attach({
      onFrame: (frame) => this.onFrame(frame),
      onClose: (error) => {
        this.closedByClient = true;
        this.closeError = error;
      },
    });
    this.on('logon', (cmd) =>
      this.reply(
        ackFor(cmd, 'processed', { clientName: cmd.fields.clientName ?? '', version: this.version }),
      ),
    );
  }

  /** The factory to give the Client. */
  readonly factory: TransportFactory = (_uri, handlers) => {
    this.client.attach(handlers);
    return Promise.resolve(this.client);
  };

  /** Replaces the answer to one command. */
  on(command: string, responder: Responder): this {
    this.responders.set(command, responder);
    return this;
  }

  /** Sends a server message. */
  reply(fields: HeaderFields, payload?: string | Buffer): void {
    const header = Buffer.from(encodeHeader(fields, 'server'), 'utf8');
    this.end.send(header, payload === undefined ? undefined : Buffer.from(payload));
  }

  /** Sends raw bytes as one frame (header + payload as given). */
  sendRaw(bytes: string | Buffer): void {
    this.end.send(Buffer.from(bytes));
  }

  /** A SOW batch frame with the given records (spec §7.2). */
  sowBatch(outer: HeaderFields, records: { key: string; data: string; extra?: HeaderFields }[]): void {
    const parts: Buffer[] = [];
    for (const r of records) {
      const data = Buffer.from(r.data, 'utf8');
      parts.push(
        Buffer.from(
          encodeHeader({ sowKey: r.key, length: String(data.length), ...r.extra }, 'server'),
          'utf8',
        ),
        data,
      );
    }
    this.reply({ command: 'sow', ...outer, batchSize: String(records.length) }, Buffer.concat(parts));
  }

  /** Drops the connection from the server side. */
  drop(error?: Error): void {
    this.end.close(error);
  }

  /** Pauses / resumes reading what the client sends. */
  pauseReading(): void {
    this.end.pause();
  }

  /** Commands received with this name. */
  commands(name: string): Received[] {
    return this.received.filter((r) => r.fields.command === name);
  }

  /** Resolves with the next (or an already received, unconsumed) command matching `match`. */
  next(name: string, match: (r: Received) => boolean = () => true, timeoutMs = 2000): Promise<Received> {
    const pred = (r: Received): boolean => r.fields.command === name && match(r);
    const found = this.received.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`fake server: no ${name} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        match: pred,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
  }

  private onFrame(frame: Buffer): void {
    const { fields, end } = decodeHeader(frame);
    const cmd: Received = {
      fields,
      payload: frame.subarray(end),
      header: frame.subarray(0, end).toString('utf8'),
    };
    this.received.push(cmd);
    const name = fields.command ?? '';
    const responder = this.responders.get(name);
    if (responder) responder(cmd, this);
    else if ((fields.ackType ?? '').split(',').includes('processed')) this.reply(ackFor(cmd, 'processed'));
    const ready = this.waiters.filter((w) => w.match(cmd));
    this.waiters = this.waiters.filter((w) => !w.match(cmd));
    for (const w of ready) w.resolve(cmd);
  }
}
