// A new draft of an adopted template: a plain one, a follow-up of another document, or a
// corrective slip.
import { and, eq } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { documents, memberships } from '#db/schema';
import { AppError } from '../../errors';
import type { Actor } from './actor';
import { adoptionOf } from './adoption.server';
import { withAggregates } from './aggregates.server';
import { definitionOf, templateIdOf } from './definitions.server';
import { correctable } from './payments.server';
import { audit, type DocumentRow } from './transition.server';

/**
 * A new draft of an adopted template, pinned to the adopted version. Follow-ups carry values
 * over from their source document and link back to it.
 */
export async function createDocument(
  tx: Tx,
  actor: Actor,
  input: { templateKey: string; sourceDocumentId?: string | null; correctsDocumentId?: string | null },
): Promise<DocumentRow> {
  const templateId = await templateIdOf(tx, input.templateKey);
  const adoption = templateId ? await adoptionOf(tx, actor.tenantId, templateId) : undefined;
  if (!templateId || !adoption) throw new AppError('notFound', 'template not adopted');
  const def = await definitionOf(tx, adoption.versionId);
  const [author] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.tenantId, actor.tenantId), eq(memberships.id, actor.membershipId)));
  const values: Record<string, unknown> = {};
  for (const field of def.fields) {
    if (field.type === 'staff' && field.default === 'author') values[field.name] = author.id;
    if (field.type === 'orgUnit' && field.default === 'authorUnit' && author.orgUnitId) values[field.name] = author.orgUnitId;
  }
  let sourceDocumentId: string | null = null;
  if (input.sourceDocumentId) {
    const [source] = await tx
      .select()
      .from(documents)
      .where(and(eq(documents.tenantId, actor.tenantId), eq(documents.id, input.sourceDocumentId)));
    const sourceDef = source ? await definitionOf(tx, source.versionId) : undefined;
    const followUp = sourceDef?.followUps.find((f) => f.template === input.templateKey);
    const reached = source && followUp && (followUp.when === 'approved' ? ['approved', 'registered'] : ['registered']).includes(source.state);
    if (!source || !followUp || !reached) throw new AppError('invalid', 'not a follow-up of that document', { code: 'notFollowUp' });
    const from = { ...(source.computed as Record<string, unknown>), ...(source.values as Record<string, unknown>) };
    for (const [target, sourceName] of Object.entries(followUp.carry)) if (from[sourceName] !== undefined) values[target] = from[sourceName];
    if (followUp.link) values[followUp.link] = source.id;
    sourceDocumentId = source.id;
  }
  // A corrective slip: the registered slip's period and person, and only the difference to pay.
  let corrects: DocumentRow | undefined;
  if (input.correctsDocumentId) {
    corrects = await correctable(tx, actor.tenantId, input.correctsDocumentId);
    if (!corrects || corrects.templateId !== templateId || !def.aggregate) throw new AppError('invalid', 'not a correctable document', { code: 'notCorrectable' });
    const original = corrects.values as Record<string, unknown>;
    for (const name of [def.aggregate.periodField, ...Object.keys(def.aggregate.match)]) values[name] = original[name];
  }
  const [doc] = await tx
    .insert(documents)
    .values({
      tenantId: actor.tenantId,
      templateId,
      versionId: adoption.versionId,
      authorId: author.id,
      authorUnitId: author.orgUnitId,
      values: await withAggregates(tx, actor.tenantId, def, values, corrects ? { templateId, periodKey: corrects.periodKey! } : undefined),
      sourceDocumentId,
      correctsId: corrects?.id ?? null,
      periodKey: corrects?.periodKey ?? null,
    })
    .returning();
  await audit(tx, actor, 'document.created', doc.id, { template: def.key, version: def.version, sourceDocumentId });
  return doc;
}
