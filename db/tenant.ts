import { sql } from 'drizzle-orm';
import type { Database, Tx } from './client';

export interface TenantScope {
  tenantId: string;
  /** The acting user, for audit and for policies that need it. */
  userId?: string | null;
}

/**
 * Runs `fn` in one transaction scoped to one tenant. The settings are transaction-local, so a
 * pooled connection carries nothing over to the next request; without them every tenant table
 * reads empty (the policies fail closed).
 */
export function withTenantOn<T>(db: Database, scope: TenantScope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('app.tenant_id', ${scope.tenantId}, true), set_config('app.user_id', ${scope.userId ?? ''}, true)`,
    );
    return fn(tx);
  });
}
