// Who stands in for whom, and when (proxy approval, 대결): one substitute at a time per absent person.
import { aliasedTable, and, asc, eq, gte, inArray, lte } from 'drizzle-orm';
import { appendAudit } from '#db/audit';
import type { Tx } from '#db/client';
import { memberships, substitutes } from '#db/schema';
import { auditActor, type Actor } from './actor';

export async function substituteList(tx: Tx, tenantId: string) {
  const absent = aliasedTable(memberships, 'absent');
  const stand = aliasedTable(memberships, 'stand');
  return tx
    .select({
      id: substitutes.id,
      startsOn: substitutes.startsOn,
      endsOn: substitutes.endsOn,
      note: substitutes.note,
      absentName: absent.fullName,
      substituteName: stand.fullName,
    })
    .from(substitutes)
    .innerJoin(absent, and(eq(absent.tenantId, substitutes.tenantId), eq(absent.id, substitutes.absentMembershipId)))
    .innerJoin(stand, and(eq(stand.tenantId, substitutes.tenantId), eq(stand.id, substitutes.substituteMembershipId)))
    .where(eq(substitutes.tenantId, tenantId))
    .orderBy(asc(substitutes.startsOn));
}

export interface SubstituteInput {
  absentId: string;
  substituteId: string;
  startsOn: string;
  endsOn: string;
  note?: string;
}

export type SubstituteResult = { ok: true; id: string } | { ok: false; field: 'absentId' | 'substituteId' | 'startsOn'; message: string };

export async function addSubstitute(tx: Tx, tenantId: string, actor: Actor, input: SubstituteInput): Promise<SubstituteResult> {
  // The absent person's row lock serialises two admins adding overlapping periods.
  const people = await tx
    .select({ id: memberships.id, active: memberships.active })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), inArray(memberships.id, [input.absentId, input.substituteId])))
    .for('update');
  const active = new Set(people.filter((p) => p.active).map((p) => p.id));
  if (!active.has(input.absentId)) return { ok: false, field: 'absentId', message: 'onboarding.errors.choose' };
  if (!active.has(input.substituteId)) return { ok: false, field: 'substituteId', message: 'onboarding.errors.choose' };
  const [overlap] = await tx
    .select({ id: substitutes.id })
    .from(substitutes)
    .where(
      and(
        eq(substitutes.tenantId, tenantId),
        eq(substitutes.absentMembershipId, input.absentId),
        lte(substitutes.startsOn, input.endsOn),
        gte(substitutes.endsOn, input.startsOn),
      ),
    );
  if (overlap) return { ok: false, field: 'startsOn', message: 'onboarding.errors.overlap' };
  const [row] = await tx
    .insert(substitutes)
    .values({
      tenantId,
      absentMembershipId: input.absentId,
      substituteMembershipId: input.substituteId,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      note: input.note ?? '',
      createdBy: actor.userId,
    })
    .returning({ id: substitutes.id });
  await appendAudit(tx, tenantId, { type: 'substitute.added', subjectType: 'substitute', subjectId: row.id, ...auditActor(actor), data: { ...input } });
  return { ok: true, id: row.id };
}

export async function removeSubstitute(tx: Tx, tenantId: string, actor: Actor, id: string): Promise<boolean> {
  const rows = await tx.delete(substitutes).where(and(eq(substitutes.tenantId, tenantId), eq(substitutes.id, id))).returning();
  if (!rows.length) return false;
  await appendAudit(tx, tenantId, { type: 'substitute.removed', subjectType: 'substitute', subjectId: id, ...auditActor(actor), data: { startsOn: rows[0].startsOn, endsOn: rows[0].endsOn } });
  return true;
}

/**
 * Ends a running period today (the absent person is back). A period that has not started yet
 * is removed instead, and one that is already over stays as it was.
 */
export async function endSubstitute(tx: Tx, tenantId: string, actor: Actor, id: string, today: string): Promise<'ended' | 'removed' | 'over' | null> {
  const [row] = await tx.select().from(substitutes).where(and(eq(substitutes.tenantId, tenantId), eq(substitutes.id, id))).for('update');
  if (!row) return null;
  if (row.endsOn <= today) return 'over';
  if (row.startsOn > today) return (await removeSubstitute(tx, tenantId, actor, id)) ? 'removed' : null;
  await tx.update(substitutes).set({ endsOn: today }).where(and(eq(substitutes.tenantId, tenantId), eq(substitutes.id, id)));
  await appendAudit(tx, tenantId, { type: 'substitute.ended', subjectType: 'substitute', subjectId: id, ...auditActor(actor), data: { endsOn: today, plannedEnd: row.endsOn } });
  return 'ended';
}
