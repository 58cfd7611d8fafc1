import { describe, expect, it } from 'vitest';
import { encodePayload } from '../../client/src/types/registry.js';
import type { DecodedMessagePayload } from '../../common/src/dto/decodedPayload.js';
import type { MessageDto, SubscriptionBatch } from '../../common/src/dto/subscriptions.js';
import { packBatch, unpackBatch } from '../../common/src/ipc/wire.js';
import { listData, payloadTypeOf, valueJson } from '../main/services/payloadDisplay.js';
import { decodeBson } from '../../client/src/types/bson.js';
import { decodeMsgPack } from '../../client/src/types/msgpack.js';
import { settle } from './fakes.js';
import { usePageBackend } from './pageBackend.js';

const page = usePageBackend('amps-payload-display-');
const { events, call } = page;
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Subscribes page:1 over a connection of `type`, delivers `payloads`, returns the DTOs the page got. */
async function deliver(
  type: string,
  payloads: Uint8Array[],
): Promise<{ subscriptionId: string; messages: MessageDto[] }> {
  const opened = await call('page:1', 'openConnection', {
    connectionString: `tcp://127.0.0.1:1/amps/${type}`,
  });
  const { connectionId } = (opened as { value: { connectionId: string } }).value;
  const sub = await call('page:1', 'subscribe', { connectionId, topic: 'orders', mode: 'subscribe' });
  const { subscriptionId } = (sub as { value: { subscriptionId: string } }).value;
  const feed = page.factory.built.at(-1)?.subscriptions.at(-1);
  for (const p of payloads) feed?.pushBytes(p);
  await settle(20);
  await new Promise((resolve) => setTimeout(resolve, 40));
  const messages = events
    .filter(([owner, channel]) => owner === 'page:1' && channel === 'amps:onSubscriptionBatch')
    .flatMap(([, , b]) => (b as SubscriptionBatch).messages);
  return { subscriptionId, messages };
}

async function decoded(owner: string, subscriptionId: string, index: number): Promise<unknown> {
  return call(owner, 'getDecodedPayload', { subscriptionId, index });
}

const value = (result: unknown): DecodedMessagePayload => (result as { value: DecodedMessagePayload }).value;

describe('payloadTypeOf', () => {
  it('reads the message type from the last segment of the connection string', () => {
    expect(payloadTypeOf('tcp://h:9007/amps/msgpack')).toBe('msgpack');
    expect(payloadTypeOf('tcps://u@h:9007/amps/BSON?tcp_nodelay=true')).toBe('bson');
    expect(payloadTypeOf('tcp://h:9007/amps/composite-local')).toBe('composite-local');
    expect(payloadTypeOf('tcp://h:9007/amps')).toBe('json');
    expect(payloadTypeOf('tcp://h:9007')).toBe('json');
    expect(payloadTypeOf(undefined)).toBe('json');
  });
});

describe('valueJson', () => {
  it('writes compact JSON: bigints exact, binary as 0x…, dates as ISO, a repeated map key once', () => {
    const value = {
      big: 2n ** 70n,
      bin: new Uint8Array([1, 255]),
      when: new Date(0),
      n: [1, null, true],
      inf: Infinity,
    };
    expect(valueJson(value)).toBe(
      '{"big":1180591620717411303424,"bin":"0x01ff","when":"1970-01-01T00:00:00.000Z","n":[1,null,true],"inf":"Infinity"}',
    );
    expect(
      valueJson(
        new Map<unknown, unknown>([
          [1, 'a'],
          ['1', 'b'],
          [new Uint8Array([9]), null],
        ]),
      ),
    ).toBe('{"1":"a","0x09":null}');
  });

  it('gives MessagePack extensions, BSON binary and other BSON types a JSON form', () => {
    const bson = decodeBson(encodePayload('bson', { b: new Uint8Array([0xab]) }));
    expect(valueJson(bson)).toBe('{"b":"0xab"}');
    expect(valueJson(decodeMsgPack(new Uint8Array([0xd4, 0x05, 0x7f])))).toBe('"0x7f"');
  });

  it('cuts the JSON of a document to the display limit and flags it', () => {
    const listed = listData('msgpack', encodePayload('msgpack', { text: 'x'.repeat(100) }), 20);
    expect(listed).toEqual({ data: '{"text":"xxxxxxxxxxx', truncated: true });
  });
});

