// Documents made through the engine, the way staff make them, for tests that need registered
// documents to read (the registry log, the PDF) rather than the engine's own behaviour.
import { and, eq } from 'drizzle-orm';
import { actOnStep } from '#app/workflow/engine/act-on-step.server';
import { createDocument } from '#app/workflow/engine/create-document.server';
import { actionableSteps } from '#app/workflow/engine/find-steps.server';
import { submitDocument } from '#app/workflow/engine/submit-document.server';
import type { DocumentRow, Outcome, RawValues } from '#app/workflow/engine/transition.server';
import type { Actor } from '#app/workflow/engine/actor';
import type { Database } from '#db/client';
import { substitutes } from '#db/schema';
import { inTenant } from './actors';

export async function submitted(db: Database, author: Actor, templateKey: string, values: RawValues, sourceDocumentId?: string): Promise<DocumentRow> {
  const draft = await inTenant(db, author, (tx) => createDocument(tx, author, { templateKey, sourceDocumentId }));
  const result = await inTenant(db, author, (tx) => submitDocument(tx, author, draft.id, draft.version, values));
  if (!result.ok) throw new Error(`submit refused: ${JSON.stringify({ ...result.fieldErrors, form: result.formErrors })}`);
  return result.document;
}

/** The actor acts on the step waiting for them (or for the colleague they stand in for). */
export async function acted(db: Database, actor: Actor, doc: DocumentRow, outcome: Outcome, extra: { comment?: string; raw?: RawValues } = {}): Promise<DocumentRow> {
  const [step] = await inTenant(db, actor, (tx) => actionableSteps(tx, actor.tenantId, actor.membershipId, doc.id));
  if (!step) throw new Error(`no step waits for ${actor.membershipId} on ${doc.id}`);
  const result = await inTenant(db, actor, (tx) => actOnStep(tx, actor, { documentId: doc.id, stepRowId: step.id, expectedVersion: doc.version, outcome, ...extra }));
  if (!result.ok) throw new Error(`act refused: ${JSON.stringify(result.fieldErrors)}`);
  return result.document;
}

/** Runs `fn` while `substitute` stands in for `absent`, then ends the arrangement. */
export async function whileAbsent<T>(db: Database, absent: Actor, substitute: Actor, fn: () => Promise<T>): Promise<T> {
  const [row] = await inTenant(db, absent, (tx) =>
    tx
      .insert(substitutes)
      .values({ tenantId: absent.tenantId, absentMembershipId: absent.membershipId, substituteMembershipId: substitute.membershipId, startsOn: '2000-01-01', endsOn: '2999-12-31' })
      .returning(),
  );
  try {
    return await fn();
  } finally {
    await inTenant(db, absent, (tx) => tx.delete(substitutes).where(and(eq(substitutes.tenantId, absent.tenantId), eq(substitutes.id, row.id))));
  }
}

/** A Labour Law art. 53 overtime request for one evening, as the author types it. */
export function overtimeRequest(date: string, start: string, end: string, description = 'Припрема документације за конкурс'): RawValues {
  return { date, plannedStart: start, plannedEnd: end, ground: 'workloadIncrease', description };
}

