// Guards throw: a loader reads top to bottom and never sees a request it should not serve.
import { redirect, type AppLoadContext } from '@remix-run/node';
import { and, eq, sql } from 'drizzle-orm';
import { memberships, orgUnits, tenants } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { unreadSelect } from '../workflow/engine/list-notifications.server';
import type { Tx } from '#db/client';
import { reusableSelect } from '#db/reusable';
import { db, withTenant } from '../db.server';
import type { Actor } from '../workflow/engine/actor';
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
  /** Unread notifications, counted up to UNREAD_SHOWN + 1 (the badge every tenant page shows). */
  unread: number;
  /** Runs a page's reads in a read-only transaction of this tenant, as this user. */
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

/**
 * A request's reads, run in the read-only transaction that its access check opened: the page
 * needs no BEGIN, settings or COMMIT of its own. Loaders that read right after the check (in
 * the same turn of the event loop) share it; it ends once nothing has used it for a turn, and a
 * read that comes later, or after a failed read, opens its own transaction. Either way the read
 * sees the same tenant and user, so only the cost differs.
 */
function sharedReads(tx: Tx) {
  let active = 0;
  let accepting = true;
  let finished = false;
  let finish!: () => void;
  const idle = new Promise<void>((resolve) => (finish = resolve));
  const endIfIdle = () =>
    setImmediate(() => {
      if (active || finished) return;
      finished = true;
      accepting = false;
      finish();
    });
  endIfIdle();
  return {
    idle,
    run<T>(fn: (tx: Tx) => Promise<T>): Promise<T> | null {
      if (!accepting) return null;
      active++;
      // Called inside a promise chain, so even a function that throws at once ends its use.
      return Promise.resolve(tx)
        .then(fn)
        .catch((error: unknown) => {
          // A failed statement aborts the transaction: later reads go elsewhere.
          accepting = false;
          throw error;
        })
        .finally(() => {
          if (--active === 0) endIfIdle();
        });
    },
  };
}

// The access check's reads, built once (db/reusable.ts): every tenant page runs them. The tenant
// is named by the slug in the URL, the member by the signed-in user.
type AccessKey = { slug: string; userId: string };
const tenantOfSlug = sql`(select ${tenants.id} from ${tenants} where ${tenants.slug} = ${sql.placeholder('slug')})`;
const activeMember = and(eq(memberships.tenantId, tenantOfSlug), eq(memberships.userId, sql.placeholder('userId')), eq(memberships.active, true));
const tenantSelect = reusableSelect((db) => db.select().from(tenants).where(eq(tenants.slug, sql.placeholder('slug'))));
const memberSelect = reusableSelect((db) =>
  db
    .select({ membership: memberships, unit: { name: orgUnits.name, nameEn: orgUnits.nameEn } })
    .from(memberships)
    .leftJoin(orgUnits, and(eq(orgUnits.tenantId, memberships.tenantId), eq(orgUnits.id, memberships.orgUnitId)))
    .where(activeMember),
);
const unreadOfMember = reusableSelect((db) => unreadSelect(db, tenantOfSlug, sql`(select ${memberships.id} from ${memberships} where ${activeMember})`));

/** Who a page reads or changes as: the tenant, the member and what they may do, as the access check found them. */
export interface Member {
  tenantId: string;
  membershipId: string;
  permissions: Set<Permission>;
}

/** The member an access check's rows name: none unless the tenant is active and the user an active member of it. */
function memberFound(tenant: Pick<TenantRow, 'id' | 'status'> | undefined, membership: { id: string; roles: string[] } | undefined): Member | null {
  if (!tenant || tenant.status !== 'active' || !membership) return null;
  return { tenantId: tenant.id, membershipId: membership.id, permissions: permissionsOf(membership.roles) };
}

const memberOf = (access: TenantAccess): Member => ({ tenantId: access.tenant.id, membershipId: access.membership.id, permissions: access.permissions });

/** A request's access check to one tenant, shared by its loaders. */
interface PendingAccess {
  access: Promise<TenantAccess | null>;
}

/**
 * The tenant, the member and their unread count in one read-only tenant transaction scoped by
 * the slug. Once the check has answered, the page's own reads (`access.read`, `readAsMember`)
 * follow in the same transaction while the loaders read together, in their own afterwards.
 */
