// Reads of a document's line: the steps a member may act on now, and the whole line as the card
// and the printed document show it.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { reusableSelect } from '#db/reusable';
import { documentSteps, substitutes } from '#db/schema';

// Built once (db/reusable.ts): the card and every step action read them.
const actionableSelect = (ofDocument: boolean) =>
  reusableSelect((db) => {
    const tenantId = sql.placeholder('tenantId');
    const membershipId = sql.placeholder('membershipId');
    return db
      .select()
      .from(documentSteps)
      .where(
        and(
          eq(documentSteps.tenantId, tenantId),
          eq(documentSteps.state, 'pending'),
          ofDocument ? eq(documentSteps.documentId, sql.placeholder('documentId')) : undefined,
          sql`(${documentSteps.assigneeId} = ${membershipId} or ${documentSteps.assigneeId} in (
            select s.absent_membership_id from ${substitutes} s
            where s.tenant_id = ${tenantId} and s.substitute_membership_id = ${membershipId}
              and current_date between s.starts_on and s.ends_on))`,
        ),
      );
  });
const actionableOfDocument = actionableSelect(true);
const actionableOfMember = actionableSelect(false);

/** The steps the member may act on now (of one document, or all): their own, and those of colleagues they stand in for today. */
export function actionableSteps(tx: Tx, tenantId: string, membershipId: string, documentId?: string) {
  return documentId ? actionableOfDocument(tx, { tenantId, membershipId, documentId }) : actionableOfMember(tx, { tenantId, membershipId });
}

const lineSelect = reusableSelect((db) =>
  db
    .select()
    .from(documentSteps)
    .where(and(eq(documentSteps.tenantId, sql.placeholder('tenantId')), eq(documentSteps.documentId, sql.placeholder('documentId'))))
    .orderBy(asc(documentSteps.round), asc(documentSteps.stage), asc(documentSteps.activatedAt)),
);

/** The line of a document as the card shows it: every round, every participant. */
export function lineOf(tx: Tx, tenantId: string, documentId: string) {
  return lineSelect(tx, { tenantId, documentId });
}
