/** Non-JSON message types (spec §13): SOW keys, filters, order_by, delta per type; malformed payloads. */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeHeader } from '../../client/src/protocol/header.js';
import { splitSowBatch } from '../../client/src/protocol/sowBatch.js';
import {
  encodeBFlat,
  encodeBson,
  encodeMsgPack,
  FixBuilder,
  NvfixBuilder,
} from '../../client/src/types/index.js';
import { parseCli } from '../src/cli.js';
import { ConfigError, validateTopics } from '../src/config.js';
import { valueAt } from '../src/delta.js';
import { codecFor, MessageParseError } from '../src/messageTypes.js';
import type { SandboxServer } from '../src/server.js';
import type { RawClient, Received } from './helpers.js';
import { memoryClient, startServer } from './helpers.js';

interface Row {
  id?: number;
  sym?: string;
  px?: number;
}

/** How one message type writes a row and names its fields. */
interface TypeCase {
  type: 'fix' | 'nvfix' | 'xml' | 'msgpack' | 'bson' | 'bflat';
  paths: { id: string; sym: string; px: string };
  encode(row: Row): Buffer;
  malformed: Buffer;
}

const fix = (pairs: [string | number, string | number | undefined][], nv: boolean): Buffer => {
  const b = nv ? new NvfixBuilder() : new FixBuilder();
  for (const [k, v] of pairs) if (v !== undefined) b.append(String(k), String(v));
  return Buffer.from(b.getBytes());
};
const defined = (row: Row): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));

const CASES: TypeCase[] = [
  {
    type: 'fix',
    paths: { id: '/1', sym: '/55', px: '/44' },
    encode: (r) =>
      fix(
        [
          [1, r.id],
          [55, r.sym],
          [44, r.px],
        ],
        false,
      ),
    malformed: Buffer.from('1=1\u000155\u0001'),
  },
  {
    type: 'nvfix',
    paths: { id: '/id', sym: '/sym', px: '/px' },
    encode: (r) =>
      fix(
        [
          ['id', r.id],
          ['sym', r.sym],
          ['px', r.px],
        ],
        true,
      ),
    malformed: Buffer.from('=1\u0001'),
  },
  {
    type: 'xml',
    paths: { id: '/Order/@id', sym: '/Order/sym', px: '/Order/px' },
    encode: (r) =>
      Buffer.from(
        `<Order id="${r.id}">${r.sym === undefined ? '' : `<sym>${r.sym}</sym>`}` +
          `${r.px === undefined ? '' : `<px>${r.px}</px>`}</Order>`,
      ),
    malformed: Buffer.from('<Order id="1"><sym>A</Order>'),
  },
  {
    type: 'msgpack',
    paths: { id: '/id', sym: '/sym', px: '/px' },
    encode: (r) => Buffer.from(encodeMsgPack(defined(r))),
    malformed: Buffer.from([0x83, 0xa2, 0x69]),
  },
  {
    type: 'bson',
    paths: { id: '/id', sym: '/sym', px: '/px' },
    encode: (r) => Buffer.from(encodeBson(defined(r))),
    malformed: Buffer.from([0x20, 0, 0, 0, 0x10, 0x69]),
  },
  {
    type: 'bflat',
    paths: { id: '/id', sym: '/sym', px: '/px' },
    encode: (r) => Buffer.from(encodeBFlat(defined(r))),
    malformed: Buffer.from([0x2a, 0x69, 0x64, 0x01]),
  },
];

let server: SandboxServer | undefined;
const clients: RawClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  server?.close();
  server = undefined;
});

async function client(extra: Record<string, unknown> = {}): Promise<RawClient> {
  if (!server) throw new Error('no server');
  const c = memoryClient(server);
  clients.push(c);
  await c.logon(undefined, extra);
  return c;
}

