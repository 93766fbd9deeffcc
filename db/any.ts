import { sql, type Column, type SQL } from 'drizzle-orm';

/**
 * `column = any($1::uuid[])`, the ids as one array parameter. drizzle's `inArray` writes
 * `in ($1, …, $n)`: a statement of another text for every number of ids (each prepared anew on
 * each connection) and a parameter for drizzle to build per id. For batches of rows whose size
 * varies, as the emails of a worker's batch.
 */
export const anyOf = (column: Column, ids: readonly string[]): SQL => sql`${column} = any(${sql.param(ids)}::uuid[])`;
