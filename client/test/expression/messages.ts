/** JSON messages shared by the expression tests. */

/** The message of the worked examples, spec §14.7. */
export const WORKED = { id: 7, sym: 'MSFT', px: '101.5', tags: ['a', 'b'], opt: '' };

/** The arrays document of the AMPS "Working with Arrays" examples. */
export const ARRAYS = { data: [1, 2, 3, 'zebra', 5], other: [14, 34, 23, 5], empty: [], nulls: [null, null] };

/** A message exercising nesting, types and odd names. */
export const ORDER = {
  outer: { compound: { C: [{ C1: 'a' }, { C1: 'b' }] } },
  name: 'Crank It Up',
  flag: true,
  off: false,
  nul: null,
  qty: -5,
  f: 2.5,
  num: '2.0',
  two: '2',
  neg: '-3',
  state: 'abba',
  text: 'Hello World',
  multi: 'line1\nline2',
  'with space': 1,
  'a-b': 4,
  ts: 1700000000.25,
  deep: [[1, 2], [3]],
  objs: [{ x: 1 }, { x: null }, { x: 3 }],
  big: 12345678901,
};

/** Every message by name. */
export const MESSAGES = { WORKED, ARRAYS, ORDER } as const;