/** Sends a command and collects everything up to its completed (or failure) ack. */
async function command(c: RawClient, header: Record<string, unknown>, payload?: Buffer): Promise<Received[]> {
  const from = c.received.length;
  const cid = String(header['cid']);
  const until = String(header['c']).includes('subscribe') ? 'processed' : 'completed';
  c.send({ a: `processed,${until}`, ...header }, payload);
  await c.waitFor(
    (m) =>
      m.fields.command === 'ack' &&
      m.fields.commandId === cid &&
      (m.fields.ackType === until || m.fields.status === 'failure'),
    3000,
    from,
  );
  return c.received.slice(from);
}

const ackOf = (msgs: Received[]): Received | undefined =>
  msgs.find((m) => m.fields.command === 'ack' && m.fields.status === 'failure') ??
  msgs.find((m) => m.fields.command === 'ack');

const payloadOf = (m: Received): Buffer => m.raw.subarray(decodeHeader(m.raw).end);

function sowRows(msgs: Received[]): Buffer[] {
  return msgs
    .filter((m) => m.fields.command === 'sow')
    .flatMap((m) => splitSowBatch(m.raw, decodeHeader(m.raw).end).map((r) => Buffer.from(r.data)));
}

/** Reads a row back through the sandbox's own codec (values compared as text). */
function read(tc: TypeCase, data: Buffer): Record<string, string> {
  const doc = codecFor(tc.type).parse(data);
  const out: Record<string, string> = {};
  for (const [name, path] of Object.entries(tc.paths)) {
    const v = valueAt(doc, path);
    if (v !== undefined && v !== null) out[name] = String(v);
  }
  return out;
}

describe.each(CASES)('message type $type', (tc) => {
  it('keys the SOW by a field, filters and orders, merges a delta publish, refuses a malformed payload', async () => {
    server = await startServer({ topics: [{ name: 'orders', keys: [tc.paths.id], messageType: tc.type }] });
    const pub = await client();
    const sub = await client();
    const rows: Row[] = [
      { id: 1, sym: 'A', px: 10 },
      { id: 2, sym: 'B', px: 20 },
      { id: 3, sym: 'A', px: 30 },
      { id: 1, sym: 'A', px: 9 },
    ];
    rows.forEach((r, i) => pub.send({ c: 'p', t: 'orders', cid: `p${i}`, a: 'processed' }, tc.encode(r)));
    const filter = `${tc.paths.sym} = 'A'`;

    const subAck = await command(sub, { c: 'subscribe', t: 'orders', cid: 's', sub_id: 's', filter });
    expect(ackOf(subAck)?.fields.status).toBe('success');

    const sow = await command(pub, {
      c: 'sow',
      t: 'orders',
      cid: 'q',
      query_id: 'q',
      filter,
      orderby: `${tc.paths.px} DESC`,
    });
    expect(sowRows(sow).map((d) => read(tc, d))).toEqual([
      { id: '3', sym: 'A', px: '30' },
      { id: '1', sym: 'A', px: '9' },
    ]);
    const numeric = await command(pub, {
      c: 'sow',
      t: 'orders',
      cid: 'qn',
      query_id: 'qn',
      filter: `${tc.paths.px} > 15`,
    });
    expect(sowRows(numeric).map((d) => read(tc, d).id)).toEqual(['2', '3']);

    const delta = await command(
      pub,
      { c: 'delta_publish', t: 'orders', cid: 'd1' },
      tc.encode({ id: 3, px: 31 }),
    );
    expect(ackOf(delta)?.fields.status).toBe('success');
    const live = await sub.waitFor((m) => m.fields.command === 'publish');
    expect(read(tc, payloadOf(live))).toEqual({ id: '3', sym: 'A', px: '31' });

    const after = await command(pub, {
      c: 'sow',
      t: 'orders',
      cid: 'q2',
      query_id: 'q2',
      filter: `${tc.paths.id} = 3`,
    });
    expect(sowRows(after).map((d) => read(tc, d))).toEqual([{ id: '3', sym: 'A', px: '31' }]);

    const bad = await command(pub, { c: 'p', t: 'orders', cid: 'bad' }, tc.malformed);
    const badAck = ackOf(bad);
    expect(badAck?.fields.status).toBe('failure');
    expect(badAck?.fields.reason).toBe('bad sow key');
    const badDelta = await command(pub, { c: 'delta_publish', t: 'orders', cid: 'bad2' }, tc.malformed);
    expect(ackOf(badDelta)?.fields.status).toBe('failure');

    const count = await command(pub, { c: 'sow', t: 'orders', cid: 'q3', query_id: 'q3' });
    expect(sowRows(count)).toHaveLength(3);
  });
});

