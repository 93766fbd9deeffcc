// The tenant admin's staff management: invite, edit, deactivate, import. Every change is
// audited in the tenant's chain in the same transaction.
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { appendAudit } from '#db/audit';
import type { Tx } from '#db/client';
import { memberships, orgUnits, users } from '#db/schema';
import type { StaffRow, TenantRole } from '#app/onboarding/schemas';
import { auditActor, type Actor } from './actor';
import { createInvitations, invitationStates } from './invitations';

export function staffList(tx: Tx, tenantId: string) {
  return tx
    .select({
      id: memberships.id,
      userId: memberships.userId,
      email: users.email,
      fullName: memberships.fullName,
      position: memberships.position,
      roles: memberships.roles,
      active: memberships.active,
      unitId: memberships.orgUnitId,
      unitName: orgUnits.name,
      unitNameEn: orgUnits.nameEn,
      hasPassword: sql<boolean>`${users.passwordHash} is not null`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(orgUnits, and(eq(orgUnits.tenantId, memberships.tenantId), eq(orgUnits.id, memberships.orgUnitId)))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(asc(memberships.fullName));
}

export type StaffMember = Awaited<ReturnType<typeof staffList>>[number];

export async function staffWithInvitations(tx: Tx, tenantId: string) {
  const staff = await staffList(tx, tenantId);
  const invites = await invitationStates(tx, tenantId, staff.map((s) => s.id));
  return staff.map((s) => {
    const invitation = invites.get(s.id);
    const state = !invitation || invitation.acceptedAt ? 'none' : invitation.expiresAt < new Date() ? 'expired' : 'pending';
    return { ...s, invitationId: invitation?.id ?? null, invitation: state as 'none' | 'pending' | 'expired' };
  });
}

async function unitIdByCode(tx: Tx, tenantId: string): Promise<Map<string, string>> {
  const units = await tx.select({ id: orgUnits.id, code: orgUnits.code }).from(orgUnits).where(eq(orgUnits.tenantId, tenantId));
  return new Map(units.map((u) => [u.code.toUpperCase(), u.id]));
}

export async function unitExists(tx: Tx, tenantId: string, unitId: string): Promise<boolean> {
  const [unit] = await tx.select({ id: orgUnits.id }).from(orgUnits).where(and(eq(orgUnits.tenantId, tenantId), eq(orgUnits.id, unitId)));
  return !!unit;
}

export interface InviteInput {
  email: string;
  fullName: string;
  position: string;
  unitId?: string;
  roles: TenantRole[];
}

export type InviteResult =
  | { ok: true; membershipId: string; invitationId: string }
  | { ok: false; field: 'email' | 'unitId'; message: string };

/**
 * Adds people to the tenant with their invitations (an account is made where the address has
 * none; one that exists joins when its owner accepts). Nothing returned says which: the tenant
 * must not learn whether an address has an account with another tenant.
 */
export async function inviteStaff(tx: Tx, tenantId: string, actor: Actor, people: InviteInput[]): Promise<Array<{ email: string; membershipId: string; invitationId: string }>> {
  if (!people.length) return [];
  const emails = people.map((p) => p.email.toLowerCase());
  await tx
    .insert(users)
    .values(emails.map((email) => ({ email })))
    .onConflictDoNothing({ target: users.email });
  const ids = new Map((await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, emails))).map((u) => [u.email, u.id]));
  const rows = await tx
    .insert(memberships)
    .values(
      people.map((p) => ({
        tenantId,
        userId: ids.get(p.email.toLowerCase())!,
        fullName: p.fullName,
        position: p.position,
        orgUnitId: p.unitId ?? null,
        roles: p.roles,
      })),
    )
    .returning({ id: memberships.id, userId: memberships.userId });
  const emailOf = new Map([...ids].map(([email, id]) => [id, email]));
  const invitationIds = await createInvitations(tx, tenantId, rows.map((r) => r.id), actor.userId);
  const result = rows.map((r, i) => {
    const email = emailOf.get(r.userId)!;
    return { email, membershipId: r.id, invitationId: invitationIds[i] };
  });
  await appendAudit(tx, tenantId, {
    type: 'staff.invited',
    subjectType: 'tenant',
    subjectId: tenantId,
    ...auditActor(actor),
    data: { members: result.map((r) => ({ membershipId: r.membershipId, email: r.email })) },
  });
  return result;
}

