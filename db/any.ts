import { sql, type Column, type Placeholder, type SQL } from 'drizzle-orm';

/**
 * `column = any($1::uuid[])`, the values as one array parameter: given now, or a placeholder of
 * a reusable select. drizzle's `inArray` writes `in ($1, …, $n)`: a statement of another text for
 * every number of values (each prepared anew on each connection) and a parameter for drizzle to
 * build per value. For lists whose length varies, as the emails of a worker's batch.
 */
export const anyOf = (column: Column, values: readonly string[] | Placeholder, type: 'uuid' | 'text' = 'uuid'): SQL =>
  sql`${column} = any(${Array.isArray(values) ? sql.param(values) : values}::${sql.raw(type)}[])`;