describe('delta subscriptions in the topic type', () => {
  it('FIX: key field plus changed fields', async () => {
    server = await startServer({ topics: [{ name: 'fx', keys: ['/1'], messageType: 'fix' }] });
    const pub = await client();
    const sub = await client();
    await command(
      pub,
      { c: 'p', t: 'fx', cid: 'p1' },
      fix(
        [
          [1, 7],
          [55, 'IBM'],
          [44, 5],
        ],
        false,
      ),
    );
    await command(sub, { c: 'delta_subscribe', t: 'fx', cid: 's', sub_id: 's' });
    await command(
      pub,
      { c: 'p', t: 'fx', cid: 'p2' },
      fix(
        [
          [1, 7],
          [55, 'IBM'],
          [44, 6],
        ],
        false,
      ),
    );
    const m = await sub.waitFor((r) => r.fields.command === 'publish');
    expect(payloadOf(m).toString()).toBe('1=7\u000144=6\u0001');
  });

  it('MessagePack: key plus changed members, re-encoded as MessagePack', async () => {
    server = await startServer({ topics: [{ name: 'mp', keys: ['/id'], messageType: 'msgpack' }] });
    const pub = await client();
    const sub = await client();
    const enc = (o: Record<string, unknown>): Buffer => Buffer.from(encodeMsgPack(o));
    await command(pub, { c: 'p', t: 'mp', cid: 'p1' }, enc({ id: 1, a: 'x', b: 2 }));
    await command(sub, { c: 'delta_subscribe', t: 'mp', cid: 's', sub_id: 's' });
    await command(pub, { c: 'p', t: 'mp', cid: 'p2' }, enc({ id: 1, a: 'x', b: 3 }));
    const m = await sub.waitFor((r) => r.fields.command === 'publish');
    expect(codecFor('msgpack').parse(payloadOf(m))).toEqual({ b: 3, id: 1 });
  });
});

describe('binary and connection message types', () => {
  it('binary topics take explicit keys, store bytes verbatim and treat delta publish as publish', async () => {
    server = await startServer({ topics: [{ name: 'blobs', sow: true, messageType: 'binary' }] });
    const pub = await client();
    const bytes = Buffer.from([0, 1, 2, 0xff]);
    const ok = await command(pub, { c: 'p', t: 'blobs', cid: 'p1', k: 'b1' }, bytes);
    expect(ackOf(ok)?.fields.status).toBe('success');
    await command(pub, { c: 'delta_publish', t: 'blobs', cid: 'p2', k: 'b1' }, Buffer.from([9]));
    const sow = await command(pub, { c: 'sow', t: 'blobs', cid: 'q', query_id: 'q' });
    expect(sowRows(sow)).toEqual([Buffer.from([9])]);
  });

  it('an undeclared topic takes the message type of the publishing connection (logon mt)', async () => {
    server = await startServer();
    const pub = await client({ mt: 'nvfix' });
    const sub = await client({ mt: 'nvfix' });
    await command(sub, { c: 'subscribe', t: 'quotes', cid: 's', sub_id: 's', filter: "/sym = 'B'" });
    pub.send({ c: 'p', t: 'quotes' }, fix([['sym', 'A']], true));
    pub.send({ c: 'p', t: 'quotes' }, fix([['sym', 'B']], true));
    const m = await sub.waitFor((r) => r.fields.command === 'publish');
    expect(payloadOf(m).toString()).toBe('sym=B\u0001');
  });

  it('refuses a logon with an unknown message type', async () => {
    server = await startServer();
    const c = memoryClient(server);
    clients.push(c);
    const ack = await c.logon(undefined, { mt: 'cobol' });
    expect(ack.fields.status).toBe('failure');
    expect(ack.fields.reason).toBe('invalid message type');
  });

  it('passes unparsable payloads through on topics that need no parsing', async () => {
    server = await startServer({ topics: [{ name: 'plain', messageType: 'xml' }] });
    const pub = await client();
    const sub = await client();
    await command(sub, { c: 'subscribe', t: 'plain', cid: 's', sub_id: 's' });
    const r = await command(pub, { c: 'p', t: 'plain', cid: 'p' }, Buffer.from('<not xml'));
    expect(ackOf(r)?.fields.status).toBe('success');
    const m = await sub.waitFor((x) => x.fields.command === 'publish');
    expect(payloadOf(m).toString()).toBe('<not xml');
  });
});