/** One person from the admin's form: refused when already on the staff or the unit is unknown. */
export async function inviteOne(tx: Tx, tenantId: string, actor: Actor, input: InviteInput): Promise<InviteResult> {
  const [member] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(users.email, input.email.toLowerCase())));
  if (member) return { ok: false, field: 'email', message: 'onboarding.errors.alreadyMember' };
  if (input.unitId && !(await unitExists(tx, tenantId, input.unitId))) return { ok: false, field: 'unitId', message: 'onboarding.errors.unitUnknown' };
  const [done] = await inviteStaff(tx, tenantId, actor, [input]);
  return { ok: true, ...done };
}

/** Rows of a checked CSV; the caller has refused emails already on the staff. */
export async function importStaff(tx: Tx, tenantId: string, actor: Actor, rows: StaffRow[]) {
  const units = await unitIdByCode(tx, tenantId);
  return inviteStaff(
    tx,
    tenantId,
    actor,
    rows.map((r) => ({ email: r.email, fullName: r.fullName, position: r.position, unitId: r.unitCode ? units.get(r.unitCode) : undefined, roles: r.roles })),
  );
}

export async function memberEmails(tx: Tx, tenantId: string): Promise<string[]> {
  const rows = await tx.select({ email: users.email }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(eq(memberships.tenantId, tenantId));
  return rows.map((r) => r.email);
}

async function otherActiveAdmins(tx: Tx, tenantId: string, membershipId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(
      and(eq(memberships.tenantId, tenantId), ne(memberships.id, membershipId), eq(memberships.active, true), sql`'tenant_admin' = any(${memberships.roles})`),
    );
  return row.n;
}

export type MemberChange = { fullName: string; position: string; unitId?: string; roles: TenantRole[] };

/** The member's row, locked until the transaction ends: the last-administrator check and the change it allows are one. */
async function lockMember(tx: Tx, tenantId: string, membershipId: string) {
  const [row] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.id, membershipId)))
    .for('update');
  return row;
}

/** Edits a member; the last active administrator keeps the role (the tenant would be locked). */
export async function updateMember(
  tx: Tx,
  tenantId: string,
  actor: Actor,
  membershipId: string,
  change: MemberChange,
): Promise<{ ok: true } | { ok: false; field: 'roles' | 'unitId'; message: string } | null> {
  const current = await lockMember(tx, tenantId, membershipId);
  if (!current) return null;
  if (change.unitId && !(await unitExists(tx, tenantId, change.unitId))) return { ok: false, field: 'unitId', message: 'onboarding.errors.unitUnknown' };
  if (current.roles.includes('tenant_admin') && !change.roles.includes('tenant_admin') && (await otherActiveAdmins(tx, tenantId, membershipId)) === 0)
    return { ok: false, field: 'roles', message: 'onboarding.errors.lastAdmin' };
  // Roles this screen does not offer (the national office's) are kept as they are.
  const kept = current.roles.filter((r) => r.startsWith('national_'));
  await tx
    .update(memberships)
    .set({ fullName: change.fullName, position: change.position, orgUnitId: change.unitId ?? null, roles: [...change.roles, ...kept] })
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.id, membershipId)));
  await appendAudit(tx, tenantId, {
    type: 'staff.updated',
    subjectType: 'membership',
    subjectId: membershipId,
    ...auditActor(actor),
    data: {
      before: { fullName: current.fullName, position: current.position, unitId: current.orgUnitId, roles: current.roles },
      after: { fullName: change.fullName, position: change.position, unitId: change.unitId ?? null, roles: [...change.roles, ...kept] },
    },
  });
  return { ok: true };
}

/** Deactivates (they can no longer reach the tenant) or reactivates a member. */
export async function setMemberActive(tx: Tx, tenantId: string, actor: Actor, membershipId: string, active: boolean): Promise<'ok' | 'lastAdmin' | 'self' | null> {
  const current = await lockMember(tx, tenantId, membershipId);
  if (!current) return null;
  if (!active && current.userId === actor.userId) return 'self';
  if (!active && current.roles.includes('tenant_admin') && (await otherActiveAdmins(tx, tenantId, membershipId)) === 0) return 'lastAdmin';
  await tx.update(memberships).set({ active }).where(and(eq(memberships.tenantId, tenantId), eq(memberships.id, membershipId)));
  await appendAudit(tx, tenantId, {
    type: active ? 'staff.reactivated' : 'staff.deactivated',
    subjectType: 'membership',
    subjectId: membershipId,
    ...auditActor(actor),
    data: {},
  });
  return 'ok';
}

/** A new invitation for a member who has not accepted, sent by email (the old links stop working). */
export async function reinvite(tx: Tx, tenantId: string, actor: Actor, membershipId: string): Promise<void> {
  await createInvitations(tx, tenantId, [membershipId], actor.userId);
  await appendAudit(tx, tenantId, { type: 'staff.reinvited', subjectType: 'membership', subjectId: membershipId, ...auditActor(actor), data: {} });
}
