// What the document engine's transitions share. Each transition (DESIGN §5) is one transaction
// under the tenant's scope, with optimistic concurrency on the document's version, its audit
// event and the notifications (with their outbox rows) it causes; here are the document's lock,
// its next version, its registry number, its audit event and revisions, and the engine's types.
import { and, eq, sql } from 'drizzle-orm';
import { appendAudit, awaitAtCommit } from '#db/audit';
import type { Tx } from '#db/client';
import { reusableSelect } from '#db/reusable';
import { sendNow } from '#db/tenant';
import { documentRevisions, documents, documentSteps } from '#db/schema';
import { AppError } from '../../errors';
import type { SubmissionValues } from '../template/compute';
import type { TemplateVersion } from '../template/schema';
import type { Actor } from './actor';
import { registerDocument } from './registry.server';

export type DocumentRow = typeof documents.$inferSelect;
export type FieldErrors = Record<string, string[]>;
export type Outcome = 'approved' | 'rejected' | 'returned' | 'opinion' | 'acknowledged' | 'prepared';

/** Raw form values as typed (strings, or lists for multi-valued fields). */
export type RawValues = Record<string, string | string[]>;

export async function audit(tx: Tx, actor: Actor, type: string, documentId: string, data: Record<string, unknown>, onBehalfOf?: string | null) {
  await appendAudit(tx, actor.tenantId, {
    type,
    subjectType: 'document',
    subjectId: documentId,
    actorUserId: actor.userId,
    onBehalfOfUserId: onBehalfOf ?? null,
    ip: actor.ip,
    userAgent: actor.userAgent,
    data: { actorMembershipId: actor.membershipId, ...data },
  });
}

/**
 * The caller's own check that the member may see the document (e.g. the card's), sent in the
 * same transaction just before the engine's first statements, which go out with it: a document
 * it refuses is not found, whatever the engine would have said about it.
 */
export type Visibility = Promise<boolean>;

/** Locks the document and refuses a stale action with the document's current state. */
// Built once (db/reusable.ts), as the reads sent right behind it are (actionableSteps): selects
// sent the same way go out in the order they are made.
const lockSelect = reusableSelect((db) =>
  db
    .select()
    .from(documents)
    .where(and(eq(documents.tenantId, sql.placeholder('tenantId')), eq(documents.id, sql.placeholder('documentId'))))
    .for('update'),
);

export async function lockDocument(tx: Tx, actor: Actor, documentId: string, expectedVersion: number, visible?: Visibility): Promise<DocumentRow> {
  const locked = sendNow(lockSelect(tx, { tenantId: actor.tenantId, documentId }));
  if (visible && !(await visible)) throw new AppError('notFound', 'document not found');
  const [doc] = await locked;
  if (!doc) throw new AppError('notFound', 'document not found');
  if (doc.version !== expectedVersion) throw new AppError('stale', 'document changed', { state: doc.state, version: doc.version });
  return doc;
}

type DocumentChange = Partial<typeof documents.$inferInsert>;

/** The document's next version: `set`, its version counted up, and the update that writes it. */
function nextVersion(tx: Tx, doc: DocumentRow, set: DocumentChange) {
  const values = { ...set, version: doc.version + 1, updatedAt: new Date() };
  return { values, update: tx.update(documents).set(values).where(and(eq(documents.tenantId, doc.tenantId), eq(documents.id, doc.id))) };
}

export async function bump(tx: Tx, doc: DocumentRow, set: DocumentChange): Promise<DocumentRow> {
  const [row] = await nextVersion(tx, doc, set).update.returning();
  return row;
}

/**
 * As `bump`, with the update awaited at COMMIT (`awaitAtCommit`): the row it writes is known
 * here, and what it locks is held one round trip less. For the last change of a transaction.
 */
export async function bumpAtCommit(tx: Tx, doc: DocumentRow, set: DocumentChange): Promise<DocumentRow> {
  const { values, update } = nextVersion(tx, doc, set);
  await awaitAtCommit(tx, sendNow(update));
  return { ...doc, ...values };
}

/**
 * The document's next version with `set` and the next registry number of its classification.
 * The tenant's counter stays locked from here to COMMIT: callers number as late as they can.
 */
export function register(tx: Tx, doc: DocumentRow, def: TemplateVersion, set: DocumentChange = {}): Promise<DocumentRow> {
  const now = new Date();
  return registerDocument(tx, doc, def.numbering.classification ?? def.classification, now, { ...set, version: doc.version + 1, updatedAt: now });
}

export function fieldErrorsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) (errors[String(issue.path[0] ?? '')] ??= []).push(issue.message);
  return errors;
}

/** Keeps every set of values a document was submitted or completed with (the card's revisions). */
export async function addRevision(tx: Tx, actor: Actor, documentId: string, values: SubmissionValues, reason: 'submitted' | 'resubmitted' | 'prepared') {
  const [{ count }] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(documentRevisions)
    .where(and(eq(documentRevisions.tenantId, actor.tenantId), eq(documentRevisions.documentId, documentId)));
  await tx.insert(documentRevisions).values({ tenantId: actor.tenantId, documentId, revision: count + 1, values, authorId: actor.membershipId, reason });
}

export async function closeOpenSteps(tx: Tx, tenantId: string, doc: DocumentRow) {
  await tx
    .update(documentSteps)
    .set({ state: 'skipped' })
    .where(and(eq(documentSteps.tenantId, tenantId), eq(documentSteps.documentId, doc.id), eq(documentSteps.state, 'pending')));
}