describe('configuration of message types', () => {
  it('validates messageType in topic config and --type flags', () => {
    expect(validateTopics([{ name: 't', messageType: 'fix', keys: ['/55'] }], 'cfg')).toEqual([
      { name: 't', messageType: 'fix', keys: ['/55'], sow: true },
    ]);
    expect(() => validateTopics([{ name: 't', messageType: 'yaml' }], 'cfg')).toThrow(
      /messageType must be one of/,
    );
    expect(() => validateTopics([{ name: 't', keys: ['/a'], messageType: 'binary' }], 'cfg')).toThrow(
      ConfigError,
    );
    const cli = parseCli(['--sow', 'fx=/55', '--type', 'fx=fix', '--type', 'blob=binary']);
    expect(cli.config.topics).toEqual([
      { name: 'fx', sow: true, keys: ['/55'], messageType: 'fix' },
      { name: 'blob', messageType: 'binary' },
    ]);
    expect(() => parseCli(['--type', 'fx=yaml'])).toThrow(/--type needs TOPIC=TYPE/);
  });
});

describe('delta subscriptions of the other types', () => {
  const cases: [
    string,
    string,
    (o: Record<string, string | number>) => Buffer,
    (b: Buffer) => unknown,
    unknown,
  ][] = [
    ['nvfix', '/id', (o) => fix(Object.entries(o), true), (b) => b.toString(), 'id=1\u0001b=3\u0001'],
    ['bflat', '/id', (o) => Buffer.from(encodeBFlat(o)), (b) => codecFor('bflat').parse(b), { id: 1, b: 3 }],
    ['bson', '/id', (o) => Buffer.from(encodeBson(o)), (b) => codecFor('bson').parse(b), { id: 1, b: 3 }],
    [
      'xml',
      '/R/id',
      (o) =>
        Buffer.from(
          `<R>${Object.entries(o)
            .map(([k, v]) => `<${k}>${v}</${k}>`)
            .join('')}</R>`,
        ),
      (b) => b.toString(),
      '<R><id>1</id><b>3</b></R>',
    ],
  ];
  it.each(cases)('%s', async (type, key, enc, dec, expected) => {
    server = await startServer({ topics: [{ name: 'd', keys: [key], messageType: type }] });
    const pub = await client();
    const sub = await client();
    await command(pub, { c: 'p', t: 'd', cid: 'p1' }, enc({ id: 1, a: 'x', b: 2 }));
    await command(sub, { c: 'delta_subscribe', t: 'd', cid: 's', sub_id: 's' });
    await command(pub, { c: 'p', t: 'd', cid: 'p2' }, enc({ id: 1, a: 'x', b: 3 }));
    const m = await sub.waitFor((r) => r.fields.command === 'publish');
    expect(dec(payloadOf(m))).toEqual(expected);
  });
});

