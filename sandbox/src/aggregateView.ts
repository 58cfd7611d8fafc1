/**
 * The per-subscription state of an aggregated sow_and_subscribe (spec §7.5): which source
 * record sits in which group, and the last synthetic record sent for each group, so that a
 * publish or delete re-computes only the groups it touched.
 */
import type { AggregateSpec } from './aggregate.js';
import { groupKeyOf, groupSowKey, projectGroup } from './aggregate.js';
import { diffRecord } from './delta.js';
import { deliverConflated } from './delivery.js';
import type { SowRecord } from './sowStore.js';
import type { Subscription } from './subscription.js';

/** One group: its source records and its current synthetic record. */
interface Group {
  sowKey: string;
  members: Map<string, unknown>;
  /** Source key of the most recently written member (non-aggregate fields come from it). */
  lastKey: string;
  data: Buffer;
  timestampMicros: number;
}

/** What changed for one group after a source change. */
export type GroupChange =
  | { kind: 'update'; key: string; data: Buffer; previous?: Buffer; timestampMicros: number }
  | { kind: 'remove'; key: string; data: Buffer; timestampMicros: number };

/** Synthetic record of a group as the SOW query result sends it. */
export interface GroupRecord {
  key: string;
  data: Buffer;
  json: unknown;
  timestampMicros: number;
}

/** Groups of one aggregated subscription or query. */
export class AggregateView {
  private readonly groups = new Map<string, Group>();
  private readonly memberOf = new Map<string, string>();

  constructor(readonly spec: AggregateSpec) {}

  /** Fills the view from the records of a SOW query (in SOW order; the latest write is "last"). */
  load(records: readonly SowRecord[]): void {
    const ordered = [...records].sort((a, b) => a.timestampMicros - b.timestampMicros);
    for (const r of ordered) this.place(r.key, r.json, r.timestampMicros);
    for (const g of this.groups.values()) this.render(g);
  }

  /** The synthetic records, one per group, in order of group creation. */
  records(): GroupRecord[] {
    return [...this.groups.values()].map((g) => ({
      key: g.sowKey,
      data: g.data,
      json: JSON.parse(g.data.toString('utf8')) as unknown,
      timestampMicros: g.timestampMicros,
    }));
  }

  /**
   * Applies a source change: `json` undefined means the record left the result set
   * (deleted, expired or no longer matching the filter).
   * @returns the groups whose synthetic record changed or disappeared
   */
  apply(sourceKey: string, json: unknown, timestampMicros: number): GroupChange[] {
    const changes: GroupChange[] = [];
    const before = this.memberOf.get(sourceKey);
    const after = json === undefined ? undefined : groupKeyOf(this.spec, json);
    if (before !== undefined && before !== after) {
      const g = this.groups.get(before);
      if (g) {
        g.members.delete(sourceKey);
        this.memberOf.delete(sourceKey);
        if (g.members.size === 0) {
          this.groups.delete(before);
          changes.push({ kind: 'remove', key: g.sowKey, data: g.data, timestampMicros });
        } else {
          if (g.lastKey === sourceKey) g.lastKey = [...g.members.keys()].pop() as string;
          const change = this.rerender(g, timestampMicros);
          if (change) changes.push(change);
        }
      }
    }
    if (after !== undefined) {
      const g = this.place(sourceKey, json, timestampMicros);
      const change = this.rerender(g, timestampMicros);
      if (change) changes.push(change);
    }
    return changes;
  }

  private place(sourceKey: string, json: unknown, timestampMicros: number): Group {
    const groupKey = groupKeyOf(this.spec, json);
    let g = this.groups.get(groupKey);
    if (!g) {
      g = {
        sowKey: groupSowKey(groupKey),
        members: new Map(),
        lastKey: sourceKey,
        data: Buffer.alloc(0),
        timestampMicros,
      };
      this.groups.set(groupKey, g);
    }
    // Re-inserting moves the member to the end: map order is write order.
    g.members.delete(sourceKey);
    g.members.set(sourceKey, json);
    g.lastKey = sourceKey;
    g.timestampMicros = timestampMicros;
    this.memberOf.set(sourceKey, groupKey);
    return g;
  }

  private render(g: Group): void {
    const doc = projectGroup(this.spec, [...g.members.values()], g.members.get(g.lastKey));
    g.data = Buffer.from(JSON.stringify(doc), 'utf8');
  }

  private rerender(g: Group, timestampMicros: number): GroupChange | undefined {
    const previous = g.data;
    this.render(g);
    if (previous.length > 0 && previous.equals(g.data)) return undefined;
    g.timestampMicros = timestampMicros;
    const change: GroupChange = { kind: 'update', key: g.sowKey, data: g.data, timestampMicros };
    if (previous.length > 0) change.previous = previous;
    return change;
  }
}

/**
 * Sends the changed groups of an aggregated subscription: `p` with the new synthetic record (the
 * changed fields only for sow_and_delta_subscribe), `oof` when a group lost its last record.
 * @returns how many messages were sent
 */
export function deliverGroupChanges(
  sub: Subscription,
  topic: string,
  changes: readonly GroupChange[],
  removedReason: string,
): number {
  let sent = 0;
  for (const c of changes) {
    if (c.kind === 'remove') {
      if (!sub.oof) continue;
      deliverConflated(
        sub,
        'oof',
        { topic, key: c.key, data: c.data, timestampMicros: c.timestampMicros },
        c.key,
        removedReason,
      );
      sent++;
      continue;
    }
    let data = c.data;
    if (sub.delta && c.previous) {
      const d = diffRecord(JSON.parse(c.previous.toString('utf8')), JSON.parse(c.data.toString('utf8')), []);
      if (!d.changed && sub.noEmpties) continue;
      data = Buffer.from(JSON.stringify(d.delta), 'utf8');
    }
    deliverConflated(sub, 'p', { topic, key: c.key, data, timestampMicros: c.timestampMicros }, c.key);
    sent++;
  }
  return sent;
}
