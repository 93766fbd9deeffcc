// The process's database: postgres.js against DATABASE_URL, or the embedded PGlite when it is
// unset. Opened once at start-up by `openDatabase()`; everything else uses `db()`/`withTenant`.
import { assertRuntimeRole, connectPostgres, openEmbedded, type Database, type DatabaseHandle, type Tx } from '#db/client';
import { withTenantOn, type TenantScope } from '#db/tenant';
import { env } from './env.server';

// Routes reach the database only through .server modules, which stay out of the browser's bundle.
export { sendNow } from '#db/tenant';

// Kept on globalThis: server.ts and the Remix server bundle each carry a copy of this module,
// and both must share the one pool.
const shared = globalThis as typeof globalThis & { __delovodDatabase?: DatabaseHandle };

export async function openDatabase(): Promise<DatabaseHandle> {
  if (shared.__delovodDatabase) return shared.__delovodDatabase;
  const e = env();
  const handle = e.DATABASE_URL
    ? connectPostgres(e.DATABASE_URL, { max: e.DATABASE_POOL_SIZE })
    : await openEmbedded(e.PGLITE_DIR);
  await assertRuntimeRole(handle.db);
  shared.__delovodDatabase = handle;
  return handle;
}

export async function closeDatabase(): Promise<void> {
  await shared.__delovodDatabase?.close();
  shared.__delovodDatabase = undefined;
}

/** The pool, for global tables only (tenant tables read empty here by design). */
export function db(): Database {
  const handle = shared.__delovodDatabase;
  if (!handle) throw new Error('database not opened: call openDatabase() at start-up');
  return handle.db;
}

export function databaseKind(): DatabaseHandle['kind'] | undefined {
  return shared.__delovodDatabase?.kind;
}

/** `readOnly`: a loader's reads (see TenantTxOptions). */
export function withTenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>, actor?: { userId?: string | null; readOnly?: boolean }): Promise<T> {
  const scope: TenantScope = { tenantId, userId: actor?.userId };
  return withTenantOn(db(), scope, fn, { readOnly: actor?.readOnly });
}
