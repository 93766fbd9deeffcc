// Creates a tenant with its units, staff and audit trail in one transaction. Used by the demo
// and by the national office's approval of a signup.
import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { appendAudit } from '#db/audit';
import type { Database } from '#db/client';
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

export async function provisionTenant(db: Database, spec: TenantSpec, actorUserId: string | null = null): Promise<{ tenantId: string }> {
  const tenantId = randomUUID();
  await withTenantOn(db, { tenantId, userId: actorUserId }, async (tx) => {
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
    for (const unit of spec.units) {
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
    if (emails.length) {
      await tx
        .insert(users)
        .values(spec.staff.map((s) => ({ email: s.email.toLowerCase(), passwordHash: s.passwordHash ?? null })))
        .onConflictDoNothing({ target: users.email });
    }
    const ids = emails.length
      ? new Map((await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, emails))).map((u) => [u.email, u.id]))
      : new Map<string, string>();
    if (spec.staff.length) {
      await tx.insert(memberships).values(
        spec.staff.map((s) => ({
          tenantId,
          userId: ids.get(s.email.toLowerCase())!,
          fullName: s.fullName,
          position: s.position,
          orgUnitId: s.unitCode ? unitIds.get(s.unitCode) : null,
          roles: s.roles,
        })),
      );
    }
    await appendAudit(tx, tenantId, {
      type: 'tenant.provisioned',
      subjectType: 'tenant',
      subjectId: tenantId,
      actorUserId,
      data: { slug: spec.slug, units: spec.units.length, staff: spec.staff.length },
    });
  });
  return { tenantId };
}

export async function tenantExists(db: Database, slug: string): Promise<boolean> {
  const [row] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug));
  return !!row;
}