describe('the list and the detail pane by message type', () => {
  it('msgpack: the list gets the JSON of the value, the pane a tree', async () => {
    const { subscriptionId, messages } = await deliver('msgpack', [
      encodePayload('msgpack', { id: 7, name: 'bolt', tags: ['a'], ok: true }),
      new Uint8Array([0x82, 0xa2, 0x69, 0x64]), // a map of 2 cut short
    ]);
    expect(messages[0]).toMatchObject({
      data: '{"id":7,"name":"bolt","tags":["a"],"ok":true}',
      decodedFrom: 'msgpack',
      truncated: false,
    });
    expect(messages[1]?.decodedFrom).toBeUndefined();
    expect(messages[1]?.decodeError).toMatch(/^msgpack: /);
    // Today's text of the bytes (0x82 0xa2 are not UTF-8), with the codec's reason beside it.
    expect(messages[1]?.data).toBe('\ufffd\ufffdid');
    // The browser host's packed batches carry both marks.
    const batch = { subscriptionId, received: 2, delivered: 2, dropped: 0, messages };
    expect(unpackBatch(packBatch(batch))).toEqual(batch);
    const tree = value(await decoded('page:1', subscriptionId, 1));
    expect(tree.messageType).toBe('msgpack');
    expect(tree.payload).toMatchObject({ kind: 'tree', format: 'msgpack', root: { type: 'object' } });
    const bad = value(await decoded('page:1', subscriptionId, 2));
    expect(bad.payload).toMatchObject({ kind: 'error', format: 'msgpack', fallback: { length: 4 } });
  });

  it('bson: the list gets the JSON of the document, the pane a tree', async () => {
    const { subscriptionId, messages } = await deliver('bson', [
      encodePayload('bson', { id: 1, px: 2.5, sym: 'IBM' }),
    ]);
    expect(messages[0]).toMatchObject({ data: '{"id":1,"px":2.5,"sym":"IBM"}', decodedFrom: 'bson' });
    const tree = value(await decoded('page:1', subscriptionId, 1));
    expect(tree.payload.kind).toBe('tree');
  });

  it('bflat: the list gets its fields as an object, the pane a typed field table', async () => {
    const { subscriptionId, messages } = await deliver('bflat', [
      encodePayload('bflat', { id: 3, sym: 'IBM', px: 1.5 }),
    ]);
    expect(messages[0]?.decodedFrom).toBe('bflat');
    expect(JSON.parse(messages[0]?.data ?? '')).toEqual({ id: 3, sym: 'IBM', px: 1.5 });
    const fields = value(await decoded('page:1', subscriptionId, 1)).payload;
    expect(fields.kind).toBe('fields');
    if (fields.kind !== 'fields') return;
    expect(fields.fields.map((f) => [f.name, f.value])).toEqual([
      ['id', '3'],
      ['sym', 'IBM'],
      ['px', '1.5'],
    ]);
    expect(fields.fields.every((f) => typeof f.type === 'string')).toBe(true);
  });

  it('xml: the list keeps the text, the pane a tree with attributes labelled', async () => {
    const xml = '<order id="5"><sym>IBM</sym></order>';
    const { subscriptionId, messages } = await deliver('xml', [utf8(xml)]);
    expect(messages[0]).toMatchObject({ data: xml });
    expect(messages[0]?.decodedFrom).toBeUndefined();
    const tree = value(await decoded('page:1', subscriptionId, 1)).payload;
    expect(tree).toMatchObject({
      kind: 'tree',
      root: {
        key: 'order',
        children: [
          { key: '@id', value: '5', label: 'xml attribute' },
          { key: 'sym', value: 'IBM' },
        ],
      },
    });
  });

  it('fix and nvfix: the pane lists their fields', async () => {
    const fix = await deliver('fix', [utf8('35=D\u000155=IBM\u0001')]);
    expect(fix.messages[0]?.data).toBe('35=D\u000155=IBM\u0001');
    expect(value(await decoded('page:1', fix.subscriptionId, 1)).payload).toEqual({
      kind: 'fields',
      format: 'fix',
      fields: [
        { name: '35', value: 'D' },
        { name: '55', value: 'IBM' },
      ],
    });
    const nvfix = await deliver('nvfix', [utf8('sym=IBM\u0001qty=5\u0001')]);
    expect(value(await decoded('page:1', nvfix.subscriptionId, 1)).payload).toMatchObject({
      kind: 'fields',
      format: 'nvfix',
      fields: [
        { name: 'sym', value: 'IBM' },
        { name: 'qty', value: '5' },
      ],
    });
  });

  it('composite: the pane has each part decoded on its own', async () => {
    const payload = encodePayload('composite-local', ['{"id":1}', '<a>x</a>']);
    const { subscriptionId } = await deliver('composite-local', [payload]);
    const parts = value(await decoded('page:1', subscriptionId, 1)).payload;
    expect(parts).toMatchObject({
      kind: 'composite',
      parts: [
        { kind: 'tree', format: 'json', root: { type: 'object', children: [{ key: 'id', value: 1 }] } },
        { kind: 'tree', format: 'xml', root: { key: 'a', value: 'x' } },
      ],
    });
  });

  it('binary: the pane has a hex dump', async () => {
    const { subscriptionId } = await deliver('binary', [new Uint8Array([0, 1, 0x41, 0xff])]);
    expect(value(await decoded('page:1', subscriptionId, 1)).payload).toEqual({
      kind: 'hex',
      format: 'binary',
      rows: [{ offset: 0, hex: '00 01 41 ff', ascii: '..A.' }],
      length: 4,
      truncated: false,
    });
  });
});

describe('getDecodedPayload', () => {
  it('is owner-checked, validated and bounded', async () => {
    const big = new Uint8Array(4 * 1024 * 1024 + 1).fill(0x61);
    const { subscriptionId } = await deliver('json', [utf8('{"a":1}'), big]);
    expect(await decoded('page:2', subscriptionId, 1)).toMatchObject({
      ok: false,
      error: { code: 'unknown-subscription' },
    });
    expect(await decoded('page:1', subscriptionId, 0)).toMatchObject({
      ok: false,
      error: { code: 'invalid-payload' },
    });
    expect(await decoded('page:1', subscriptionId, 9)).toMatchObject({
      ok: false,
      error: { code: 'payload-not-kept' },
    });
    const tooBig = await decoded('page:1', subscriptionId, 2);
    expect(tooBig).toMatchObject({ ok: false, error: { code: 'payload-too-large' } });
    expect((tooBig as { error: { message: string } }).error.message).toMatch(
      /open the whole payload instead/,
    );
    expect(value(await decoded('page:1', subscriptionId, 1))).toMatchObject({
      messageType: 'json',
      size: 7,
      payload: { kind: 'tree' },
    });
  });
});
