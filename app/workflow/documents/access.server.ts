// Who may read a registered document outside the registry office: the people it went through.
import { and, eq, or, sql } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { documents, documentSteps } from '#db/schema';

/** The member wrote the document, or had a step on its line (as assignee, as the one who acted, or as the absent one acted for). */
export async function tookPart(tx: Tx, tenantId: string, documentId: string, membershipId: string): Promise<boolean> {
  const [row] = await tx
    .select({ one: sql<number>`1` })
    .from(documents)
    .where(
      and(
        eq(documents.tenantId, tenantId),
        eq(documents.id, documentId),
        or(
          eq(documents.authorId, membershipId),
          sql`exists (select 1 from ${documentSteps} s where s.tenant_id = ${tenantId} and s.document_id = ${documents.id}
            and ${membershipId} in (s.assignee_id, s.acted_by_id, s.on_behalf_of_id))`,
        ),
      ),
    );
  return !!row;
}
