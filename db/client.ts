import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { mkdirSync } from 'node:fs';
import postgres from 'postgres';
import { migratePglite } from './migrate';
import { rowsOf } from './rows';
// drizzle is given no schema: the app writes its queries with the query builder and never uses
// the relational API (db.query.*), whose builders drizzle would otherwise construct for every
// table in every transaction object, a page's included.
type NoRelations = Record<string, never>;
export type Database = PgDatabase<PgQueryResultHKT, NoRelations>;
export type Tx = PgTransaction<PgQueryResultHKT, NoRelations, ExtractTablesWithRelations<NoRelations>>;
/** Anything a query can run on: the pool (global tables only) or a tenant transaction. */
export type Queryable = Database | Tx;

export const RUNTIME_ROLE = 'delovod_app';

export interface DatabaseHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/**
 * A connection URL as postgres.js takes it. libpq's `?host=/var/run/postgresql` (the folder of a
 * Unix socket, e.g. `postgres://delovod_app@/delovod?host=/var/run/postgresql`) becomes
 * postgres.js's `path` option, which it does not read from a URL.
 */
export function postgresTarget(url: string): { url: string; path?: string } {
  if (!url.includes('host=/')) return { url };
  // A URL needs a host name after the user; the socket folder stands for it.
  const parsed = new URL(url.replace(/^(postgres(?:ql)?:\/\/[^/@]*@)\//, '$1localhost/'));
  const host = parsed.searchParams.get('host');
  if (!host?.startsWith('/')) return { url };
  parsed.searchParams.delete('host');
  return { url: parsed.toString(), path: `${host}/.s.PGSQL.${parsed.port || 5432}` };
}

/**
 * Has postgres.js run the statements it is given as prepared statements, which drizzle asks of
 * it only for queries given a name. An unprepared statement with parameters costs two round
 * trips in postgres.js (Parse and Describe, then Bind and Execute) and stops the statements
 * queued behind it from going out with it; a prepared one is parsed once per connection, then
 * costs one round trip and goes out together with the rest. Connections are replaced within an
 * hour (postgres.js's max_lifetime), which bounds the statements each one keeps.
 */
export function preparingStatements<T extends Pick<postgres.Sql, 'unsafe'>>(client: T): T {
  const unsafe = client.unsafe.bind(client);
  // drizzle's own transactions (db.transaction) run on the connection postgres.js's begin hands out.
  const begin = (client as Partial<postgres.Sql>).begin?.bind(client) as ((...args: unknown[]) => Promise<unknown>) | undefined;
  return Object.assign(client, {
    unsafe: ((query: string, args?: never[], options?: postgres.UnsafeQueryOptions) => unsafe(query, args, { ...options, prepare: true })) as T['unsafe'],
    ...(begin && {
      begin: (...args: unknown[]) => {
        const fn = args.pop() as (connection: postgres.TransactionSql) => unknown;
        return begin(...args, (connection: postgres.TransactionSql) => fn(preparingStatements(connection)));
      },
    }),
  });
}

/** drizzle on a postgres.js client, its statements prepared (`preparingStatements`). */
export function drizzleOnPostgres(client: postgres.Sql): Database {
  return drizzlePostgres(preparingStatements(client)) as unknown as Database;
}

export function connectPostgres(url: string, options: { max?: number; applicationName?: string } = {}): DatabaseHandle {
  const target = postgresTarget(url);
  const client = postgres(target.url, {
    ...(target.path ? { path: target.path } : {}),
    max: options.max ?? 10,
    idle_timeout: 30,
    // A database host that vanished leaves new connections hanging, and every query queued behind
    // them: give up on one after 10 s (postgres.js waits 30), so the process serves again within
    // seconds of the database coming back.
    connect_timeout: 10,
    connection: { application_name: options.applicationName ?? 'delovod' },
    onnotice: () => {},
  });
  return { db: drizzleOnPostgres(client), kind: 'postgres', close: () => client.end({ timeout: 5 }) };
}

/**
 * The embedded default: a PGlite database in `dir`, migrated as its superuser, after which the
 * whole process acts as the runtime role, so row level security binds exactly as on a server.
 */
export async function openEmbedded(dir: string): Promise<DatabaseHandle> {
  if (dir !== 'memory://') mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir);
  const db = drizzlePglite(client) as unknown as Database;
  await migratePglite(client);
  await db.execute(sql.raw(`SET ROLE ${RUNTIME_ROLE}`));
  return { db, kind: 'pglite', close: () => client.close() };
}

/**
 * Refuses to serve as a role that could see across tenants: a superuser, a BYPASSRLS role, or
 * one that owns a table (owners are exempt from non-forced policies and can change them).
 */
export async function assertRuntimeRole(db: Database): Promise<void> {
  const result = await db.execute(sql`
    select current_user as role, r.rolsuper as super, r.rolbypassrls as bypass,
      (select count(*)::int from pg_class c where c.relowner = r.oid and c.relkind in ('r','v','m','p')) as owned
    from pg_roles r where r.rolname = current_user`);
  const [me] = rowsOf<{ role: string; super: boolean; bypass: boolean; owned: number }>(result);
  if (!me || me.super || me.bypass || me.owned > 0) {
    throw new Error(
      `Refusing to run as database role "${me?.role}": the runtime role must not be a superuser, ` +
        `must not have BYPASSRLS and must own no table (see docs/decisions/001-tenancy-rls.md).`,
    );
  }
}
