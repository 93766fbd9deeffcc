// The staff's lists: what waits for me (my inbox) and what I drafted (my documents).
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Queryable, Tx } from '#db/client';
import { reusableSelect } from '#db/reusable';
import { documents, documentSteps, memberships, notifications, substitutes } from '#db/schema';
import type { Locale } from '../../i18n/resources';
import { inScript } from '../../i18n/transliterate';
import { scriptOf } from '../../i18n/resources';
import { definitionsOf } from './definitions.server';

/** The titles of template versions, by version id, from the cached definitions. */
async function titlesOf(tx: Tx, versionIds: string[]): Promise<Map<string, Record<Locale, string>>> {
  const defs = await definitionsOf(tx, versionIds);
  return new Map([...defs].map(([id, def]) => [id, def.title]));
}

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

export async function myDocuments(tx: Tx, tenantId: string, membershipId: string, locale: Locale) {
  const rows = await tx
    .select({
      id: documents.id,
      state: documents.state,
      versionId: documents.versionId,
      registryNumber: documents.registryNumber,
      updatedAt: documents.updatedAt,
    })
    .from(documents)
    .where(and(eq(documents.tenantId, tenantId), eq(documents.authorId, membershipId)))
    .orderBy(desc(documents.updatedAt))
    .limit(200);
  const titles = await titlesOf(tx, rows.map((r) => r.versionId));
  return rows.map((r) => ({ ...r, title: titles.get(r.versionId)?.[locale] ?? '' }));
}

/** The member's notifications, newest first, with the document each one is about. */
export async function myNotifications(tx: Tx, tenantId: string, membershipId: string, locale: Locale) {
  const rows = await tx
    .select({
      id: notifications.id,
      kind: notifications.kind,
      data: notifications.data,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
      documentId: notifications.documentId,
      versionId: documents.versionId,
      registryNumber: documents.registryNumber,
    })
    .from(notifications)
    .leftJoin(documents, and(eq(documents.tenantId, notifications.tenantId), eq(documents.id, notifications.documentId)))
    .where(and(eq(notifications.tenantId, tenantId), eq(notifications.recipientId, membershipId)))
    .orderBy(desc(notifications.createdAt))
    .limit(100);
  // A document's template, or for an upgrade notice the version it names.
  const versionOf = (r: (typeof rows)[number]) => r.versionId ?? (typeof (r.data as { versionId?: unknown }).versionId === 'string' ? (r.data as { versionId: string }).versionId : null);
  const titles = await titlesOf(tx, rows.flatMap((r) => versionOf(r) ?? []));
  return rows.map((r) => {
    const versionId = versionOf(r);
    return { ...r, title: versionId ? (titles.get(versionId)?.[locale] ?? '') : '' };
  });
}

/** Unread notifications beyond this many are shown as "99+": the count stops there. */
export const UNREAD_SHOWN = 99;

/**
 * How many notifications wait unread, counted up to UNREAD_SHOWN + 1 (on every page, so it
 * stays cheap); tenant and member as values or as SQL (e.g. subqueries by slug and user).
 */
export function unreadSelect(db: Queryable, tenantId: string | SQL, membershipId: string | SQL) {
  const unread = db
    .select({ one: sql`1` })
    .from(notifications)
    .where(and(eq(notifications.tenantId, tenantId), eq(notifications.recipientId, membershipId), isNull(notifications.readAt)))
    .limit(UNREAD_SHOWN + 1)
    .as('unread');
  return db.select({ n: sql<number>`count(*)::int` }).from(unread);
}


export async function markAllRead(tx: Tx, tenantId: string, membershipId: string): Promise<void> {
  await tx
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.tenantId, tenantId), eq(notifications.recipientId, membershipId), isNull(notifications.readAt)));
}