function loadAccess(signedIn: SignedIn, slug: string): PendingAccess {
  const userId = signedIn.user.id;
  const access = new Promise<TenantAccess | null>((resolve, reject) => {
    let answered = false;
    const answer = (access: TenantAccess | null) => {
      answered = true;
      resolve(access);
    };
    withTenantOn(
      db(),
      { tenantSlug: slug, userId },
      async (tx) => {
        const key: AccessKey = { slug, userId };
        const shared = sharedReads(tx);
        const [[tenant], [row], [unread]] = await shared.run((tx) => Promise.all([tenantSelect(tx, key), memberSelect(tx, key), unreadOfMember(tx, key)]))!;
        const member = memberFound(tenant, row?.membership);
        if (!member) return answer(null);
        answer({
          signedIn,
          tenant,
          membership: { ...row.membership, unit: row.unit },
          permissions: member.permissions,
          unread: unread.n,
          read: (fn) => shared.run(fn) ?? withTenant(tenant.id, fn, { userId, readOnly: true }),
        });
        await shared.idle;
      },
      { readOnly: true },
    ).catch((error: unknown) => {
      if (!answered) reject(error);
    });
  });
  return { access };
}

function pendingAccess(context: AppLoadContext, signedIn: SignedIn, slug: string): PendingAccess {
  const key = `tenant:${slug}`;
  if (!context.memo.has(key)) context.memo.set(key, loadAccess(signedIn, slug));
  return context.memo.get(key) as PendingAccess;
}

function permitted(access: TenantAccess | null, permission?: Permission): TenantAccess {
  if (!access) notFound();
  if (permission && !access.permissions.has(permission)) forbidden();
  return access;
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
  return permitted(await pendingAccess(context, signedIn, slug).access, permission);
}

/**
 * `requireTenantMember`, and once it has answered, the page's reads as the member it found (in
 * the check's own read-only transaction while the request's loaders read together).
 */
export async function readAsMember<T>(
  context: AppLoadContext,
  request: Request,
  slug: string | undefined,
  permission: Permission,
  fn: (tx: Tx, member: Member) => Promise<T>,
): Promise<{ access: TenantAccess; data: T }> {
  const access = await requireTenantMember(context, request, slug, permission);
  const member = memberOf(access);
  return { access, data: await access.read((tx) => fn(tx, member)) };
}

/**
 * `requireTenantMember` (404/403 before any write transaction begins), and then a change (a
 * form's action) in one transaction that first checks the membership again and holds its row
 * (`FOR SHARE`) until the change commits: the change runs only as an active member who has
 * `permission` now, and no concurrent change of the member's roles can slip in between.
 */
export async function changeAsMember<T>(
  context: AppLoadContext,
  request: Request,
  slug: string | undefined,
  permission: Permission,
  fn: (tx: Tx, member: Member) => Promise<T>,
): Promise<T> {
  const access = await requireTenantMember(context, request, slug, permission);
  const userId = access.signedIn.user.id;
  const tenantId = access.tenant.id;
  const refusal = await withTenant(
    tenantId,
    async (tx): Promise<{ value: T } | { status: 403 | 404 }> => {
      const [tenant] = await tx.select({ id: tenants.id, status: tenants.status }).from(tenants).where(eq(tenants.id, tenantId));
      const [row] = await tx
        .select({ id: memberships.id, roles: memberships.roles })
        .from(memberships)
        .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId), eq(memberships.active, true)))
        .for('share');
      const member = memberFound(tenant, row);
      if (!member) return { status: 404 };
      if (!member.permissions.has(permission)) return { status: 403 };
      return { value: await fn(tx, member) };
    },
    { userId },
  );
  if ('value' in refusal) return refusal.value;
  return refusal.status === 404 ? notFound() : forbidden();
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
        return national ? loadAccess(signedIn, national.slug).access : null;
      })(),
    );
  }
  return permitted((await context.memo.get(key)) as TenantAccess | null, permission);
}

/** The engine's view of who is acting: the signed-in member (an access check's, or `changeAsMember`'s) and the request. */
export function actorOf(member: Member, context: AppLoadContext): Actor {
  return {
    tenantId: member.tenantId,
    userId: context.auth.signedIn!.user.id,
    membershipId: member.membershipId,
    ip: context.ip,
    userAgent: context.userAgent,
    locale: context.locale,
  };
}
