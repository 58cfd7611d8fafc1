/**
 * Codecs: encode and decode rates of every message type the client supports (json, fix,
 * nvfix, xml, msgpack, bson, bflat, binary, composite) on one realistic order of about
 * 200 bytes, ours beside the library where one exists (built-in JSON, msgpackr and
 * @msgpack/msgpack, bson, fast-xml-parser), all in one run. Also store lock acquire/release
 * (ours against proper-lockfile), schema validation (our schemaLib against valibot), the
 * virtual list window (ours against @tanstack/virtual-core) and the minified + gzipped
 * bundle bytes of each of ours beside its library.
 *
 * `lib*` rates are the library alone in its own value model with default options (its best
 * case); `libAdapted*` rates are the library behind an adapter giving it our value model
 * (bench/codecLibs/), i.e. the cost of switching. The jobs of one type run in interleaved
 * rounds, best round each; on a shared machine compare ratios, not absolute rates.
 */
import { fileURLToPath } from 'node:url';
import { decode as mpDecode, encode as mpEncode } from '@msgpack/msgpack';
import { BSON } from 'bson';
import { XMLParser } from 'fast-xml-parser';
import { pack, unpack } from 'msgpackr';
import { decodeBFlat, encodeBFlat } from '../client/src/types/bflat.js';
import { decodeBson, encodeBson } from '../client/src/types/bson.js';
import { CompositeMessageParser } from '../client/src/types/composite.js';
import { FixBuilder, FixShredder } from '../client/src/types/fix.js';
import { decodeJson, encodeJson } from '../client/src/types/json.js';
import { decodeMsgPack, encodeMsgPack } from '../client/src/types/msgpack.js';
import { NvfixBuilder, NvfixShredder } from '../client/src/types/nvfix.js';
import { decodePayload, encodePayload } from '../client/src/types/registry.js';
import { parseXml } from '../client/src/types/xml.js';
import * as bsonAdapter from './codecLibs/bsonLib.js';
import { parseXml as fxpParseXml, rawFxp } from './codecLibs/fxpXml.js';
import { bundleBytes, ratesPerSec } from './codecLibs/measure.js';
import * as msgpackrAdapter from './codecLibs/msgpackr.js';
import { lockRates, schemaRates, virtualWindowRates } from './codecLibs/others.js';
import { regexRates } from './codecLibs/regexRates.js';
import { ORDER, ORDER_BINARY, ORDER_FIX, ORDER_XML, orderComposite } from './codecLibs/records.js';

/** Options of {@link runCodecsBench}. */
export interface CodecsBenchOptions {
  /** Skip the esbuild bundle-size figures (they take a few seconds). */
  skipBundles?: boolean;
}

type Figures = Record<string, number | string>;
type Jobs = Record<string, () => unknown>;

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const utf8 = new TextEncoder();
const text = new TextDecoder();

/** An encode job and a decode job (of the encoder's own bytes) named `<name>Encode`/`<name>Decode`. */
function codec(name: string, encode: () => Uint8Array, decode: (b: Uint8Array) => unknown): Jobs {
  const bytes = encode();
  return { [`${name}Encode`]: encode, [`${name}Decode`]: () => decode(bytes) };
}

/** Measures the jobs of one type and adds its payload size, library name and ours/lib ratios. */
function measure(jobs: Jobs, bytes: number, lib?: string, notes: Figures = {}): Figures {
  const f: Figures = { bytes, ...ratesPerSec(jobs), ...notes };
  if (lib === undefined) return f;
  f.lib = lib;
  const num = (k: string): number => (typeof f[k] === 'number' ? f[k] : NaN);
  f.encodeOursOverLib = Number((num('oursEncodePerSec') / num('libEncodePerSec')).toFixed(2));
  f.decodeOursOverLib = Number((num('oursDecodePerSec') / num('libDecodePerSec')).toFixed(2));
  return f;
}

