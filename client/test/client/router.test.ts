import { describe, expect, it } from 'vitest';
import { Message } from '../../src/protocol/message.js';
import { Router, type Route } from '../../src/router.js';

function route(
  commandId: string,
  subId?: string,
  queryId?: string,
): Route & { got: string[]; failed: Error[] } {
  const got: string[] = [];
  const failed: Error[] = [];
  return {
    commandId,
    subId,
    queryId,
    got,
    failed,
    deliver: (m, via) => got.push(`${m.command}${via ? `@${via}` : ''}`),
    fail: (e) => failed.push(e),
  };
}

describe('Router (spec §5.4)', () => {
  it('routes acks by cid, then query_id, then sub_id', () => {
    const r = new Router();
    const a = route('1', 'S1', 'Q1');
    const b = route('2', 'S2');
    r.add(a);
    r.add(b);
    expect(r.dispatch(new Message({ command: 'ack', commandId: '1', ackType: 'processed' }))).toBe('routed');
    expect(r.dispatch(new Message({ command: 'ack', queryId: 'Q1', ackType: 'completed' }))).toBe('routed');
    expect(r.dispatch(new Message({ command: 'ack', subId: 'S2', ackType: 'processed' }))).toBe('routed');
    expect(r.dispatch(new Message({ command: 'ack', commandId: '9' }))).toBe('unrouted');
    expect(a.got).toEqual(['ack', 'ack']);
    expect(b.got).toEqual(['ack']);
  });

  it('routes SOW results by query_id and deliveries by every id of sids', () => {
    const r = new Router();
    const a = route('1', 'A', 'A');
    const b = route('2', 'B');
    r.add(a);
    r.add(b);
    r.dispatch(new Message({ command: 'group_begin', queryId: 'A' }));
    r.dispatch(new Message({ command: 'sow', queryId: 'A' }));
    r.dispatch(new Message({ command: 'publish', subIds: 'A,B,Z' }));
    r.dispatch(new Message({ command: 'oof', subIds: 'B' }));
    r.dispatch(new Message({ command: 'publish', subId: 'A' }));
    expect(a.got).toEqual(['group_begin', 'sow', 'publish@A', 'publish@A']);
    expect(b.got).toEqual(['publish@B', 'oof@B']);
    expect(r.dispatch(new Message({ command: 'publish', subIds: 'Z' }))).toBe('unrouted');
    expect(r.dispatch(new Message({ command: 'heartbeat' }))).toBe('unrouted');
  });

  it('gives persisted acks to the store hook, with or without a route', () => {
    const seen: string[] = [];
    const r = new Router({ persistedAck: (m) => (seen.push(m.sequence ?? m.bookmark ?? ''), true) });
    const a = route('1', 'S');
    r.add(a);
    expect(r.dispatch(new Message({ command: 'ack', ackType: 'persisted', sequence: '5' }))).toBe('hook');
    expect(
      r.dispatch(new Message({ command: 'ack', ackType: 'persisted', subId: 'S', bookmark: '1|2|' })),
    ).toBe('routed');
    expect(seen).toEqual(['5', '1|2|']);
    expect(a.got).toEqual(['ack']);
  });

  it('removes routes from every index and fails them all on disconnect', () => {
    const r = new Router();
    const a = route('1', 'S', 'Q');
    const b = route('2');
    r.add(a);
    r.add(b);
    expect(r.size).toBe(2);
    r.remove(a);
    expect(r.subscription('S')).toBeUndefined();
    expect(r.dispatch(new Message({ command: 'sow', queryId: 'Q' }))).toBe('unrouted');
    r.failAll(new Error('gone'));
    expect(b.failed.map((e) => e.message)).toEqual(['gone']);
    expect(r.size).toBe(0);
  });
});
