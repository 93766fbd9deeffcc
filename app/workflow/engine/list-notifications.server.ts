// The member's notifications as the notifications page and every page's badge read them: the
// list, the unread count, all marked read. notify.server.ts writes them.
import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Queryable, Tx } from '#db/client';
import { documents, notifications } from '#db/schema';
import type { Locale } from '../../i18n/resources';
import { titlesOf } from './definitions.server';

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