function treeCodecs(): Record<string, Figures> {
  const json = measure(
    {
      ...codec('ours', () => encodeJson(ORDER), decodeJson),
      ...codec(
        'lib',
        () => utf8.encode(JSON.stringify(ORDER)),
        (b) => JSON.parse(text.decode(b)) as unknown,
      ),
    },
    encodeJson(ORDER).length,
    'built-in JSON',
  );
  const msgpack = measure(
    {
      ...codec('ours', () => encodeMsgPack(ORDER), decodeMsgPack),
      ...codec(
        'lib',
        () => pack(ORDER),
        (b) => unpack(b) as unknown,
      ),
      ...codec('libAdapted', () => msgpackrAdapter.encodeMsgPack(ORDER), msgpackrAdapter.decodeMsgPack),
      ...codec(
        'lib2',
        () => mpEncode(ORDER),
        (b) => mpDecode(b),
      ),
    },
    encodeMsgPack(ORDER).length,
    'msgpackr',
    { lib2: '@msgpack/msgpack' },
  );
  const bson = measure(
    {
      ...codec('ours', () => encodeBson(ORDER), decodeBson),
      ...codec(
        'lib',
        () => BSON.serialize(ORDER),
        (b) => BSON.deserialize(b),
      ),
      ...codec('libAdapted', () => bsonAdapter.encodeBson(ORDER), bsonAdapter.decodeBson),
    },
    encodeBson(ORDER).length,
    'bson',
  );
  const xmlBytes = utf8.encode(ORDER_XML);
  const fxp = new XMLParser({ ignoreAttributes: false, preserveOrder: true });
  const tree = fxp.parse(ORDER_XML) as unknown;
  const xml = measure(
    {
      // Ours has no XML builder: an XML payload is published as its text (encodePayload).
      oursEncode: () => encodePayload('xml', ORDER_XML),
      oursDecode: () => parseXml(xmlBytes),
      libEncode: () => utf8.encode(rawFxp.build(tree)),
      libDecode: () => fxp.parse(text.decode(xmlBytes)) as unknown,
      libAdaptedDecode: () => fxpParseXml(xmlBytes),
    },
    xmlBytes.length,
    'fast-xml-parser',
    { encodeNote: 'ours: XML text to UTF-8 (no builder); lib: XMLBuilder from its tree' },
  );
  return { json, msgpack, bson, xml };
}

function fieldCodecs(): Record<string, Figures> {
  const fix = (): Uint8Array => {
    const b = new FixBuilder();
    for (const [tag, value] of ORDER_FIX) b.append(tag, value);
    return b.getBytes();
  };
  const nvfix = (): Uint8Array => {
    const b = new NvfixBuilder();
    for (const [key, value] of Object.entries(ORDER)) b.append(key, String(value));
    return b.getBytes();
  };
  const fixShredder = new FixShredder();
  const nvfixShredder = new NvfixShredder();
  return {
    fix: measure(
      codec('ours', fix, (b) => fixShredder.toFields(b)),
      fix().length,
    ),
    nvfix: measure(
      codec('ours', nvfix, (b) => nvfixShredder.toFields(b)),
      nvfix().length,
    ),
  };
}

function byteCodecs(): Record<string, Figures> {
  const flat = { ...ORDER, created: new Date(ORDER.created) };
  const composite = orderComposite();
  const parts = [encodeJson({ orderId: ORDER.orderId, symbol: ORDER.symbol }), ORDER_BINARY.subarray(0, 120)];
  const parser = new CompositeMessageParser();
  return {
    bflat: measure(
      codec('ours', () => encodeBFlat(flat), decodeBFlat),
      encodeBFlat(flat).length,
    ),
    binary: measure(
      {
        oursEncode: () => encodePayload('binary', ORDER_BINARY),
        oursDecode: () => decodePayload('binary', ORDER_BINARY),
      },
      ORDER_BINARY.length,
      undefined,
      { decodeNote: 'decode = the hex dump a viewer shows' },
    ),
    composite: measure(
      {
        oursEncode: () => encodePayload('composite-json-binary', parts),
        oursDecode: () => {
          parser.parse(composite);
          return parser.getPart(1);
        },
      },
      composite.length,
    ),
  };
}

