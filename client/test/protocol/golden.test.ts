import { describe, expect, it } from 'vitest';
import { FIELD_NAMES, FIELDS, type HeaderFields } from '../../src/protocol/fields.js';
import { encodeFrame, FrameReader } from '../../src/protocol/frame.js';
import { decodeHeader, encodeHeader } from '../../src/protocol/header.js';
import { ProtocolError } from '../../src/protocol/protocolError.js';
import { splitSowBatch } from '../../src/protocol/sowBatch.js';
import { ACK, DELIVERY, GOLDEN_FRAMES, HEARTBEAT, LOGON, PUBLISH, SOW_BATCH, TRANSCRIPT } from './golden.js';

const MAX = 1024 * 1024;
const body = (frame: Buffer): Buffer => frame.subarray(4);
const payloadOf = (frame: Buffer): Buffer => {
  const b = body(frame);
  return b.subarray(decodeHeader(b).end);
};

/** Runs chunks through a FrameReader and returns the frames it reports, copied. */
function readAll(chunks: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  const reader = new FrameReader((f) => out.push(Buffer.from(f)), MAX);
  for (const c of chunks) reader.push(c);
  expect(reader.bufferedBytes).toBe(0);
  return out;
}

describe('golden frames: encoding (spec §1.5, §4.3, §7.2)', () => {
  it('publish command', () => {
    const header = Buffer.from(encodeHeader({ command: 'publish', topic: 'orders' }, 'client'));
    expect(encodeFrame(header, Buffer.from('{"id":1,"qty":10}'))).toEqual(PUBLISH);
  });
  it('processed ack', () => {
    const fields: HeaderFields = {
      command: 'ack',
      commandId: '5',
      ackType: 'processed',
      status: 'success',
      subId: '5',
    };
    expect(encodeFrame(Buffer.from(encodeHeader(fields, 'server')))).toEqual(ACK);
  });
  it('heartbeat beat', () => {
    expect(
      encodeFrame(Buffer.from(encodeHeader({ command: 'heartbeat', options: 'beat' }, 'client'))),
    ).toEqual(HEARTBEAT);
  });
  it('delivery with bookmark, key and l as a bare number', () => {
    const fields: HeaderFields = {
      command: 'publish',
      topic: 'orders',
      subIds: '5',
      bookmark: '11290131331453466431|1700000000000042|',
      sowKey: '1001',
      length: '17',
    };
    expect(
      encodeFrame(Buffer.from(encodeHeader(fields, 'server')), Buffer.from('{"id":1,"qty":10}')),
    ).toEqual(DELIVERY);
  });
  it('official logon', () => {
    const fields: HeaderFields = {
      command: 'logon',
      commandId: '1',
      clientName: 'viewer-1',
      userId: 'alice',
      ackType: 'processed',
      version: '5.3.5.1.0:ts',
      password: 'secret',
    };
    expect(encodeFrame(Buffer.from(encodeHeader(fields, 'client')))).toEqual(LOGON);
  });
  it('SOW batch with two records', () => {
    const rec = (k: string, data: string): Buffer =>
      Buffer.concat([
        Buffer.from(encodeHeader({ sowKey: k, length: String(data.length) }, 'server')),
        Buffer.from(data),
      ]);
    const outer = Buffer.from(
      encodeHeader({ command: 'sow', topic: 'orders', queryId: '7', batchSize: '2' }, 'server'),
    );
    const frame = encodeFrame(
      outer,
      Buffer.concat([rec('1001', '{"id":1,"qty":10}'), rec('1002', '{"id":2,"qty":20}')]),
    );
    expect(frame).toEqual(SOW_BATCH);
  });
});

describe('golden frames: decoding', () => {
  it('decodes every golden header to the spec fields', () => {
    expect(decodeHeader(body(PUBLISH)).fields).toEqual({ command: 'publish', topic: 'orders' });
    expect(payloadOf(PUBLISH).toString()).toBe('{"id":1,"qty":10}');
    expect(decodeHeader(body(ACK))).toEqual({
      fields: { command: 'ack', commandId: '5', ackType: 'processed', status: 'success', subId: '5' },
      end: body(ACK).length,
    });
    expect(decodeHeader(body(HEARTBEAT)).fields).toEqual({ command: 'heartbeat', options: 'beat' });
    const d = decodeHeader(body(DELIVERY));
    expect(d.fields).toEqual({
      command: 'publish',
      topic: 'orders',
      subIds: '5',
      bookmark: '11290131331453466431|1700000000000042|',
      sowKey: '1001',
      length: '17',
    });
    expect(d.end).toBe(0x65 - 4);
    expect(decodeHeader(body(LOGON)).fields.version).toBe('5.3.5.1.0:ts');
  });

  it('splits the §7.2 batch at the documented offsets', () => {
    const b = body(SOW_BATCH);
    const outer = decodeHeader(b);
    expect(outer.fields).toEqual({ command: 'sow', topic: 'orders', queryId: '7', batchSize: '2' });
    expect(outer.end).toBe(0x32 - 4);
    const records = splitSowBatch(b, outer.end);
    expect(records.map((r) => r.fields)).toEqual([
      { sowKey: '1001', length: '17' },
      { sowKey: '1002', length: '17' },
    ]);
    expect((records[0]?.data.byteOffset ?? -1) - b.byteOffset).toBe(0x45 - 4);
    expect((records[1]?.data.byteOffset ?? -1) - b.byteOffset).toBe(0x69 - 4);
    expect(records.map((r) => r.data.toString())).toEqual(['{"id":1,"qty":10}', '{"id":2,"qty":20}']);
  });

  it('FrameReader reassembles each frame split at every boundary', () => {
    for (const frame of GOLDEN_FRAMES) {
      for (let cut = 0; cut <= frame.length; cut++) {
        expect(readAll([frame.subarray(0, cut), frame.subarray(cut)])).toEqual([body(frame)]);
      }
      expect(readAll([...frame].map((b) => Buffer.from([b])))).toEqual([body(frame)]);
    }
  });

  it('FrameReader handles every frame back to back, split at every boundary', () => {
    const all = Buffer.concat([...GOLDEN_FRAMES, Buffer.alloc(4), PUBLISH]);
    const hex = (frames: Buffer[]): string => frames.map((f) => f.toString('hex')).join('|');
    const expected = hex([...GOLDEN_FRAMES, PUBLISH].map(body));
    expect(hex(readAll([all]))).toBe(expected);
    for (let cut = 0; cut <= all.length; cut += 1) {
      expect(hex(readAll([all.subarray(0, cut), all.subarray(cut)]))).toBe(expected);
    }
    for (let a = 0; a < all.length; a += 17) {
      for (let c = a; c < all.length; c += 23) {
        expect(hex(readAll([all.subarray(0, a), all.subarray(a, c), all.subarray(c)]))).toBe(expected);
      }
    }
  });

  it('refuses a frame over the limit, and every push after it', () => {
    const reader = new FrameReader(() => {}, 64);
    expect(() => reader.push(PUBLISH)).not.toThrow();
    expect(() => reader.push(DELIVERY)).toThrow(ProtocolError);
    expect(() => reader.push(PUBLISH)).toThrow(/exceeds the limit of 64 bytes/);
  });
});

