// The member's documents: what they drafted, newest first.
import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { documents } from '#db/schema';
import type { Locale } from '../../i18n/resources';
import { titlesOf } from './definitions.server';

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
