// Demo staff as engine actors, looked up the way the app does (the runtime role, in the tenant's scope).
import { and, eq } from 'drizzle-orm';
import type { Actor } from '#app/workflow/engine/actor';
import type { Database } from '#db/client';
import { memberships, tenants, users } from '#db/schema';
import { withTenantOn } from '#db/tenant';

export async function actorOf(db: Database, slug: string, email: string, locale: Actor['locale'] = 'sr-Cyrl'): Promise<Actor> {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.slug, slug));
  const [user] = await db.select().from(users).where(eq(users.email, email));
  const [m] = await withTenantOn(db, { tenantId: tenant.id }, (tx) =>
    tx.select().from(memberships).where(and(eq(memberships.tenantId, tenant.id), eq(memberships.userId, user.id))),
  );
  return { tenantId: tenant.id, userId: user.id, membershipId: m.id, ip: '127.0.0.1', userAgent: 'vitest', locale };
}

export function inTenant<T>(db: Database, actor: Actor, fn: Parameters<typeof withTenantOn<T>>[2]): Promise<T> {
  return withTenantOn(db, { tenantId: actor.tenantId, userId: actor.userId }, fn);
}
