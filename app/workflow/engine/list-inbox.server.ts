// The member's inbox: what waits for them.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { reusableSelect } from '#db/reusable';
import { documents, documentSteps, memberships, substitutes } from '#db/schema';
import type { Locale } from '../../i18n/resources';
import { inScript } from '../../i18n/transliterate';
import { scriptOf } from '../../i18n/resources';
import { titlesOf } from './definitions.server';

// Built once (db/reusable.ts): every signed-in member's inbox runs it.
const inboxSelect = reusableSelect((db) => {
  const tenantId = sql.placeholder('tenantId');
  const membershipId = sql.placeholder('membershipId');
  return db
    .select({
      stepId: documentSteps.id,
      kind: documentSteps.kind,
      dueAt: documentSteps.dueAt,
      assigneeId: documentSteps.assigneeId,
      documentId: documents.id,
      versionId: documents.versionId,
      registryNumber: documents.registryNumber,
      author: memberships.fullName,
    })
    .from(documentSteps)
    .innerJoin(documents, and(eq(documents.tenantId, documentSteps.tenantId), eq(documents.id, documentSteps.documentId)))
    .innerJoin(memberships, and(eq(memberships.tenantId, documents.tenantId), eq(memberships.id, documents.authorId)))
    .where(
      and(
        eq(documentSteps.tenantId, tenantId),
        eq(documentSteps.state, 'pending'),
        // Their own steps and those of colleagues they stand in for today, as one list of
        // assignees: the (tenant, assignee, state) index answers it, where an OR would scan
        // every pending step of the tenant.
        sql`${documentSteps.assigneeId} = any(array(select ${membershipId}::uuid union all select s.absent_membership_id from ${substitutes} s
            where s.tenant_id = ${tenantId} and s.substitute_membership_id = ${membershipId}
              and current_date between s.starts_on and s.ends_on))`,
      ),
    )
    .orderBy(sql`${documentSteps.dueAt} asc nulls last`, desc(documents.updatedAt))
    .limit(200);
});

/** Steps waiting for the member, their own and those of colleagues they stand in for today. */
export async function inbox(tx: Tx, tenantId: string, membershipId: string, locale: Locale) {
  const rows = await inboxSelect(tx, { tenantId, membershipId });
  const titles = await titlesOf(tx, rows.map((r) => r.versionId));
  const script = scriptOf(locale);
  // The colleagues whose steps they stand in for (rare: asked only when there are any).
  const absentIds = [...new Set(rows.filter((r) => r.assigneeId !== membershipId).map((r) => r.assigneeId))];
  const absent = new Map(
    absentIds.length
      ? (await tx.select({ id: memberships.id, name: memberships.fullName }).from(memberships).where(and(eq(memberships.tenantId, tenantId), inArray(memberships.id, absentIds)))).map((m) => [m.id, inScript(m.name, script)])
      : [],
  );
  // What the inbox shows, and no more: it goes to the page as its loader data too. Written out
  // field by field: a rest pattern (`{ versionId, ...r }`) copies each row through V8's slow path.
  return rows.map((r) => ({
    stepId: r.stepId,
    kind: r.kind,
    dueAt: r.dueAt,
    documentId: r.documentId,
    registryNumber: r.registryNumber,
    title: titles.get(r.versionId)?.[locale] ?? '',
    author: inScript(r.author, script),
    /** Whom they stand in for on this step; null for their own steps. */
    forName: r.assigneeId === membershipId ? null : (absent.get(r.assigneeId) ?? ''),
  }));
}
