// Guards throw: a loader reads top to bottom and never sees a request it should not serve.
import { redirect, type AppLoadContext } from '@remix-run/node';
import { and, eq, sql } from 'drizzle-orm';
import { memberships, orgUnits, tenants } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { unreadSelect } from '../workflow/engine/lists.server';
import type { Tx } from '#db/client';
import { reusableSelect } from '#db/reusable';
import { db, sendNow, withTenant } from '../db.server';
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

type SharedReads = ReturnType<typeof sharedReads>;

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

/** Who a page reads as: the tenant, the member and what they may do, as the access check found them. */
export interface Member {
  tenantId: string;
  membershipId: string;
  permissions: Set<Permission>;
}

/**
 * The member each signed-in user was last found to be in each tenant, by this process: a page
 * reads with these ids in the access check's own batch (`readAsMember`), and keeps what it read
 * only if the check finds the same member again. At most KNOWN_MEMBERS are kept, the least
 * recently checked forgotten first.
 */
const knownMembers = new Map<string, Member>();
const KNOWN_MEMBERS = 10_000;
const memberKeyOf = (slug: string, userId: string) => `${slug}\u0000${userId}`;

function rememberMember(key: string, member: Member | null): void {
  knownMembers.delete(key);
  if (!member) return;
  if (knownMembers.size >= KNOWN_MEMBERS) knownMembers.delete(knownMembers.keys().next().value!);
  knownMembers.set(key, member);
}

/** The member an access check's rows name: none unless the tenant is active and the user an active member of it. */
function memberFound(tenant: TenantRow | undefined, membership: { id: string; roles: string[] } | undefined): Member | null {
  if (!tenant || tenant.status !== 'active' || !membership) return null;
  return { tenantId: tenant.id, membershipId: membership.id, permissions: permissionsOf(membership.roles) };
}

const memberOf = (access: TenantAccess): Member => ({ tenantId: access.tenant.id, membershipId: access.membership.id, permissions: access.permissions });

function sameMember(a: Member, b: Member): boolean {
  return a.tenantId === b.tenantId && a.membershipId === b.membershipId && a.permissions.size === b.permissions.size && [...a.permissions].every((p) => b.permissions.has(p));
}

/** A request's access check to one tenant, shared by its loaders. */
interface PendingAccess {
  access: Promise<TenantAccess | null>;
  /** The check's transaction, once its statements are on their way (null if it never began). */
  reads: Promise<SharedReads | null>;
}

/**
 * The tenant, the member and their unread count in one read-only tenant transaction scoped by
 * the slug: the statements go out together, so the check costs a request two round trips; the
 * page's own reads (`access.read`, `readAsMember`) follow in the same transaction.
 */
function loadAccess(signedIn: SignedIn, slug: string): PendingAccess {
  const userId = signedIn.user.id;
  let opened!: (reads: SharedReads | null) => void;
  const reads = new Promise<SharedReads | null>((resolve) => (opened = resolve));
  const access = new Promise<TenantAccess | null>((resolve, reject) => {
    let answered = false;
    const answer = (access: TenantAccess | null) => {
      answered = true;
      rememberMember(memberKeyOf(slug, userId), access && memberOf(access));
      resolve(access);
    };
    withTenantOn(
      db(),
      { tenantSlug: slug, userId },
      async (tx) => {
        const key: AccessKey = { slug, userId };
        const shared = sharedReads(tx);
        const checked = shared.run((tx) => Promise.all([tenantSelect(tx, key), memberSelect(tx, key), unreadOfMember(tx, key)]))!;
        opened(shared);
        const [[tenant], [row], [unread]] = await checked;
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
      opened(null);
      if (!answered) reject(error);
    });
  });
  return { access, reads };
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
 * `requireTenantMember` and then the page's reads, as the member it finds: `fn` reads in the
 * check's transaction. Where this process has met the user in this tenant before, `fn` starts
 * at once, as the member found then, so its statements go out with the check's own (a round trip
 * less); what it read is used only if the check finds the same member with the same
 * permissions, and is read again as the member found otherwise.
 */
export async function readAsMember<T>(
  context: AppLoadContext,
  request: Request,
  slug: string | undefined,
  permission: Permission,
  fn: (tx: Tx, member: Member) => Promise<T>,
): Promise<{ access: TenantAccess; data: T }> {
  const signedIn = requireUser(context, request);
  if (!slug) notFound();
  const pending = pendingAccess(context, signedIn, slug);
  const guess = knownMembers.get(memberKeyOf(slug, signedIn.user.id));
  // Wrapped, so that a page whose reads find nothing (null) is told from a transaction that
  // took no more reads (null from `run`).
  const early = guess ? pending.reads.then((shared) => shared?.run(async (tx) => ({ value: await fn(tx, guess) })) ?? null) : null;
  early?.catch(() => {}); // awaited below, or not needed
  const access = permitted(await pending.access, permission);
  const member = memberOf(access);
  if (early && sameMember(guess!, member)) {
    // Read as the member the check found: a failure is the page's own, as it would be later.
    const read = await early;
    if (read) return { access, data: read.value };
  }
  return { access, data: await access.read((tx) => fn(tx, member)) };
}

/** The change ran as a member the access check no longer finds: its transaction rolls back. */
class MemberChanged extends Error {}

/**
 * `requireTenantMember` and then a change (a form's action), in one transaction. Where this
 * process has met the user in this tenant before, the check's statements open the change's own
 * transaction and `fn` starts at once, as the member found then, its statements going out with
 * the check's: a transaction and a round trip less than a check of its own. The change commits
 * only if the check finds the same member with the same permissions; otherwise it is rolled back
 * and made again after a check of its own, as the member found then (or refused with 404/403).
 */
export async function changeAsMember<T>(
  context: AppLoadContext,
  request: Request,
  slug: string | undefined,
  permission: Permission,
  fn: (tx: Tx, member: Member) => Promise<T>,
): Promise<T> {
  const signedIn = requireUser(context, request);
  if (!slug) notFound();
  const userId = signedIn.user.id;
  const memberKey = memberKeyOf(slug, userId);
  const guess = knownMembers.get(memberKey);
  if (guess?.permissions.has(permission)) {
    // Set when the check finds another member: whatever the rollback then reports (a write
    // awaited at COMMIT that failed, say) was the guess's doing.
    let changed = false;
    try {
      return await withTenant(
        guess.tenantId,
        async (tx) => {
          const key: AccessKey = { slug, userId };
          const checked = sendNow(Promise.all([tenantSelect(tx, key), memberSelect(tx, key)]));
          // Whatever `fn` makes of the guess, the check decides whether it stands.
          const outcome = await fn(tx, guess).then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          );
          const [[tenant], [row]] = await checked;
          const found = memberFound(tenant, row?.membership);
          rememberMember(memberKey, found);
          if (!found || !sameMember(guess, found)) {
            changed = true;
            throw new MemberChanged();
          }
          if ('error' in outcome) throw outcome.error;
          return outcome.value;
        },
        { userId },
      );
    } catch (error) {
      if (!changed) throw error;
    }
  }
  const access = await requireTenantMember(context, request, slug, permission);
  return withTenant(access.tenant.id, (tx) => fn(tx, memberOf(access)), { userId });
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
