/**
 * Conformance: WebSocket reassembly of server messages (spec §1.10.1, Appendix A). A server
 * should never send `c=delta_publish`, but a client that meets one must still read the body
 * message that follows it, or every later message would be framed wrongly.
 */
import { describe, expect, it } from 'vitest';
import { WebSocketReassembler } from '../../src/transport/wsFraming.js';

function feed(messages: string[]): string[] {
  const out: string[] = [];
  const r = new WebSocketReassembler((f) => out.push(f.toString('utf8')), 1 << 20);
  for (const m of messages) r.push(Buffer.from(m), false);
  return out;
}

describe('WebSocket server messages (§1.10.1)', () => {
  it('a delta_publish header is followed by its body message; l 0 means no body', () => {
    expect(
      feed([
        '{"c":"delta_publish","t":"orders","sids":"D","l":9}',
        '{"qty":5}',
        '{"c":"delta_publish","t":"orders","sids":"D","l":0}',
        '{"c":"ack","cid":"1","a":"processed","status":"success"}',
      ]),
    ).toEqual([
      '{"c":"delta_publish","t":"orders","sids":"D","l":9}{"qty":5}',
      '{"c":"delta_publish","t":"orders","sids":"D","l":0}',
      '{"c":"ack","cid":"1","a":"processed","status":"success"}',
    ]);
  });
});
