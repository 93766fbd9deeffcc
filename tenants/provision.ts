// Creates a tenant with its units, staff and audit trail in one transaction (the public holidays
// are computed, not seeded).
// Used by the demo and by the national office's approval of a signup.
import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { appendAudit } from '#db/audit';
import type { Database, Tx } from '#db/client';
import { memberships, orgUnits, tenants, users } from '#db/schema';
import { withTenantOn } from '#db/tenant';

export interface UnitSpec {
  code: string;
  name: string;
  nameEn: string;
  parentCode?: string;
}

export interface StaffSpec {
  email: string;
  fullName: string;
  position: string;
  unitCode?: string;
  roles: string[];
  /** argon2id hash; absent for staff who will set a password from an invitation. */
  passwordHash?: string;
}

export interface TenantSpec {
  slug: string;
  kind: (typeof tenants.$inferInsert)['kind'];
  nameCyrl: string;
  nameLatn: string;
  nameEn: string;
  maticniBroj?: string | null;
  pib?: string | null;
  units: UnitSpec[];
  staff: StaffSpec[];
}

export interface Provisioned {
  tenantId: string;
  /** Membership id by lower-cased email. */
  membershipIds: Map<string, string>;
  /** Emails whose identity existed before (they keep their password). */
  existingEmails: Set<string>;
}

export async function provisionTenant(db: Database, spec: TenantSpec, actorUserId: string | null = null): Promise<{ tenantId: string }> {
  const tenantId = randomUUID();
  await withTenantOn(db, { tenantId, userId: actorUserId }, (tx) => provisionTenantIn(tx, tenantId, spec, actorUserId));
  return { tenantId };
}

/**
 * The same inside the caller's transaction, which must be scoped to `tenantId` (the approval of
 * a signup provisions in the transaction that moves the signup to approved).
 */
export async function provisionTenantIn(tx: Tx, tenantId: string, spec: TenantSpec, actorUserId: string | null): Promise<Provisioned> {
  await tx.insert(tenants).values({
    id: tenantId,
    slug: spec.slug,
    kind: spec.kind,
    nameCyrl: spec.nameCyrl,
    nameLatn: spec.nameLatn,
    nameEn: spec.nameEn,
    maticniBroj: spec.maticniBroj ?? null,
    pib: spec.pib ?? null,
  });

  const unitIds = new Map<string, string>();
  // Parents first: a unit's parent must exist before it (the key includes the tenant).
  for (const unit of parentsFirst(spec.units)) {
    const id = randomUUID();
    unitIds.set(unit.code, id);
    await tx.insert(orgUnits).values({
      tenantId,
      id,
      code: unit.code,
      name: unit.name,
      nameEn: unit.nameEn,
      parentId: unit.parentCode ? unitIds.get(unit.parentCode) : null,
    });
  }

  const emails = spec.staff.map((s) => s.email.toLowerCase());
  const created = new Set<string>();
  for (let i = 0; i < spec.staff.length; i += 1000) {
    const inserted = await tx
      .insert(users)
      .values(spec.staff.slice(i, i + 1000).map((s) => ({ email: s.email.toLowerCase(), passwordHash: s.passwordHash ?? null })))
      .onConflictDoNothing({ target: users.email })
      .returning({ email: users.email });
    for (const u of inserted) created.add(u.email);
  }
  const ids = emails.length
    ? new Map((await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, emails))).map((u) => [u.email, u.id]))
    : new Map<string, string>();
  const membershipIds = new Map<string, string>();
  const byUser = new Map([...ids].map(([email, id]) => [id, email]));
  for (let i = 0; i < spec.staff.length; i += 1000) {
    const rows = await tx
      .insert(memberships)
      .values(
        spec.staff.slice(i, i + 1000).map((s) => ({
          tenantId,
          userId: ids.get(s.email.toLowerCase())!,
          fullName: s.fullName,
          position: s.position,
          orgUnitId: s.unitCode ? unitIds.get(s.unitCode) : null,
          roles: s.roles,
        })),
      )
      .returning({ id: memberships.id, userId: memberships.userId });
    for (const m of rows) membershipIds.set(byUser.get(m.userId)!, m.id);
  }
  await appendAudit(tx, tenantId, {
    type: 'tenant.provisioned',
    subjectType: 'tenant',
    subjectId: tenantId,
    actorUserId,
    data: { slug: spec.slug, units: spec.units.length, staff: spec.staff.length },
  });
  return { tenantId, membershipIds, existingEmails: new Set(emails.filter((e) => !created.has(e))) };
}

/** The units ordered so that each comes after its parent (the list has no cycles). */
export function parentsFirst<U extends { code: string; parentCode?: string }>(units: U[]): U[] {
  const placed = new Set<string>();
  const out: U[] = [];
  let rest = units;
  while (rest.length) {
    const ready = rest.filter((u) => !u.parentCode || placed.has(u.parentCode));
    if (!ready.length) throw new RangeError('units with unknown or circular parents');
    for (const u of ready) placed.add(u.code);
    out.push(...ready);
    rest = rest.filter((u) => !ready.includes(u));
  }
  return out;
}

export async function tenantExists(db: Database, slug: string): Promise<boolean> {
  const [row] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug));
  return !!row;
}
