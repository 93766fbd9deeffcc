// The author's withdrawal of a document before anyone has decided on it.
import { and, eq } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { documentSteps } from '#db/schema';
import { AppError } from '../../errors';
import type { Actor } from './actor';
import { audit, bump, closeOpenSteps, lockDocument, type DocumentRow, type Visibility } from './transition.server';

/** The author takes a document back before anyone has decided on it. */
export async function withdrawDocument(tx: Tx, actor: Actor, documentId: string, expectedVersion: number, visible?: Visibility): Promise<DocumentRow> {
  const doc = await lockDocument(tx, actor, documentId, expectedVersion, visible);
  if (doc.authorId !== actor.membershipId) throw new AppError('forbidden', 'only the author withdraws');
  if (doc.state !== 'in_approval') throw new AppError('conflict', 'not in approval', { code: 'notWithdrawable', state: doc.state });
  const [decided] = await tx
    .select({ id: documentSteps.id })
    .from(documentSteps)
    .where(and(eq(documentSteps.tenantId, actor.tenantId), eq(documentSteps.documentId, doc.id), eq(documentSteps.round, doc.round), eq(documentSteps.state, 'done')))
    .limit(1);
  if (decided) throw new AppError('conflict', 'already decided on', { code: 'notWithdrawable', state: doc.state });
  await closeOpenSteps(tx, actor.tenantId, doc);
  const row = await bump(tx, doc, { state: 'withdrawn', decidedAt: new Date() });
  await audit(tx, actor, 'document.withdrawn', doc.id, {});
  return row;
}
