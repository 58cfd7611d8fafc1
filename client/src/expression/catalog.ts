/**
 * The built-in functions the parser accepts (spec §14.6), with their arity and category.
 * The category decides where a function may appear: aggregates only in field expressions
 * (views, aggregated queries), never in filters (§14.6.9).
 */

/** Where a function belongs. */
export type FunctionCategory = 'scalar' | 'reduce' | 'message' | 'aggregate' | 'unsupported';

/** Arity and category of one built-in function. */
export interface FunctionSpec {
  /** Minimum number of arguments. */
  min: number;
  /** Maximum number of arguments (Infinity for variadic). */
  max: number;
  /** Category of the function. */
  category: FunctionCategory;
  /** Why an `unsupported` function is refused. */
  reason?: string;
}

const spec = (min: number, max: number, category: FunctionCategory = 'scalar'): FunctionSpec => ({
  min,
  max,
  category,
});

/** Every built-in function by upper-case name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map<string, FunctionSpec>([
  // §14.6.1 / §14.6.2 strings
  ['INSTR', spec(2, 2)],
  ['INSTR_I', spec(2, 2)],
  ['STREQUAL_I', spec(2, 2)],
  ['CONCAT', spec(1, Infinity)],
  ['UPPER', spec(1, 1)],
  ['LOWER', spec(1, 1)],
  ['REPLACE', spec(3, 3)],
  ['REGEXP_REPLACE', spec(3, 3)],
  ['REGEXP_MATCH', spec(2, 2)],
  ['SUBSTR', spec(2, 3)],
  ['REVERSE', spec(1, 1)],
  ['ARRAY_TO_STRING', spec(2, 3, 'reduce')],
  // §14.6.3 array reduce
  ['ARRAY_COUNT', spec(1, 1, 'reduce')],
  ['ARRAY_MAX', spec(1, 1, 'reduce')],
  ['ARRAY_MIN', spec(1, 1, 'reduce')],
  ['ARRAY_SUM', spec(1, 1, 'reduce')],
  // §14.6.4 date and time (incl. the legacy compatibility module)
  ['UNIX_TIMESTAMP', spec(0, 0)],
  ['STRFTIME', spec(2, 2)],
  ['STRPTIME', spec(2, 2)],
  ['TIMEZONEOFFSET', spec(0, 0)],
  ['YEAR', spec(1, 1)],
  ['MONTH', spec(1, 1)],
  ['DAY', spec(1, 1)],
  ['DATE_UTC', spec(1, 1)],
  ['DATE', spec(1, 1)],
  ['TODAY_UTC', spec(0, 0)],
  ['TODAY', spec(0, 0)],
  // §14.6.5 numeric, checksum, geospatial
  ['ABS', spec(1, 1)],
  ['CRC32', spec(1, 1)],
  ['GEO_DISTANCE', spec(4, 4)],
  // §14.6.6 message, client and instance information
  ['MESSAGE_SIZE', spec(0, 0, 'message')],
  ['CORRELATION_ID', spec(0, 0, 'message')],
  ['LAST_UPDATED', spec(0, 0, 'message')],
  ['BOOKMARK', spec(0, 0, 'message')],
  ['TOPIC_NAME', spec(0, 0, 'message')],
  ['SOW_KEY', spec(0, 0, 'message')],
  ['CLIENT_NAME', spec(0, 0, 'message')],
  ['AMPS_INSTANCE_NAME', spec(0, 0, 'message')],
  ['AMPS_GROUP_NAME', spec(0, 0, 'message')],
  // §14.6.7 NULL handling, conditionals, typed values
  ['COALESCE', spec(1, Infinity)],
  ['IF', spec(3, 3)],
  ['TRUE_VALUE', spec(0, 0)],
  ['FALSE_VALUE', spec(0, 0)],
  ['NAN_VALUE', spec(0, 0)],
  ['CHAR_VALUE', spec(1, 1)],
  // §14.6.8 / §14.6.6 functions whose module or definition is not available
  [
    'VALUE_LOOKUP',
    {
      min: 2,
      max: Infinity,
      category: 'unsupported',
      reason: 'VALUE_LOOKUP needs the experimental module and a configured lookup',
    },
  ],
  ['LAST_READ', { min: 0, max: Infinity, category: 'unsupported', reason: 'LAST_READ is not supported' }],
  // §14.6.9 aggregates
  ['AVG', spec(1, 1, 'aggregate')],
  ['ANY', spec(1, 1, 'aggregate')],
  ['COUNT', spec(1, 1, 'aggregate')],
  ['COUNT_DISTINCT', spec(1, 1, 'aggregate')],
  ['MIN', spec(1, 1, 'aggregate')],
  ['MAX', spec(1, 1, 'aggregate')],
  ['SUM', spec(1, 1, 'aggregate')],
]);
