// Guards throw: a loader reads top to bottom and never sees a request it should not serve.
import { redirect, type AppLoadContext } from '@remix-run/node';
import { and, eq } from 'drizzle-orm';
import { memberships, orgUnits, tenants } from '#db/schema';
import { db, withTenant } from '../db.server';
import { permissionsOf, type Permission } from './permissions';
import type { SignedIn } from './session.server';

export function requireUser(context: AppLoadContext, request: Request): SignedIn {
  if (context.auth.signedIn) return context.auth.signedIn;
  const url = new URL(request.url);
  const params = new URLSearchParams({ redirectTo: url.pathname + url.search });
  if (context.auth.expired) params.set('expired', '1');
  throw redirect(`/login?${params}`);
}

export function notFound(): never {
  throw new Response('Not Found', { status: 404 });
}

export function forbidden(): never {
  throw new Response('Forbidden', { status: 403 });
}

export type TenantRow = typeof tenants.$inferSelect;
export interface TenantAccess {
  signedIn: SignedIn;
  tenant: TenantRow;
  membership: typeof memberships.$inferSelect & { unit: { name: string; nameEn: string } | null };
  permissions: Set<Permission>;
}

function loadAccess(signedIn: SignedIn, slug: string): Promise<TenantAccess | null> {
  return (async () => {
    const [tenant] = await db().select().from(tenants).where(eq(tenants.slug, slug));
    if (!tenant || tenant.status !== 'active') return null;
    const row = await withTenant(
      tenant.id,
      async (tx) => {
        const [m] = await tx
          .select({ membership: memberships, unit: { name: orgUnits.name, nameEn: orgUnits.nameEn } })
          .from(memberships)
          .leftJoin(orgUnits, and(eq(orgUnits.tenantId, memberships.tenantId), eq(orgUnits.id, memberships.orgUnitId)))
          .where(and(eq(memberships.tenantId, tenant.id), eq(memberships.userId, signedIn.user.id), eq(memberships.active, true)));
        return m;
      },
      { userId: signedIn.user.id },
    );
    if (!row) return null;
    return { signedIn, tenant, membership: { ...row.membership, unit: row.unit }, permissions: permissionsOf(row.membership.roles) };
  })();
}

/**
 * The signed-in user's access to the tenant in the URL. Someone who is not an active member
 * gets 404 (the tenant's existence is not confirmed); a member without `permission` gets 403.
 */
export async function requireTenantMember(
  context: AppLoadContext,
  request: Request,
  slug: string | undefined,
  permission?: Permission,
): Promise<TenantAccess> {
  const signedIn = requireUser(context, request);
  if (!slug) notFound();
  const key = `tenant:${slug}`;
  if (!context.memo.has(key)) context.memo.set(key, loadAccess(signedIn, slug));
  const access = (await context.memo.get(key)) as TenantAccess | null;
  if (!access) notFound();
  if (permission && !access.permissions.has(permission)) forbidden();
  return access;
}

/** National-office staff: members of the national tenant with the given permission. */
export async function requireNational(
  context: AppLoadContext,
  request: Request,
  permission: Permission = 'access:national',
): Promise<TenantAccess> {
  const signedIn = requireUser(context, request);
  const key = 'national';
  if (!context.memo.has(key)) {
    context.memo.set(
      key,
      (async () => {
        const [national] = await db().select({ slug: tenants.slug }).from(tenants).where(eq(tenants.kind, 'national'));
        return national ? loadAccess(signedIn, national.slug) : null;
      })(),
    );
  }
  const access = (await context.memo.get(key)) as TenantAccess | null;
  if (!access) notFound();
  if (!access.permissions.has(permission)) forbidden();
  return access;
}

/** The engine's view of who is acting, from a tenant access check and the request. */
export function actorOf(access: TenantAccess, context: AppLoadContext) {
  return {
    tenantId: access.tenant.id,
    userId: access.signedIn.user.id,
    membershipId: access.membership.id,
    ip: context.ip,
    userAgent: context.userAgent,
    locale: context.locale,
  };
}