describe('typed values', () => {
  it('BSON int64 keys, filters and order_by work on values beyond 32 bits', async () => {
    server = await startServer({ topics: [{ name: 'big', keys: ['/id'], messageType: 'bson' }] });
    const pub = await client();
    for (const id of [5_000_000_000n, 2n, 9_007_199_254_740_993n])
      await command(pub, { c: 'p', t: 'big', cid: `p${id}` }, Buffer.from(encodeBson({ id, n: 'x' })));
    const sow = await command(pub, {
      c: 'sow',
      t: 'big',
      cid: 'q',
      query_id: 'q',
      filter: '/id > 3',
      orderby: '/id DESC',
    });
    expect(sowRows(sow).map((d) => String(valueAt(codecFor('bson').parse(d), '/id')))).toEqual([
      '9007199254740993',
      '5000000000',
    ]);
  });
});

describe('codec robustness', () => {
  it('every parse, merge and diff either succeeds or throws MessageParseError on arbitrary bytes', () => {
    const types = ['json', 'fix', 'nvfix', 'xml', 'msgpack', 'bson', 'bflat'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ maxLength: 64 }),
        (type, a, b) => {
          const codec = codecFor(type);
          for (const run of [
            () => codec.parse(Buffer.from(a)),
            () => codec.merge?.(Buffer.from(a), Buffer.from(b)),
            () => codec.diff?.(Buffer.from(a), Buffer.from(b), ['/id']),
          ]) {
            try {
              run();
            } catch (e) {
              expect(e).toBeInstanceOf(MessageParseError);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('codecs', () => {
  const soh = (s: string): Buffer => Buffer.from(s.replace(/\|/g, '\u0001'));
  const text = (b: Buffer): string => b.toString().replace(/\u0001/g, '|');

  it('FIX merge replaces in place, appends new tags and ignores NULL (empty) values', () => {
    const merged = codecFor('fix').merge?.(soh('1=7|55=IBM|44=5|'), soh('44=6|58=note|55=|'));
    expect(text(merged as Buffer)).toBe('1=7|55=IBM|44=6|58=note|');
    expect(codecFor('fix').parse(soh('1=7|55=|'))).toEqual({ '1': '7', '55': null });
  });

  it('XML documents: attributes as @name, repeated children as arrays, element-wise merge and diff', () => {
    const xml = codecFor('xml');
    const doc = Buffer.from('<O id="1" s="a"><L><px>1</px></L><L><px>2</px></L><n>x</n></O>');
    expect(xml.parse(doc)).toEqual({ O: { '@id': '1', '@s': 'a', L: [{ px: '1' }, { px: '2' }], n: 'x' } });
    const merged = xml.merge?.(doc, Buffer.from('<O id="1" s="b"><L><px>9</px></L><m>&lt;y&gt;</m><n/></O>'));
    expect(merged?.toString()).toBe(
      '<O id="1" s="b"><L><px>9</px></L><L><px>2</px></L><n>x</n><m>&lt;y&gt;</m></O>',
    );
    const d = xml.diff?.(doc, merged as Buffer, ['/O/@id']);
    expect(d?.changed).toBe(true);
    expect(d?.data.toString()).toBe('<O id="1" s="b"><L><px>9</px></L><m>&lt;y&gt;</m></O>');
    expect(xml.diff?.(doc, doc, ['/O/@id'])).toEqual({ data: Buffer.from('<O id="1"/>'), changed: false });
  });

  it('MessagePack merge keeps nested maps and typed values', () => {
    const mp = codecFor('msgpack');
    const merged = mp.merge?.(
      Buffer.from(encodeMsgPack({ id: 1, big: 2n ** 40n, nested: { a: 1, b: 2 } })),
      Buffer.from(encodeMsgPack({ nested: { b: 3 }, skip: null })),
    );
    expect(mp.parse(merged as Buffer)).toEqual({ id: 1, big: 2 ** 40, nested: { a: 1, b: 3 } });
  });

  it('binary payloads never parse', () => {
    expect(() => codecFor('binary').parse(Buffer.from('{}'))).toThrow(MessageParseError);
    expect(codecFor('binary').merge).toBeUndefined();
  });
});
