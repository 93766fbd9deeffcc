// SHORTCUT (ADR 013): drizzle's prepared-query internals (`db._.session.prepareQuery`, `fields`,
// `joinsNotNullableMap`) used to run a query whose SQL was built once. Contract test: reusable.test.ts.
//
// Selects whose SQL drizzle builds once per process. drizzle writes a query's text anew every
// time it runs, walking each column and condition: in the bench's profile of the inbox page that
// was 8 % of the web process's CPU, more than the page's own code. drizzle's `.prepare()` keeps
// the text, but for one database handle, and a request's reads run in a transaction of their
// own. A reusable select keeps the text, its parameters (those that vary are
// `sql.placeholder(name)`s) and how its rows map, and runs them on whichever database or
// transaction it is given, through that session's `prepareQuery`, as `.prepare()` does.
import type { Query } from 'drizzle-orm';
import type { PgPreparedQuery, PreparedQueryConfig } from 'drizzle-orm/pg-core';
import type { Queryable } from './client';

type Prepared<R> = PgPreparedQuery<PreparedQueryConfig & { execute: R }>;

/** What a prepared query maps its rows with, besides its text: set by drizzle, not in its types. */
interface RowMapping {
  fields?: unknown;
  joinsNotNullableMap?: Record<string, boolean>;
}

export function reusableSelect<R, P extends Record<string, unknown>>(build: (db: Queryable) => { prepare(name: string): Prepared<R> }): (db: Queryable, values: P) => Promise<R> {
  let built: { query: Query; mapping: RowMapping } | undefined;
  return (db, values) => {
    if (!built) {
      const prepared = build(db).prepare('reusable') as Prepared<R> & RowMapping;
      built = { query: prepared.getQuery(), mapping: { fields: prepared.fields, joinsNotNullableMap: prepared.joinsNotNullableMap } };
    }
    const query = db._.session.prepareQuery(built.query, built.mapping.fields as never, undefined, true) as Prepared<R> & RowMapping;
    query.joinsNotNullableMap = built.mapping.joinsNotNullableMap;
    return query.execute(values);
  };
}
