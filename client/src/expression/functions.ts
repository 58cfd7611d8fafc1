/**
 * The built-in functions (spec §14.6): registry and the numeric, array-reduce, message,
 * conditional, typed-value and (single-record) aggregate functions. String functions live in
 * `stringFunctions.ts`, date/time functions in `timeFunctions.ts`.
 * Scalar functions are not array-aware: an array argument contributes its first element.
 */
import { nowSeconds } from './context.js';
import type { CallSite, Evaluator, FunctionBuilder } from './evaluator.js';
import { arg } from './evaluator.js';
import { STRING_FUNCTIONS } from './stringFunctions.js';
import { syntaxError } from './syntaxError.js';
import { TIME_FUNCTIONS } from './timeFunctions.js';
import type { AmpsScalar, AmpsValue } from './values.js';
import { compareScalars, first, toNumber, toText, truth } from './values.js';

/** All scalars of a value (an array's elements, a scalar alone, nothing for NULL). */
function scalars(v: AmpsValue): readonly AmpsScalar[] {
  if (v === null) return [];
  return Array.isArray(v) ? (v as readonly AmpsScalar[]) : [v as AmpsScalar];
}

function numeric(fn: (n: number) => number): FunctionBuilder {
  return (site) => {
    const a = arg(site, 0);
    return (m, c) => {
      const n = toNumber(a(m, c));
      return n === null ? null : fn(n);
    };
  };
}

function constant(value: AmpsScalar): FunctionBuilder {
  return () => () => value;
}

function fromContext(read: (c: Parameters<Evaluator>[1]) => string | number | undefined): FunctionBuilder {
  return () => (_m, c) => {
    const v = read(c);
    return v === undefined || v === '' ? null : v;
  };
}

const CRC_TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** zlib CRC-32 (reflected, polynomial 0xEDB88320) of a string's UTF-8 bytes. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  const add = (byte: number): void => {
    crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  };
  for (let i = 0; i < text.length; i++) {
    let cp = text.codePointAt(i) as number;
    if (cp > 0xffff) i++;
    if (cp < 0x80) add(cp);
    else if (cp < 0x800) {
      add(0xc0 | (cp >> 6));
      add(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
      add(0xe0 | (cp >> 12));
      add(0x80 | ((cp >> 6) & 0x3f));
      add(0x80 | (cp & 0x3f));
    } else {
      add(0xf0 | (cp >> 18));
      add(0x80 | ((cp >> 12) & 0x3f));
      add(0x80 | ((cp >> 6) & 0x3f));
      add(0x80 | (cp & 0x3f));
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const EARTH_RADIUS_KM = 6371.0088;

/**
 * Great-circle (haversine) distance in kilometres between two signed latitude/longitude pairs
 * in degrees. Parameter order (lat1, lon1, lat2, lon2) and unit are UNCONFIRMED in the spec.
 */
export function geoDistance(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

function extreme(sign: 1 | -1): FunctionBuilder {
  return (site) => {
    const a = arg(site, 0);
    return (m, c) => {
      let best: AmpsScalar = null;
      for (const s of scalars(a(m, c))) {
        if (s === null) continue;
        if (best === null || compareScalars(s, best) * sign > 0) best = s;
      }
      return best;
    };
  };
}

/** Aggregates evaluated over a group of one record (the only group a single message forms). */
function singleRecordAggregate(kind: 'value' | 'count' | 'number'): FunctionBuilder {
  return (site) => {
    const a = arg(site, 0);
    return (m, c) => {
      const v = first(a(m, c));
      if (kind === 'count') return v === null ? 0 : 1;
      if (kind === 'number') return v === null ? null : toNumber(v);
      return v;
    };
  };
}

const BUILDERS = new Map<string, FunctionBuilder>([
  ...STRING_FUNCTIONS,
  ...TIME_FUNCTIONS,
  ['ABS', numeric(Math.abs)],
  [
    'CRC32',
    (site) => {
      const a = arg(site, 0);
      return (m, c) => {
        const s = toText(a(m, c));
        return s === null ? null : crc32(s);
      };
    },
  ],
  [
    'GEO_DISTANCE',
    (site) => {
      const args = [0, 1, 2, 3].map((i) => arg(site, i));
      return (m, c) => {
        const n = args.map((e) => toNumber(e(m, c)));
        if (n.some((x) => x === null)) return null;
        const [a, b, d, e] = n as [number, number, number, number];
        return geoDistance(a, b, d, e);
      };
    },
  ],
  [
    'ARRAY_COUNT',
    (site) => {
      const a = arg(site, 0);
      return (m, c) => scalars(a(m, c)).length;
    },
  ],
  ['ARRAY_MAX', extreme(1)],
  ['ARRAY_MIN', extreme(-1)],
  [
    'ARRAY_SUM',
    (site) => {
      const a = arg(site, 0);
      return (m, c) => {
        let sum: number | null = null;
        for (const s of scalars(a(m, c))) {
          const n = toNumber(s);
          if (n !== null) sum = (sum ?? 0) + n;
        }
        return sum;
      };
    },
  ],
  ['MESSAGE_SIZE', fromContext((c) => c.messageSize)],
  ['CORRELATION_ID', fromContext((c) => c.correlationId)],
  ['LAST_UPDATED', fromContext((c) => c.lastUpdated ?? nowSeconds(c))],
  ['BOOKMARK', fromContext((c) => c.bookmark)],
  ['TOPIC_NAME', fromContext((c) => c.topic)],
  ['SOW_KEY', fromContext((c) => c.sowKey)],
  ['CLIENT_NAME', fromContext((c) => c.clientName)],
  ['AMPS_INSTANCE_NAME', fromContext((c) => c.instanceName)],
  ['AMPS_GROUP_NAME', fromContext((c) => c.groupName)],
  [
    'COALESCE',
    (site) => {
      const args = site.args;
      return (m, c) => {
        for (const a of args) {
          const v = first(a(m, c));
          if (v !== null) return v;
        }
        return null;
      };
    },
  ],
  [
    'IF',
    (site) => {
      const cond = arg(site, 0);
      const then = arg(site, 1);
      const otherwise = arg(site, 2);
      return (m, c) => (truth(cond(m, c)) === true ? then(m, c) : otherwise(m, c));
    },
  ],
  ['TRUE_VALUE', constant(true)],
  ['FALSE_VALUE', constant(false)],
  ['NAN_VALUE', constant(NaN)],
  [
    'CHAR_VALUE',
    (site) => {
      const a = arg(site, 0);
      return (m, c) => {
        const n = toNumber(a(m, c));
        if (n === null || !Number.isInteger(n) || n < 0 || n > 255) return null;
        return String.fromCharCode(n);
      };
    },
  ],
  ['AVG', singleRecordAggregate('number')],
  ['SUM', singleRecordAggregate('number')],
  ['ANY', singleRecordAggregate('value')],
  ['MIN', singleRecordAggregate('value')],
  ['MAX', singleRecordAggregate('value')],
  ['COUNT', singleRecordAggregate('count')],
  ['COUNT_DISTINCT', singleRecordAggregate('count')],
]);

/** Builds the evaluator of a function call. */
export function buildCall(site: CallSite): Evaluator {
  const builder = BUILDERS.get(site.node.name);
  if (builder === undefined) {
    throw syntaxError(
      `unknown function ${site.node.name}`,
      site.node.start,
      site.node.nameEnd - site.node.start,
    );
  }
  return builder(site);
}
