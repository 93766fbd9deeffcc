// The national office ends a tenant: suspension keeps the data and shuts the staff out;
// deletion removes every row of the tenant through offboard_tenant() (ADR 004).
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Database } from '#db/client';
import { rowsOf } from '#db/rows';
import { tenants } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import type { Actor } from './actor';
import { nationalAudit } from './review';
import { nationalTenantId } from './signup';

export async function setTenantStatus(db: Database, actor: Actor, tenantId: string, status: 'active' | 'suspended'): Promise<boolean> {
  const nationalId = await nationalTenantId(db);
  return withTenantOn(db, { tenantId: nationalId, userId: actor.userId }, async (tx) => {
    const rows = await tx
      .update(tenants)
      .set({ status })
      .where(and(eq(tenants.id, tenantId), ne(tenants.kind, 'national'), ne(tenants.status, status)))
      .returning({ slug: tenants.slug });
    if (!rows.length) return false;
    await nationalAudit(tx, nationalId, actor, { type: status === 'suspended' ? 'tenant.suspended' : 'tenant.reactivated', subjectType: 'tenant', subjectId: tenantId, data: { slug: rows[0].slug } });
    return true;
  });
}

/**
 * Deletes the tenant and all of its rows; returns the rows removed per table, or null if it was
 * gone. The database itself checks that a national-office reviewer asks, by their session's
 * token (national_caller(), migration 0060), whatever this process believes.
 */
export async function deleteTenant(db: Database, actor: Actor & { sessionToken: string }, tenantId: string): Promise<Record<string, number> | null> {
  const nationalId = await nationalTenantId(db);
  if (tenantId === nationalId) throw new RangeError('the national office cannot be deleted');
  return withTenantOn(db, { tenantId: nationalId, userId: actor.userId }, async (tx) => {
    await tx.execute(sql`select set_config('app.session_token', ${actor.sessionToken}, true)`);
    const [tenant] = await tx.select({ slug: tenants.slug, nameLatn: tenants.nameLatn }).from(tenants).where(eq(tenants.id, tenantId));
    const [result] = rowsOf<{ removed: Record<string, number> | null }>(await tx.execute(sql`select offboard_tenant(${tenantId}::uuid) as removed`));
    if (!result.removed || !tenant) return null;
    // The tenant's own trail is gone with it; the national office's records the deletion.
    await nationalAudit(tx, nationalId, actor, { type: 'tenant.deleted', subjectType: 'tenant', subjectId: tenantId, data: { ...tenant, removed: result.removed } });
    return result.removed;
  });
}
