// Who may read a document, in one place for the card, its attachments and its PDF: the
// author; everyone on its line (assignee, the one who acted, the absent one acted for, and
// whoever stands in today for someone with a pending step); the employee it is about once it
// is decided (e.g. their pay slip); and the registry office once it has a registry number.
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { reusableSelect } from '#db/reusable';
import { documents, documentSteps, substitutes } from '#db/schema';

export interface Reader {
  tenantId: string;
  membershipId: string;
  registryOffice: boolean;
}

// Built once (db/reusable.ts): the card, its attachments, its PDF and every action ask it.
const readableSelect = reusableSelect((db) => {
  const tenantId = sql.placeholder('tenantId');
  const membershipId = sql.placeholder('membershipId');
  return db
    .select({ one: sql<number>`1` })
    .from(documents)
    .where(
      and(
        eq(documents.tenantId, tenantId),
        eq(documents.id, sql.placeholder('documentId')),
        sql`(
          ${documents.authorId} = ${membershipId}
          or (${sql.placeholder('registryOffice')}::boolean and ${documents.registryNumber} is not null)
          or (${documents.values}->>'employee' = ${membershipId}::text and ${documents.state} in ('approved', 'registered'))
          or exists (select 1 from ${documentSteps} s where s.tenant_id = ${tenantId} and s.document_id = ${documents.id}
            and (${membershipId}::uuid in (s.assignee_id, s.acted_by_id, s.on_behalf_of_id)
              or (s.state = 'pending' and s.assignee_id in (
                select x.absent_membership_id from ${substitutes} x where x.tenant_id = ${tenantId}
                  and x.substitute_membership_id = ${membershipId} and current_date between x.starts_on and x.ends_on)))))`,
      ),
    );
});

export async function canReadDocument(tx: Tx, reader: Reader, documentId: string): Promise<boolean> {
  const [row] = await readableSelect(tx, { tenantId: reader.tenantId, membershipId: reader.membershipId, registryOffice: reader.registryOffice, documentId });
  return !!row;
}