async function bundles(): Promise<Record<string, Record<string, number>>> {
  const sizes = async (
    ours: string,
    lib: string,
    external: string[] = [],
  ): Promise<Record<string, number>> => {
    const [o, l] = await Promise.all([bundleBytes(ours, ROOT, external), bundleBytes(lib, ROOT, external)]);
    return {
      oursMinBytes: o.minBytes,
      oursGzipBytes: o.gzipBytes,
      libMinBytes: l.minBytes,
      libGzipBytes: l.gzipBytes,
    };
  };
  const types = './client/src/types';
  return {
    msgpack: await sizes(`export * from '${types}/msgpack.ts';`, `export { pack, unpack } from 'msgpackr';`),
    bson: await sizes(`export * from '${types}/bson.ts';`, `export { BSON } from 'bson';`),
    xml: await sizes(
      `export * from '${types}/xml.ts';`,
      `export { XMLParser, XMLValidator } from 'fast-xml-parser';`,
    ),
    schemaLib: await sizes(
      `export * from './common/src/ipc/schemaLib.ts';`,
      `export { string, number, boolean, picklist, optional, nullable, strictObject, array, union, pipe, ` +
        `minLength, maxLength, regex, integer, finite, minValue, maxValue, safeParse, parse } from 'valibot';`,
    ),
    schemaLibFacade: await sizes(
      `export * from './common/src/ipc/schemaLib.ts';`,
      `export * from './bench/codecLibs/valibotSchemaLib.ts';`,
    ),
    regex: await sizes(
      `export { translatePcre } from './client/src/expression/pcre.ts';`,
      `export { compilePcre } from './client/src/expression/regex.ts';`,
    ),
    virtualWindow: await sizes(
      `export * from './renderer/src/lib/virtualWindow.ts';`,
      `export { createVirtualizer } from '@tanstack/svelte-virtual';`,
      ['svelte', 'svelte/*'],
    ),
  };
}

/** Runs the benchmark; the last line is one JSON object with every figure. */
export async function runCodecsBench(options: CodecsBenchOptions = {}): Promise<string[]> {
  const codecs = { ...treeCodecs(), ...fieldCodecs(), ...byteCodecs() };
  const lines: string[] = [];
  for (const [name, f] of Object.entries(codecs)) {
    const lib =
      typeof f.lib === 'string'
        ? ` | ${f.lib}: encode ${f.libEncodePerSec}/s decode ${f.libDecodePerSec}/s`
        : '';
    const ours = `ours: encode ${f.oursEncodePerSec}/s decode ${f.oursDecodePerSec}/s`;
    lines.push(`${name.padEnd(9)} ${String(f.bytes).padStart(4)} B  ${ours}${lib}`);
  }
  const storeLock = lockRates();
  lines.push(
    `storeLock acquire+release: ours ${storeLock.oursAcquireReleasePerSec}/s | proper-lockfile ${storeLock.libAcquireReleasePerSec}/s`,
  );
  const schemaLib = schemaRates();
  lines.push(
    `schemaLib subscribe request: ours ${schemaLib.oursValidatePerSec}/s | valibot ${schemaLib.libValidatePerSec}/s` +
      ` | valibot behind our API ${schemaLib.facadeValidatePerSec}/s`,
  );
  const virtualWindow = await virtualWindowRates();
  lines.push(
    `virtualWindow: ours ${virtualWindow.oursWindowPerSec}/s | @tanstack/virtual-core ${virtualWindow.libWindowPerSec}/s`,
  );
  const regex = regexRates();
  lines.push(
    `regex (LIKE test patterns x values): RegExp ${regex.regExpTestsPerSec} tests/s | re2js ${regex.re2jsTestsPerSec} tests/s` +
      ` (${regex.onRe2js}/${regex.patterns} patterns on re2js, ${regex.agree}/${regex.of} answers agree);` +
      ` ${regex.pathological}: RegExp ${regex.regExpPathologicalMs} ms, re2js ${regex.re2jsPathologicalMs} ms`,
  );
  const bundleFigures = options.skipBundles === true ? {} : await bundles();
  for (const [name, b] of Object.entries(bundleFigures)) {
    lines.push(
      `bundle ${name}: ours ${b.oursGzipBytes} B gz (${b.oursMinBytes} min) | lib ${b.libGzipBytes} B gz (${b.libMinBytes} min)`,
    );
  }
  lines.push(
    JSON.stringify({
      bench: 'codecs',
      ...codecs,
      storeLock,
      schemaLib,
      virtualWindow,
      regex,
      bundles: bundleFigures,
    }),
  );
  return lines;
}
