import { SOW_EXPORT_FORMATS, SOW_MODES, SOW_PAGE_MAX_ROWS } from '../dto/sow.js';
import type {
  SowCountRequest,
  SowDeleteRequest,
  SowExportRequest,
  SowPageOpenRequest,
  SowPageRequest,
  SowQueryRef,
  SowRecordHistoryRequest,
  SowQuerySpec,
  SowRecordRequest,
  SowReplaceFilterRequest,
} from '../dto/sow.js';
import type { SowAsOfDiffRequest } from '../dto/sowAsOf.js';
import { array, boolean, enumOf, number, object, oneOf, optional, string } from './schemaLib.js';
import type { Schema } from './schemaLib.js';

/** Limits on SOW request payloads. */
export const SOW_LIMITS = {
  id: 128,
  topic: 1024,
  filter: 65_536,
  orderBy: 1024,
  select: 4096,
  conflation: 32,
  bookmark: 1024,
  /** SowKeys in one delete or export-of-selected request. */
  keys: 100_000,
  key: 256,
  topN: 100_000_000,
  batchSize: 10_000,
} as const;

const id = string({
  maxLength: SOW_LIMITS.id,
  minLength: 1,
  pattern: /^[A-Za-z0-9._:-]+$/,
  patternName: 'an identifier (letters, digits, . _ : -)',
});
const topic = string({ maxLength: SOW_LIMITS.topic, minLength: 1 });
const filter = string({ maxLength: SOW_LIMITS.filter });
const sowKey = string({
  maxLength: SOW_LIMITS.key,
  minLength: 1,
  pattern: /^[^,\s]+$/,
  patternName: 'a SowKey (no commas or spaces)',
});

/** The payload of `sowQuery`. */
export const sowQuerySchema: Schema<SowQuerySpec> = object({
  connectionId: id,
  topic,
  filter: optional(filter),
  mode: enumOf(SOW_MODES),
  orderBy: optional(string({ maxLength: SOW_LIMITS.orderBy })),
  topN: optional(number({ integer: true, min: 0, max: SOW_LIMITS.topN })),
  skipN: optional(number({ integer: true, min: 0, max: SOW_LIMITS.topN })),
  batchSize: optional(number({ integer: true, min: 1, max: SOW_LIMITS.batchSize })),
  select: optional(string({ maxLength: SOW_LIMITS.select })),
  oof: optional(boolean()),
  noEmpties: optional(boolean()),
  conflation: optional(
    string({
      maxLength: SOW_LIMITS.conflation,
      minLength: 1,
      pattern: /^\d+(ms|s|m)?$/,
      patternName: 'an interval such as 250ms or 1s',
    }),
  ),
  bookmark: optional(string({ maxLength: SOW_LIMITS.bookmark, minLength: 1 })),
  grouping: optional(string({ maxLength: SOW_LIMITS.select, minLength: 1 })),
  projection: optional(string({ maxLength: 65_536, minLength: 1 })),
});

/** `sowCancel`'s payload. */
export const sowQueryRefSchema: Schema<SowQueryRef> = object({ queryId: id });

/** `sowReplaceFilter`'s payload. */
export const sowReplaceFilterSchema: Schema<SowReplaceFilterRequest> = object({ queryId: id, filter });

/** `sowRecord`'s payload. */
export const sowRecordSchema: Schema<SowRecordRequest> = object({ queryId: id, key: sowKey });

/** `sowCount`'s payload. */
export const sowCountSchema: Schema<SowCountRequest> = object({
  connectionId: id,
  topic,
  filter: optional(filter),
});

/** `sowDelete`'s payload: keys or a non-empty filter. */
export const sowDeleteSchema: Schema<SowDeleteRequest> = oneOf([
  object({
    connectionId: id,
    topic,
    keys: array(sowKey, { maxLength: SOW_LIMITS.keys }),
  }),
  object({
    connectionId: id,
    topic,
    filter: string({ maxLength: SOW_LIMITS.filter, minLength: 1 }),
  }),
]);

/** `sowExport`'s payload. */
export const sowExportSchema: Schema<SowExportRequest> = object({
  queryId: id,
  format: enumOf(SOW_EXPORT_FORMATS),
  keys: optional(array(sowKey, { maxLength: SOW_LIMITS.keys })),
});

const pageTopN = number({ integer: true, min: 1, max: SOW_PAGE_MAX_ROWS });
const pageSkipN = number({ integer: true, min: 0, max: SOW_LIMITS.topN });

/** `sowPageOpen`'s payload. */
export const sowPageOpenSchema: Schema<SowPageOpenRequest> = object({
  spec: sowQuerySchema,
  skipN: pageSkipN,
  topN: pageTopN,
  heldBy: optional(enumOf(['server', 'app'] as const)),
});

/** `sowPage`'s payload. */
export const sowPageSchema: Schema<SowPageRequest> = object({
  queryId: id,
  skipN: pageSkipN,
  topN: pageTopN,
});

/** `sowRecordHistory`'s payload: the filter selects the record by its key fields. */
export const sowRecordHistorySchema: Schema<SowRecordHistoryRequest> = object({
  connectionId: id,
  topic,
  filter: string({ maxLength: SOW_LIMITS.filter, minLength: 1 }),
});

const asOfPoint = string({
  maxLength: SOW_LIMITS.bookmark,
  minLength: 1,
  pattern: /^(\d+\|\d+\|(,\d+\|\d+\|)*|\d{8}T\d{6}(\.\d{1,6})?Z?)$/,
  patternName: 'a bookmark (12345|67|) or an AMPS timestamp (20260101T120000)',
});

/** `sowAsOfDiff`'s payload: two points in time (bookmark or timestamp) of one topic. */
export const sowAsOfDiffSchema: Schema<SowAsOfDiffRequest> = object({
  connectionId: id,
  topic,
  filter: optional(filter),
  from: asOfPoint,
  to: asOfPoint,
});
