/**
 * Comparing two messages of the subscription view, apart from the DOM: pick one, then
 * another (or the previous message of the same SowKey), and see what differs between their
 * payloads (structurally for JSON, line by line otherwise).
 */
import type { MessageDto } from '../../../common/src/dto/subscriptions.js';
import { Model } from '../lib/model.js';
import { diffPayloads } from '../lib/structuralDiff.js';
import type { PayloadDiff } from '../lib/structuralDiff.js';

/** Two messages and what differs between them. */
export interface Comparison {
  /** The older side (the first picked). */
  before: MessageDto;
  after: MessageDto;
  diff: PayloadDiff;
  /** What the reader should know about the comparison (a payload cut for display, other topics). */
  notes: string[];
}

/** What the compare panel shows. */
export interface CompareSnapshot {
  /** The first message, waiting for the second to be picked. */
  base: MessageDto | undefined;
  result: Comparison | undefined;
  /** Why there is nothing to compare (no previous message of the key, ...). */
  problem: string | undefined;
}

/** The messages of the list as the comparison reads them. */
export interface MessageRows {
  count: number;
  rowAt(row: number): MessageDto | undefined;
}

/** Compares two messages' payloads. */
export function compareMessages(before: MessageDto, after: MessageDto): Comparison {
  const notes: string[] = [];
  for (const m of [before, after]) {
    if (m.truncated)
      notes.push(`The payload of message ${m.index} is cut for display: only its first part is compared.`);
  }
  if (before.topic !== after.topic)
    notes.push(`The messages are of different topics (${before.topic}, ${after.topic}).`);
  return { before, after, diff: diffPayloads(before.data, after.data), notes };
}

/**
 * The message of `message`'s SowKey received just before it among `rows`, or undefined when
 * there is none (or it has no SowKey).
 */
export function previousOfKey(rows: MessageRows, message: MessageDto): MessageDto | undefined {
  const key = message.sowKey;
  if (key === undefined) return undefined;
  let best: MessageDto | undefined;
  for (let row = 0; row < rows.count; row++) {
    const m = rows.rowAt(row);
    if (m === undefined || m.sowKey !== key || m.index >= message.index) continue;
    if (best === undefined || m.index > best.index) best = m;
  }
  return best;
}

/** The compare actions and their result. */
export class CompareModel extends Model<CompareSnapshot> {
  constructor() {
    super({ base: undefined, result: undefined, problem: undefined });
  }

  /** Takes `message` as the first side: the next message picked is compared with it. */
  start(message: MessageDto): void {
    this.update({ base: message, result: undefined, problem: undefined });
  }

  /**
   * A message was selected: when a first side waits, compares the two (the older message on
   * the left) and returns true.
   */
  pick(message: MessageDto | undefined): boolean {
    const base = this.state.base;
    if (base === undefined || message === undefined || message === base) return false;
    const [before, after] = base.index <= message.index ? [base, message] : [message, base];
    this.update({ base: undefined, result: compareMessages(before, after), problem: undefined });
    return true;
  }

  /** Compares `message` with the previous message of its SowKey among `rows`. */
  withPrevious(rows: MessageRows, message: MessageDto): void {
    const previous = previousOfKey(rows, message);
    if (previous === undefined) {
      const problem =
        message.sowKey === undefined
          ? `Message ${message.index} has no SowKey: there is no previous message of its key to compare with.`
          : `No earlier message of SowKey ${message.sowKey} is held in the list.`;
      this.update({ base: undefined, result: undefined, problem });
      return;
    }
    this.update({ base: undefined, result: compareMessages(previous, message), problem: undefined });
  }

  /** Closes the comparison (or stops waiting for a second message). */
  close(): void {
    this.update({ base: undefined, result: undefined, problem: undefined });
  }
}
