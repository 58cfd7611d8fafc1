/**
 * Aggregation built from the grid's columns: the fields to group by and, for other columns,
 * an aggregate function. Pure: the choice becomes AMPS's `grouping` and `projection` lists
 * (`grouping=[/sym]`, `projection=[/sym AS /sym,SUM(/qty) AS /sum_qty]`), so the server sends
 * one record per group and the load is shed at the source.
 */

/** Aggregate functions offered per column. */
export const AGGREGATE_FUNCTIONS = ['SUM', 'AVG', 'MIN', 'MAX', 'COUNT', 'COUNT_DISTINCT'] as const;
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

/** What a column does in the aggregation. */
export type ColumnRole = { kind: 'none' } | { kind: 'group' } | { kind: 'aggregate'; fn: AggregateFunction };

/** The aggregation's lists, as the form holds them. */
export interface AggregationText {
  grouping: string;
  projection: string;
}

/** `/customer/name` + `SUM` → `/sum_customer_name`: a field name for the result. */
export function resultField(path: string, fn: AggregateFunction): string {
  const name = path
    .split('/')
    .filter((s) => s !== '')
    .join('_');
  return `/${fn.toLowerCase()}_${name}`;
}

/**
 * The grouping and projection for the roles of the columns (in column order), or a problem:
 * at least one field to group by is needed.
 */
export function buildAggregation(
  roles: ReadonlyMap<string, ColumnRole>,
): AggregationText | { problem: string } | undefined {
  const groups: string[] = [];
  const measures: string[] = [];
  for (const [path, role] of roles) {
    if (role.kind === 'group') groups.push(path);
    else if (role.kind === 'aggregate') measures.push(`${role.fn}(${path}) AS ${resultField(path, role.fn)}`);
  }
  if (groups.length === 0 && measures.length === 0) return undefined;
  if (groups.length === 0) return { problem: 'Aggregation: choose at least one column to group by' };
  return {
    grouping: groups.join(','),
    projection: [...groups.map((g) => `${g} AS ${g}`), ...measures].join(','),
  };
}

/** Roles read back from a grouping and projection this module built (for reopening the menu). */
export function rolesFrom(text: AggregationText): Map<string, ColumnRole> {
  const roles = new Map<string, ColumnRole>();
  for (const g of text.grouping.split(',')) {
    const path = g.trim();
    if (path !== '') roles.set(path, { kind: 'group' });
  }
  const fnPattern = AGGREGATE_FUNCTIONS.join('|');
  const measure = new RegExp(`^(${fnPattern})\\((/[^)\\s]+)\\)\\s+AS\\s+/\\S+$`, 'i');
  for (const item of text.projection.split(',')) {
    const m = measure.exec(item.trim());
    if (m !== null) roles.set(m[2] ?? '', { kind: 'aggregate', fn: (m[1] ?? 'SUM').toUpperCase() as AggregateFunction });
  }
  return roles;
}
