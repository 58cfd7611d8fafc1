/**
 * Byte-exact frames from the protocol spec (§1.5, §4.3, §7.2), written as the spec's hex
 * dumps, and the §15.1 transcript lines. Shared by the golden-frame and fuzz tests.
 */

/** Parses a hex dump (`0000  00 00 00 27 7b ...  ascii`) into bytes. */
export function fromHexDump(dump: string): Buffer {
  const hex = dump
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[0-9a-f]{4} {2}/.test(l))
    .map((l) => l.slice(6, 6 + 48).replace(/ /g, ''))
    .join('');
  return Buffer.from(hex, 'hex');
}

/** §1.5 publish command `{"c":"p","t":"orders"}{"id":1,"qty":10}`. */
export const PUBLISH = fromHexDump(`
0000  00 00 00 27 7b 22 63 22 3a 22 70 22 2c 22 74 22  ...'{"c":"p","t"
0010  3a 22 6f 72 64 65 72 73 22 7d 7b 22 69 64 22 3a  :"orders"}{"id":
0020  31 2c 22 71 74 79 22 3a 31 30 7d                 1,"qty":10}
`);

/** §1.5 processed ack. */
export const ACK = fromHexDump(`
0000  00 00 00 45 7b 22 63 22 3a 22 61 63 6b 22 2c 22  ...E{"c":"ack","
0010  63 69 64 22 3a 22 35 22 2c 22 61 22 3a 22 70 72  cid":"5","a":"pr
0020  6f 63 65 73 73 65 64 22 2c 22 73 74 61 74 75 73  ocessed","status
0030  22 3a 22 73 75 63 63 65 73 73 22 2c 22 73 75 62  ":"success","sub
0040  5f 69 64 22 3a 22 35 22 7d                       _id":"5"}
`);

/** §1.5 heartbeat `beat`. */
export const HEARTBEAT = fromHexDump(`
0000  00 00 00 1c 7b 22 63 22 3a 22 68 65 61 72 74 62  ....{"c":"heartb
0010  65 61 74 22 2c 22 6f 22 3a 22 62 65 61 74 22 7d  eat","o":"beat"}
`);

/** §1.5 publish delivered to subscription 5 with bookmark and SOW key. */
export const DELIVERY = fromHexDump(`
0000  00 00 00 72 7b 22 63 22 3a 22 70 22 2c 22 74 22  ...r{"c":"p","t"
0010  3a 22 6f 72 64 65 72 73 22 2c 22 73 69 64 73 22  :"orders","sids"
0020  3a 22 35 22 2c 22 62 6d 22 3a 22 31 31 32 39 30  :"5","bm":"11290
0030  31 33 31 33 33 31 34 35 33 34 36 36 34 33 31 7c  131331453466431|
0040  31 37 30 30 30 30 30 30 30 30 30 30 30 30 34 32  1700000000000042
0050  7c 22 2c 22 6b 22 3a 22 31 30 30 31 22 2c 22 6c  |","k":"1001","l
0060  22 3a 31 37 7d 7b 22 69 64 22 3a 31 2c 22 71 74  ":17}{"id":1,"qt
0070  79 22 3a 31 30 7d                                y":10}
`);

/** §4.3 official logon frame. */
export const LOGON = fromHexDump(`
0000  00 00 00 79 7b 22 63 22 3a 22 6c 6f 67 6f 6e 22  ...y{"c":"logon"
0010  2c 22 63 69 64 22 3a 22 31 22 2c 22 63 6c 69 65  ,"cid":"1","clie
0020  6e 74 5f 6e 61 6d 65 22 3a 22 76 69 65 77 65 72  nt_name":"viewer
0030  2d 31 22 2c 22 75 73 65 72 5f 69 64 22 3a 22 61  -1","user_id":"a
0040  6c 69 63 65 22 2c 22 61 22 3a 22 70 72 6f 63 65  lice","a":"proce
0050  73 73 65 64 22 2c 22 76 65 72 73 69 6f 6e 22 3a  ssed","version":
0060  22 35 2e 33 2e 35 2e 31 2e 30 3a 74 73 22 2c 22  "5.3.5.1.0:ts","
0070  70 77 22 3a 22 73 65 63 72 65 74 22 7d           pw":"secret"}
`);

/** §7.2 SOW batch with two records. */
export const SOW_BATCH = fromHexDump(`
0000  00 00 00 76 7b 22 63 22 3a 22 73 6f 77 22 2c 22  ...v{"c":"sow","
0010  74 22 3a 22 6f 72 64 65 72 73 22 2c 22 71 75 65  t":"orders","que
0020  72 79 5f 69 64 22 3a 22 37 22 2c 22 62 73 22 3a  ry_id":"7","bs":
0030  32 7d 7b 22 6b 22 3a 22 31 30 30 31 22 2c 22 6c  2}{"k":"1001","l
0040  22 3a 31 37 7d 7b 22 69 64 22 3a 31 2c 22 71 74  ":17}{"id":1,"qt
0050  79 22 3a 31 30 7d 7b 22 6b 22 3a 22 31 30 30 32  y":10}{"k":"1002
0060  22 2c 22 6c 22 3a 31 37 7d 7b 22 69 64 22 3a 32  ","l":17}{"id":2
0070  2c 22 71 74 79 22 3a 32 30 7d                    ,"qty":20}
`);

/** The §15.1 transcript: direction and the message text (length prefixes omitted there). */
export const TRANSCRIPT: readonly (readonly ['client' | 'server', string])[] = [
  [
    'client',
    '{"c":"logon","cid":"1","client_name":"viewer-1","user_id":"alice","a":"processed","version":"0.1.0:typescript","pw":"secret"}',
  ],
  [
    'server',
    '{"c":"ack","cid":"1","a":"processed","status":"success","s":0,"client_name":"viewer-1","version":"5.3.5.1"}',
  ],
  ['client', '{"c":"heartbeat","o":"start,30"}'],
  [
    'client',
    '{"c":"sow_and_subscribe","t":"orders","cid":"2","filter":"/qty > 5","a":"processed,completed","sub_id":"2","query_id":"2","batch_size":10,"o":"oof,timestamp"}',
  ],
  ['server', '{"c":"ack","cid":"2","a":"processed","status":"success","sub_id":"2","query_id":"2"}'],
  ['server', '{"c":"group_begin","query_id":"2"}'],
  [
    'server',
    '{"c":"sow","t":"orders","query_id":"2","bs":2}{"k":"1001","l":17,"ts":"20240115T093000.000001Z"}{"id":1,"qty":10}{"k":"1002","l":17,"ts":"20240115T093000.000002Z"}{"id":2,"qty":20}',
  ],
  ['server', '{"c":"group_end","query_id":"2"}'],
  ['server', '{"c":"ack","cid":"2","a":"completed","status":"success","sub_id":"2","query_id":"2"}'],
  [
    'server',
    '{"c":"oof","t":"orders","sids":"2","k":"1001","reason":"match","ts":"20240115T093105.120000Z","l":16}{"id":1,"qty":3}',
  ],
  [
    'server',
    '{"c":"p","t":"orders","sids":"2","k":"1003","ts":"20240115T093107.500000Z","l":16}{"id":3,"qty":7}',
  ],
  ['server', '{"c":"heartbeat"}'],
  ['client', '{"c":"heartbeat","o":"beat"}'],
  ['client', '{"c":"unsubscribe","cid":"3","sub_id":"2"}'],
];

/** Every golden frame, prefix included. */
export const GOLDEN_FRAMES: readonly Buffer[] = [PUBLISH, ACK, HEARTBEAT, DELIVERY, LOGON, SOW_BATCH];