describe('§15.1 transcript', () => {
  it('every line decodes; the SOW line yields its records', () => {
    for (const [, line] of TRANSCRIPT) {
      const buf = Buffer.from(line);
      const { fields, end } = decodeHeader(buf);
      expect(fields.command).toBeDefined();
      if (fields.command === 'sow') {
        const recs = splitSowBatch(buf, end);
        expect(recs.map((r) => [r.fields.sowKey, r.fields.timestamp, r.data.toString()])).toEqual([
          ['1001', '20240115T093000.000001Z', '{"id":1,"qty":10}'],
          ['1002', '20240115T093000.000002Z', '{"id":2,"qty":20}'],
        ]);
      }
    }
  });

  it('client lines and single-header server lines re-encode byte for byte', () => {
    for (const [dir, line] of TRANSCRIPT) {
      const buf = Buffer.from(line);
      const { fields, end } = decodeHeader(buf);
      if (fields.command === 'sow') continue; // record headers there put ts after l
      const header = line.slice(0, end);
      expect(encodeHeader(fields, dir)).toBe(header);
    }
  });
});

describe('header codec details', () => {
  it('accepts every alias of the §3.4 table', () => {
    for (const name of FIELD_NAMES) {
      for (const key of FIELDS[name].aliases) {
        const value = name === 'command' ? 'ack' : 'v1';
        const { fields } = decodeHeader(Buffer.from(`{"${key}":"${value}"}`));
        expect(fields, key).toEqual({ [name]: value });
      }
    }
  });

  it('reads numbers quoted or bare, and big sequence numbers exactly', () => {
    const bare = decodeHeader(
      Buffer.from('{"c":"ack","s":18446744073709551615,"bs":2,"matches":"42"}'),
    ).fields;
    const quoted = decodeHeader(
      Buffer.from('{"c":"ack","s":"18446744073709551615","bs":"2","matches":42}'),
    ).fields;
    expect(bare).toEqual(quoted);
    expect(bare.sequence).toBe('18446744073709551615');
    expect(encodeHeader({ command: 'publish', topic: 't', sequence: '18446744073709551615' }, 'client')).toBe(
      '{"c":"p","t":"t","s":18446744073709551615}',
    );
  });

  it('tolerates whitespace and escapes, keeps unknown keys aside', () => {
    const d = decodeHeader(Buffer.from('{ "c" : "p" , "t":"a\\"b\\u00e9", "zz":1 }rest'));
    expect(d.fields).toEqual({ command: 'publish', topic: 'a"bé' });
    expect(d.unknown).toEqual({ zz: '1' });
    expect(Buffer.from('{ "c" : "p" , "t":"a\\"b\\u00e9", "zz":1 }rest').subarray(d.end).toString()).toBe(
      'rest',
    );
  });

  it('names the offending byte of a bad header', () => {
    expect(() => decodeHeader(Buffer.from('x{}'))).toThrow(/does not start with "\{" \(at byte 0\)/);
    expect(() => decodeHeader(Buffer.from('{"c":"p"'))).toThrow(/closing/);
    expect(() => decodeHeader(Buffer.from('{"c":[1]}'))).toThrow(ProtocolError);
    expect(() => splitSowBatch(Buffer.from('{"k":"1"}abc'), 0)).toThrow(/no numeric "l"/);
  });
});

describe('server emission keeps s away from the last position (spec 1.4)', () => {
  it('moves a trailing s in front of the field before it', () => {
    expect(
      encodeHeader({ command: 'ack', ackType: 'persisted', status: 'success', sequence: '170' }, 'server'),
    ).toBe('{"c":"ack","a":"persisted","s":170,"status":"success"}');
    expect(
      encodeHeader(
        {
          command: 'ack',
          commandId: '1',
          ackType: 'processed',
          status: 'success',
          sequence: '0',
          clientName: 'v',
        },
        'server',
      ),
    ).toBe('{"c":"ack","cid":"1","a":"processed","status":"success","s":0,"client_name":"v"}');
  });
});
