import { sql } from 'drizzle-orm';
import { PostgresJsSession, PostgresJsTransaction } from 'drizzle-orm/postgres-js/session';
import type { Sql } from 'postgres';
import { deferAuditUntilCommit, failedWriteOf, flushDeferredAudit } from './audit';
import { preparingStatements, type Database, type Tx } from './client';

/**
 * The tenant a transaction is scoped to: by id, or by the slug in the URL (the tenant's id is
 * then looked up in the same statement that sets it, so a request's first transaction needs no
 * lookup of its own; an unknown slug sets no tenant and every tenant table reads empty).
 */
export type TenantScope = ({ tenantId: string; tenantSlug?: undefined } | { tenantSlug: string; tenantId?: undefined }) & {
  /** The acting user, for audit and for policies that need it. */
  userId?: string | null;
};

const SCOPE = 'select set_config($1, $2, true), set_config($3, $4, true)';
const SCOPE_BY_SLUG = "select set_config($1, coalesce((select id::text from tenants where slug = $2), ''), true), set_config($3, $4, true)";

/**
 * Runs `fn` in one transaction scoped to one tenant. The settings are transaction-local, so a
 * pooled connection carries nothing over to the next request; without them every tenant table
 * reads empty (the policies fail closed).
 */
export function withTenantOn<T>(db: Database, scope: TenantScope, body: (tx: Tx) => Promise<T>, options: TenantTxOptions = {}): Promise<T> {
  const fn = options.readOnly ? body : refusingResponses(body);
  const client = postgresClientOf(db);
  if (client) return pipelined(db, client, scope, fn, options);
  return db.transaction(async (tx) => {
    const tenant = scope.tenantSlug === undefined ? sql`${scope.tenantId}` : sql`coalesce((select id::text from tenants where slug = ${scope.tenantSlug}), '')`;
    await tx.execute(sql`select set_config('app.tenant_id', ${tenant}, true), set_config('app.user_id', ${scope.userId ?? ''}, true)`);
    if (scope.tenantId !== undefined) deferAuditUntilCommit(tx, scope.tenantId);
    try {
      const result = await fn(tx);
      await flushDeferredAudit(tx);
      return result;
    } catch (error) {
      throw (await failedWriteOf(tx)) ?? error;
    }
  }, options.readOnly ? { accessMode: 'read only' } : undefined);
}

/**
 * A Response (a redirect, say) thrown out of a transaction that writes would roll back the very
 * work it reports as done (issue 23: a staff import that said "invited" had invited no one).
 * Such a throw is a bug, and this says so instead: decide inside, return the outcome, and throw
 * or return the Response after the transaction has committed.
 */
export class ResponseInTransactionError extends Error {
  constructor(readonly response: Response) {
    super(`a Response (${response.status}) was thrown inside a tenant transaction that writes: it would roll back what it reports; return an outcome and answer after the commit`);
    this.name = 'ResponseInTransactionError';
  }
}

function refusingResponses<T>(fn: (tx: Tx) => Promise<T>): (tx: Tx) => Promise<T> {
  return async (tx) => {
    try {
      return await fn(tx);
    } catch (error) {
      if (error instanceof Response) throw new ResponseInTransactionError(error);
      throw error;
    }
  };
}

export interface TenantTxOptions {
  /**
   * A page's reads: the transaction is `READ ONLY` (PostgreSQL refuses any write in it), so
   * nothing waits for its `COMMIT`, which follows on the same connection before anything else.
   */
  readOnly?: boolean;
}

function postgresClientOf(db: Database): Sql | null {
  const client = (db as unknown as { $client?: Partial<Sql> }).$client;
  return typeof client?.reserve === 'function' ? (client as Sql) : null;
}

type Internals = { dialect: ConstructorParameters<typeof PostgresJsTransaction>[0]; session: { schema: never; options: never } };

/**
 * The tenant transaction on PostgreSQL in two round trips instead of four: BEGIN and the
 * settings go out with the first query of `fn` on a reserved connection (postgres.js writes
 * queued statements together and runs them in order), and COMMIT follows the last. drizzle's
 * own `db.transaction` awaits BEGIN and then the settings before `fn` may start. The
 * transaction object is drizzle's, built as drizzle builds it; nested transactions are
 * savepoints, as in drizzle's.
 */
async function pipelined<T>(db: Database, client: Sql, scope: TenantScope, fn: (tx: Tx) => Promise<T>, options: TenantTxOptions): Promise<T> {
  const reserved = preparingStatements(await client.reserve());
  // Issued now, so they are queued ahead of anything `fn` sends.
  const begun = Promise.all([
    reserved.unsafe(options.readOnly ? 'begin read only' : 'begin').execute(),
    scope.tenantSlug === undefined
      ? reserved.unsafe(SCOPE, ['app.tenant_id', scope.tenantId, 'app.user_id', scope.userId ?? '']).execute()
      : reserved.unsafe(SCOPE_BY_SLUG, ['app.tenant_id', scope.tenantSlug, 'app.user_id', scope.userId ?? '']).execute(),
  ]);
  begun.catch(() => {}); // observed below, after fn
  let savepoints = 0;
  // What drizzle's transaction asks of its client besides `unsafe`: nested transactions.
  const connection = Object.assign(reserved, {
    async savepoint<R>(body: (c: Sql) => Promise<R>): Promise<R> {
      const name = `tenant_sp_${++savepoints}`;
      await reserved.unsafe(`savepoint ${name}`);
      try {
        const result = await body(reserved);
        await reserved.unsafe(`release savepoint ${name}`);
        return result;
      } catch (error) {
        await reserved.unsafe(`rollback to savepoint ${name}`);
        throw error;
      }
    },
  });
  const { dialect, session } = db as unknown as Internals;
  const txSession = new PostgresJsSession(connection as Sql, dialect, session.schema, session.options);
  const tx = new PostgresJsTransaction(dialect, txSession as never, session.schema) as unknown as Tx;
  if (scope.tenantId !== undefined) deferAuditUntilCommit(tx, scope.tenantId);
  let committing: Promise<unknown> | null = null;
  try {
    const result = await fn(tx);
    const committed = await flushDeferredAudit(tx, !options.readOnly);
    await begun;
    if (committed) return result;
    // A read-only transaction has nothing to commit that could fail: the result goes back at
    // once, and the connection goes back to the pool when its COMMIT is done (released earlier,
    // the pool could hand it to a query that would run inside this transaction, settings and all).
    if (options.readOnly) committing = reserved.unsafe('commit').execute().catch(() => {});
    else await reserved.unsafe('commit');
    return result;
  } catch (error) {
    await reserved.unsafe('rollback').catch(() => {});
    // A failed BEGIN or setting explains the errors of everything after it, and so does a
    // failed write that was to be awaited at COMMIT.
    await begun;
    throw (await failedWriteOf(tx)) ?? error;
  } finally {
    if (committing) void committing.finally(() => reserved.release());
    else reserved.release();
  }
}

/**
 * Sends a statement now without waiting for it: it runs in order on the transaction's
 * connection, and the caller awaits it later, together with what follows. drizzle's queries
 * start when first awaited, so it is started here, once; marked handled, so a failure that has
 * not been awaited yet is not an unhandled rejection meanwhile.
 */
export function sendNow<T>(query: PromiseLike<T>): Promise<T> {
  const sent = Promise.resolve(query);
  sent.catch(() => {});
  return sent;
}
