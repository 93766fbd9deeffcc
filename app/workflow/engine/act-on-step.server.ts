// The document engine (DESIGN §5): every transition is one transaction, under the tenant's
// scope, with optimistic concurrency on the document's version, its audit event and the
// notifications (with their outbox rows) it causes.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { appendAudit, awaitAtCommit } from '#db/audit';
import { anyOf } from '#db/any';
import type { Tx } from '#db/client';
import { reusableSelect } from '#db/reusable';
import { sendNow } from '#db/tenant';
import { adoptions, delegations, documentAttachments, documentRevisions, documents, documentSteps, memberships, orgUnits, substitutes } from '#db/schema';
import { AppError } from '../../errors';
import { isUuid } from '../../ids';
import { addBusinessHours, defaultSchedule } from '../calendar/business-hours';
import { tenantHolidays } from '../calendar/tenant-calendar.server';
import { computeValues, type SubmissionValues } from '../template/compute';
import { formatDecimal, toDecimal } from '../template/expressions';
import { resolveTenantParameters } from '../template/parameters';
import { checkRules, rulesReading } from '../template/rules';
import { submissionSchema } from '../template/form';
import { formatMessage } from '../template/messages';
import type { Step, TemplateVersion } from '../template/schema';
import type { Actor } from './actor';
import { resolveAssignees, type LineContext } from './assignees.server';
import { definitionOf, templateIdOf } from './definitions.server';
import { byValue, inMonth } from './values.server';
import { isDecisive, isGate, outcomesOf, stageComplete, stagesOf } from './line';
import { tenantLookups } from './lookups.server';
import { serialiseRuleChecks } from './serialise.server';
import { checkOnePayment, correctable, paidSoFar, periodKeyOf } from './payments.server';
import { notify, type NotificationKind } from './notify.server';
import { registerDocument } from './registry.server';
import { requestSeal } from '../sealing/request-seal.server';
import { emitDocumentEvent } from '../../api/webhooks/events.server';

export type DocumentRow = typeof documents.$inferSelect;
export type FieldErrors = Record<string, string[]>;
export type Outcome = 'approved' | 'rejected' | 'returned' | 'opinion' | 'acknowledged' | 'prepared';

/** Raw form values as typed (strings, or lists for multi-valued fields). */
export type RawValues = Record<string, string | string[]>;

async function audit(tx: Tx, actor: Actor, type: string, documentId: string, data: Record<string, unknown>, onBehalfOf?: string | null) {
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

async function lockDocument(tx: Tx, actor: Actor, documentId: string, expectedVersion: number, visible?: Visibility): Promise<DocumentRow> {
  const locked = sendNow(lockSelect(tx, { tenantId: actor.tenantId, documentId }));
  if (visible && !(await visible)) throw new AppError('notFound', 'document not found');
  const [doc] = await locked;
  if (!doc) throw new AppError('notFound', 'document not found');
  if (doc.version !== expectedVersion) throw new AppError('stale', 'document changed', { state: doc.state, version: doc.version });
  return doc;
}

// An approval's own statements are built once too (db/reusable.ts): every step action sends
// them. Those sent together go out in the order they are made, as reusable selects do. A value
// set through a placeholder reaches the driver as given, not through its column's mapping:
// times go as ISO strings.
const skipPendingUpdate = reusableSelect((db) =>
  db
    .update(documentSteps)
    .set({ state: 'skipped' })
    .where(
      and(
        eq(documentSteps.tenantId, sql.placeholder('tenantId')),
        eq(documentSteps.documentId, sql.placeholder('documentId')),
        eq(documentSteps.round, sql.placeholder('round')),
        eq(documentSteps.state, 'pending'),
        anyOf(documentSteps.stepKey, sql.placeholder('stepKeys'), 'text'),
      ),
    ),
);

/** The round's pending steps with these keys no longer need anyone to act: skipped. */
function skipPending(tx: Tx, doc: DocumentRow, stepKeys: string[]) {
  return skipPendingUpdate(tx, { tenantId: doc.tenantId, documentId: doc.id, round: doc.round, stepKeys });
}

type DocumentChange = Partial<typeof documents.$inferInsert>;

/** The document's next version: `set`, its version counted up, and the update that writes it. */
function nextVersion(tx: Tx, doc: DocumentRow, set: DocumentChange) {
  const values = { ...set, version: doc.version + 1, updatedAt: new Date() };
  return { values, update: tx.update(documents).set(values).where(and(eq(documents.tenantId, doc.tenantId), eq(documents.id, doc.id))) };
}

async function bump(tx: Tx, doc: DocumentRow, set: DocumentChange): Promise<DocumentRow> {
  const [row] = await nextVersion(tx, doc, set).update.returning();
  return row;
}

const versionUpdate = reusableSelect((db) =>
  db
    .update(documents)
    .set({ version: sql`${sql.placeholder('version')}`, updatedAt: sql`${sql.placeholder('updatedAt')}` })
    .where(and(eq(documents.tenantId, sql.placeholder('tenantId')), eq(documents.id, sql.placeholder('documentId'))))
    .returning(),
);

/** `bump` with nothing else changed: the document's next version. */
async function bumpVersion(tx: Tx, doc: DocumentRow): Promise<DocumentRow> {
  const [row] = await versionUpdate(tx, { tenantId: doc.tenantId, documentId: doc.id, version: doc.version + 1, updatedAt: new Date().toISOString() });
  return row;
}

/**
 * As `bump`, with the update awaited at COMMIT (`awaitAtCommit`): the row it writes is known
 * here, and what it locks is held one round trip less. For the last change of a transaction.
 */
async function bumpAtCommit(tx: Tx, doc: DocumentRow, set: DocumentChange): Promise<DocumentRow> {
  const { values, update } = nextVersion(tx, doc, set);
  await awaitAtCommit(tx, sendNow(update));
  return { ...doc, ...values };
}

/**
 * The document's next version with `set` and the next registry number of its classification.
 * The tenant's counter stays locked from here to COMMIT: callers number as late as they can.
 */
function register(tx: Tx, doc: DocumentRow, def: TemplateVersion, set: DocumentChange = {}): Promise<DocumentRow> {
  const now = new Date();
  return registerDocument(tx, doc, def.numbering.classification ?? def.classification, now, { ...set, version: doc.version + 1, updatedAt: now });
}

async function adoptionOf(tx: Tx, tenantId: string, templateId: string) {
  const [row] = await tx.select().from(adoptions).where(and(eq(adoptions.tenantId, tenantId), eq(adoptions.templateId, templateId)));
  return row;
}

const adoptionOfDocumentSelect = reusableSelect((db) => {
  const tenantId = sql.placeholder('tenantId');
  return db
    .select()
    .from(adoptions)
    .where(and(eq(adoptions.tenantId, tenantId), sql`${adoptions.templateId} = (select template_id from ${documents} where tenant_id = ${tenantId} and id = ${sql.placeholder('documentId')})`));
});

/** The adoption of a document's template, read by the document's id (so it can go out before the document is back). */
async function adoptionOfDocument(tx: Tx, tenantId: string, documentId: string) {
  const [row] = await adoptionOfDocumentSelect(tx, { tenantId, documentId });
  return row;
}

function tenantSettingsOf(def: TemplateVersion, adoption: typeof adoptions.$inferSelect | undefined) {
  return { parameters: resolveTenantParameters(def, (adoption?.parameters ?? {}) as Record<string, number>), positions: (adoption?.positions ?? {}) as Record<string, string[]> };
}

async function tenantParametersFor(tx: Tx, doc: Pick<DocumentRow, 'tenantId' | 'templateId'>, def: TemplateVersion) {
  return tenantSettingsOf(def, await adoptionOf(tx, doc.tenantId, doc.templateId));
}

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

/**
 * A periodic document's sums (e.g. the month's confirmed overtime hours of one employee),
 * recomputed from its source documents whenever its period and match fields are set.
 */
function correctionOf(doc: DocumentRow) {
  return doc.correctsId && doc.periodKey ? { templateId: doc.templateId, periodKey: doc.periodKey } : undefined;
}

async function withAggregates(
  tx: Tx,
  tenantId: string,
  def: TemplateVersion,
  values: Record<string, unknown>,
  /** A corrective document: what the key's registered documents paid is subtracted. */
  correction?: { templateId: string; periodKey: string },
): Promise<Record<string, unknown>> {
  const agg = def.aggregate;
  if (!agg) return values;
  const period = values[agg.periodField];
  if (typeof period !== 'string' || !/^\d{4}-\d{2}$/.test(period)) return values;
  const match = Object.entries(agg.match).map(([mine, theirs]) => [theirs, values[mine]] as const);
  if (match.some(([, v]) => typeof v !== 'string' || !v)) return values;
  const sourceId = await templateIdOf(tx, agg.from);
  if (!sourceId) return values;
  const states = agg.status === 'registered' ? ['registered'] : ['approved', 'registered'];
  const rows = await tx
    .select({ values: documents.values, computed: documents.computed })
    .from(documents)
    .where(
      and(
        eq(documents.tenantId, tenantId),
        eq(documents.templateId, sourceId),
        inArray(documents.state, states as DocumentRow['state'][]),
        inMonth(agg.dateField, period),
        ...match.map(([theirs, v]) => byValue(theirs, v as string)),
      ),
    );
  const paid = correction ? await paidSoFar(tx, tenantId, correction.templateId, correction.periodKey, def) : {};
  const out = { ...values };
  for (const [mine, theirs] of Object.entries(agg.sum)) {
    const total = rows.reduce((sum, r) => {
      const v = (r.values as Record<string, unknown>)[theirs] ?? (r.computed as Record<string, unknown>)[theirs];
      return typeof v === 'string' || typeof v === 'number' ? sum.plus(toDecimal(v)) : sum;
    }, toDecimal(0));
    out[mine] = formatDecimal(total.minus(toDecimal(paid[mine] ?? 0)), { mode: 'halfUp', decimals: 2 });
  }
  return out;
}

function fieldErrorsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) (errors[String(issue.path[0] ?? '')] ??= []).push(issue.message);
  return errors;
}

export interface Upload {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** Uploads per attachment field, and attachment ids the author chose to remove. */
export interface AttachmentChanges {
  uploads?: Record<string, Upload[]>;
  remove?: string[];
}

/**
 * Stores uploaded files under the tenant's RLS and returns each attachment field's ids. Size,
 * type and count limits are the field's own; a refused file refuses the whole save.
 */
async function applyAttachments(tx: Tx, actor: Actor, doc: DocumentRow, def: TemplateVersion, values: Record<string, unknown>, changes: AttachmentChanges) {
  const errors: FieldErrors = {};
  const removed = new Set(changes.remove ?? []);
  for (const field of def.fields) {
    if (field.type !== 'attachment' || !field.editableAt.includes('draft')) continue;
    const kept = (Array.isArray(values[field.name]) ? (values[field.name] as string[]) : []).filter((id) => !removed.has(id));
    const uploads = (changes.uploads?.[field.name] ?? []).filter((u) => u.content.length > 0);
    for (const u of uploads) {
      if (u.content.length > field.maxSizeMb * 1024 * 1024) (errors[field.name] ??= []).push(formatMessage(actor.locale, 'fileTooLarge', { name: u.fileName, max: field.maxSizeMb }));
      else if (!field.accept.includes(u.contentType)) (errors[field.name] ??= []).push(formatMessage(actor.locale, 'fileTypeNotAllowed', { name: u.fileName, types: field.accept.join(', ') }));
    }
    if (kept.length + uploads.length > field.maxFiles) (errors[field.name] ??= []).push(formatMessage(actor.locale, 'tooManyFiles', { max: field.maxFiles }));
    if (errors[field.name]) continue;
    const ids = [...kept];
    for (const u of uploads) {
      const [row] = await tx
        .insert(documentAttachments)
        .values({
          tenantId: actor.tenantId,
          documentId: doc.id,
          field: field.name,
          fileName: u.fileName.slice(0, 200),
          contentType: u.contentType,
          size: u.content.length,
          sha256: createHash('sha256').update(u.content).digest('hex'),
          content: u.content,
          uploadedById: actor.membershipId,
        })
        .returning({ id: documentAttachments.id });
      ids.push(row.id);
    }
    values[field.name] = ids;
  }
  if (Object.keys(errors).length) throw new AppError('invalid', 'attachment refused', { fieldErrors: errors });
  if (removed.size) {
    await tx
      .delete(documentAttachments)
      .where(and(eq(documentAttachments.tenantId, actor.tenantId), eq(documentAttachments.documentId, doc.id), inArray(documentAttachments.id, [...removed])));
  }
}

/** Saves the author's draft exactly as typed: nothing is checked that would lose input. */
export async function saveDraft(
  tx: Tx,
  actor: Actor,
  documentId: string,
  expectedVersion: number,
  raw: RawValues,
  attachments: AttachmentChanges = {},
  visible?: Visibility,
): Promise<DocumentRow> {
  const doc = await lockDocument(tx, actor, documentId, expectedVersion, visible);
  if (doc.authorId !== actor.membershipId) throw new AppError('forbidden', 'only the author edits a draft');
  if (doc.state !== 'draft' && doc.state !== 'returned') throw new AppError('conflict', 'not editable', { code: 'notEditable', state: doc.state });
  const def = await definitionOf(tx, doc.versionId);
  const editable = new Set(def.fields.filter((f) => f.editableAt.includes('draft') && f.type !== 'attachment').map((f) => f.name));
  // A correction pays the month and person of the slip it corrects: those stay as they are.
  if (doc.correctsId && def.aggregate) for (const name of [def.aggregate.periodField, ...Object.keys(def.aggregate.match)]) editable.delete(name);
  const values = { ...(doc.values as Record<string, unknown>) };
  const typed = Object.fromEntries(Object.entries(raw).filter(([name]) => editable.has(name)));
  // A draft may leave required fields empty, but every value it keeps holds the field's bounds
  // (length, range, a real date) as a submission's would (issue 23): refused beside the field.
  const checked = submissionSchema(def, { locale: actor.locale, partial: true }).safeParse({ ...values, ...typed });
  if (!checked.success) {
    const fieldErrors = Object.fromEntries(Object.entries(fieldErrorsOf(checked.error.issues)).filter(([name]) => name in typed));
    if (Object.keys(fieldErrors).length) throw new AppError('invalid', 'draft value out of bounds', { fieldErrors });
  }
  Object.assign(values, typed);
  await applyAttachments(tx, actor, doc, def, values, attachments);
  return bump(tx, doc, { values: await withAggregates(tx, actor.tenantId, def, values, correctionOf(doc)) });
}

export type SubmitResult = { ok: true; document: DocumentRow } | { ok: false; fieldErrors: FieldErrors; formErrors: string[]; document: DocumentRow };

/**
 * Submits (or resubmits after a return): the whole form and the template's rules are
 * checked; on any problem the typed values are kept and the document does not move.
 */
export async function submitDocument(
  tx: Tx,
  actor: Actor,
  documentId: string,
  expectedVersion: number,
  raw: RawValues,
  attachments: AttachmentChanges = {},
  visible?: Visibility,
): Promise<SubmitResult> {
  const saved = await saveDraft(tx, actor, documentId, expectedVersion, raw, attachments, visible);
  const def = await definitionOf(tx, saved.versionId);
  const parsed = submissionSchema(def, { locale: actor.locale }).safeParse(saved.values);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error.issues), formErrors: [], document: saved };
  const referenceErrors = await checkReferences(tx, actor, def, parsed.data as Record<string, unknown>);
  if (Object.keys(referenceErrors).length) return { ok: false, fieldErrors: referenceErrors, formErrors: [], document: saved };
  const { parameters, positions } = await tenantParametersFor(tx, saved, def);
  const values = (await withAggregates(tx, actor.tenantId, def, { ...(saved.values as Record<string, unknown>), ...parsed.data }, correctionOf(saved))) as SubmissionValues;
  // One month, one payment: checked under the key's lock, held until COMMIT.
  const periodKey = periodKeyOf(def, values);
  if (periodKey) {
    const refusal = await checkOnePayment(tx, saved, def, periodKey, values);
    if (refusal) {
      const field = def.aggregate!.periodField;
      return { ok: false, fieldErrors: { [field]: [formatMessage(actor.locale, refusal.code, refusal.params)] }, formErrors: [], document: saved };
    }
  }
  // Held until COMMIT: checks counting the same employee's other documents run one at a time.
  await serialiseRuleChecks(tx, actor.tenantId, def, { values, tenantParameters: parameters });
  const violations = await checkRules(def, { values, tenantParameters: parameters, lookups: tenantLookups(tx, actor.tenantId), documentId });
  if (violations.length) {
    const fieldErrors: FieldErrors = {};
    for (const v of violations) (fieldErrors[v.field] ??= []).push(formatMessage(actor.locale, v.code, v.params));
    return { ok: false, fieldErrors, formErrors: [], document: saved };
  }
  const line: LineContext = { tenantId: actor.tenantId, authorId: saved.authorId, authorUnitId: saved.authorUnitId, values, positions };
  // Every step that can be resolved now must have someone to go to.
  for (const step of def.route) {
    if (step.assignee.type === 'staffField') continue;
    if (!(await resolveAssignees(tx, line, step)).length) {
      return { ok: false, fieldErrors: {}, formErrors: [`noAssignee|${step.label[actor.locale]}`], document: saved };
    }
  }
  const resubmission = saved.state === 'returned';
  const round = saved.round + 1;
  const now = new Date();
  let doc = await bump(tx, saved, {
    state: 'in_approval',
    periodKey,
    values,
    computed: computeValues(def, { values, tenantParameters: parameters }),
    round,
    submittedAt: now,
  });
  await addRevision(tx, actor, doc.id, values, resubmission ? 'resubmitted' : 'submitted');
  // The registry counter's row lock (gapless numbers) is held until COMMIT: the number is taken
  // as late as possible, after the line has opened, unless no decision is left and the line
  // finishes (and registers) at once.
  const numberNow = def.numbering.register && def.numbering.at === 'submit' && !doc.registryNumber;
  const decisionsAhead = stagesOf(def).some(isDecisive);
  if (numberNow && !decisionsAhead) doc = await register(tx, doc, def);
  await audit(tx, actor, resubmission ? 'document.resubmitted' : 'document.submitted', doc.id, { round });
  await emitDocumentEvent(tx, actor.tenantId, 'document.submitted', doc.id);
  doc = await advance(tx, actor, doc, def, line, parameters, 0);
  if (numberNow && decisionsAhead) doc = await register(tx, doc, def);
  return { ok: true, document: doc };
}

/** Staff, units and linked documents named in a form must exist in this tenant (and links be in the right state). */
async function checkReferences(tx: Tx, actor: Actor, def: TemplateVersion, values: Record<string, unknown>): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  for (const field of def.fields) {
    const id = values[field.name];
    if (typeof id !== 'string' || !id) continue;
    // Something that is not a row id names nothing: an answer beside the field, not a database error.
    if ((field.type === 'staff' || field.type === 'orgUnit' || field.type === 'document') && !isUuid(id)) {
      errors[field.name] = [formatMessage(actor.locale, 'invalidReference')];
      continue;
    }
    let found = false;
    if (field.type === 'staff') {
      const rows = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.tenantId, actor.tenantId), eq(memberships.id, id), eq(memberships.active, true)));
      found = rows.length > 0;
    } else if (field.type === 'orgUnit') {
      found = (await tx.select({ id: orgUnits.id }).from(orgUnits).where(and(eq(orgUnits.tenantId, actor.tenantId), eq(orgUnits.id, id)))).length > 0;
    } else if (field.type === 'document') {
      const templateId = await templateIdOf(tx, field.template);
      const rows = templateId
        ? await tx
            .select({ id: documents.id })
            .from(documents)
            .where(
              and(
                eq(documents.tenantId, actor.tenantId),
                eq(documents.id, id),
                eq(documents.templateId, templateId),
                inArray(documents.state, field.status as DocumentRow['state'][]),
              ),
            )
        : [];
      found = rows.length > 0;
    } else continue;
    if (!found) errors[field.name] = [formatMessage(actor.locale, 'invalidReference')];
  }
  return errors;
}

/** Keeps every set of values a document was submitted or completed with (the card's revisions). */
async function addRevision(tx: Tx, actor: Actor, documentId: string, values: SubmissionValues, reason: 'submitted' | 'resubmitted' | 'prepared') {
  const [{ count }] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(documentRevisions)
    .where(and(eq(documentRevisions.tenantId, actor.tenantId), eq(documentRevisions.documentId, documentId)));
  await tx.insert(documentRevisions).values({ tenantId: actor.tenantId, documentId, revision: count + 1, values, authorId: actor.membershipId, reason });
}

async function dueAt(tx: Tx, tenantId: string, step: Step, parameters: Record<string, number>, from: Date): Promise<Date | null> {
  const hours = typeof step.slaHours === 'string' ? parameters[step.slaHours] : step.slaHours;
  if (!hours) return null;
  return addBusinessHours(from, hours, { schedule: defaultSchedule, holidays: await tenantHolidays(tx, tenantId) });
}

/**
 * Moves the line forward from stage `from`: activates the next decisive stage, or — when no
 * decision is left — approves (and registers) the document and opens the remaining
 * acknowledging stages all at once.
 */
async function advance(
  tx: Tx,
  actor: Actor,
  doc: DocumentRow,
  def: TemplateVersion,
  line: LineContext,
  parameters: Record<string, number>,
  from: number,
  skipApprovals = false,
  alsoAwait: Promise<unknown>[] = [],
): Promise<DocumentRow> {
  const stages = stagesOf(def);
  let next = from;
  // Delegated final approval skips the approvals still ahead.
  while (skipApprovals && next < stages.length && stages[next].every((s) => s.kind === 'approve')) next++;
  const decisiveLeft = stages.slice(next).some(isDecisive);
  const toOpen = decisiveLeft ? [next] : stages.slice(next).map((_, i) => next + i);
  const now = new Date();
  // The opened steps and their notifications are not waited for one by one: they go out with
  // what follows (statements run in order on the transaction's connection) and are awaited with it.
  const writes: Promise<unknown>[] = [...alsoAwait];
  for (const index of toOpen) {
    // Who holds each step of the stage and when it falls due, read together.
    const resolved = await Promise.all(stages[index].map((step) => Promise.all([resolveAssignees(tx, line, step), dueAt(tx, actor.tenantId, step, parameters, now)])));
    const missing = stages[index].find((_, k) => !resolved[k][0].length);
    if (missing) throw new AppError('invalid', 'no assignee', { code: 'noAssignee', step: missing.id });
    for (const [k, step] of stages[index].entries()) {
      const [assignees, due] = resolved[k];
      const inserted = sendNow(tx.insert(documentSteps).values(
        assignees.map((assigneeId) => ({
          tenantId: actor.tenantId,
          documentId: doc.id,
          round: doc.round,
          stage: index,
          stepKey: step.id,
          kind: step.kind,
          assigneeId,
          state: 'pending' as const,
          activatedAt: now,
          dueAt: due,
        })),
      ));
      writes.push(inserted, sendNow(notify(tx, actor.tenantId, assignees, 'step.assigned', doc.id, { step: step.id })));
    }
  }
  if (decisiveLeft) {
    await Promise.all(writes);
    return doc;
  }
  // A number is taken last, with the approval, so the tenant's counter is locked for the
  // statements after it alone.
  const numbering = def.numbering.register && def.numbering.at === 'final' && !doc.registryNumber;
  const registered = numbering || doc.registryNumber !== null;
  const decision = registered ? 'document.registered' : 'document.approved';
  for (const write of writes) await awaitAtCommit(tx, write);
  // A registered document is sealed once, by a job this transaction requests (ADR 012).
  if (registered) await awaitAtCommit(tx, sendNow(requestSeal(tx, actor.tenantId, doc.id)));
  const finished = numbering
    ? await register(tx, doc, def, { state: 'registered', decidedAt: now })
    : await bumpAtCommit(tx, doc, { state: registered ? 'registered' : 'approved', decidedAt: now });
  await audit(tx, actor, decision, doc.id, { registryNumber: finished.registryNumber });
  await awaitAtCommit(tx, sendNow(notify(tx, actor.tenantId, [doc.authorId], decision, doc.id)));
  // Sent after the change, so they read the document as approved (and numbered).
  await emitDocumentEvent(tx, actor.tenantId, 'document.approved', doc.id);
  if (registered) await emitDocumentEvent(tx, actor.tenantId, 'document.registered', doc.id);
  for (const followUp of def.followUps.filter((f) => f.mode === 'createDraft' && (f.when === 'approved' || finished.state === 'registered'))) {
    await createDocument(tx, { ...actor, membershipId: doc.authorId }, { templateKey: followUp.template, sourceDocumentId: doc.id });
  }
  return finished;
}

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

export interface ActInput {
  documentId: string;
  stepRowId: string;
  expectedVersion: number;
  outcome: Outcome;
  comment?: string;
  /** A `prepare` step's own fields, as typed. */
  raw?: RawValues;
  visible?: Visibility;
}

export type ActResult = { ok: true; document: DocumentRow } | { ok: false; fieldErrors: FieldErrors; document: DocumentRow };

export async function actOnStep(tx: Tx, actor: Actor, input: ActInput): Promise<ActResult> {
  // The document (locked), the member's steps on it and the template's adoption, read together:
  // they run in this order on the transaction's connection, so the steps are read under the lock
  // (the lock and the steps are reusable selects, sent in the order they are made).
  const [locked, steps, adoption] = await Promise.all([
    lockDocument(tx, actor, input.documentId, input.expectedVersion, input.visible),
    actionableSteps(tx, actor.tenantId, actor.membershipId, input.documentId),
    adoptionOfDocument(tx, actor.tenantId, input.documentId),
  ]);
  let doc = locked;
  // Once decided, a document keeps only the steps the decision opened (acknowledgements and
  // non-blocking opinions, e.g. HR taking note of an approved request): those can still be done.
  const decided = doc.state === 'approved' || doc.state === 'registered';
  if (doc.state !== 'in_approval' && !decided) throw new AppError('conflict', 'not in approval', { code: 'notInApproval', state: doc.state });
  // The definition is cached.
  const def = await definitionOf(tx, doc.versionId);
  const { parameters, positions } = tenantSettingsOf(def, adoption);
  const mine = steps.find((s) => s.id === input.stepRowId);
  if (decided && mine && (mine.kind === 'approve' || mine.kind === 'prepare')) throw new AppError('conflict', 'already decided', { code: 'notInApproval', state: doc.state });
  if (!mine || mine.round !== doc.round) throw new AppError('forbidden', 'not your step');
  if (!outcomesOf[mine.kind].includes(input.outcome)) throw new AppError('invalid', 'outcome not allowed at this step', { code: 'badOutcome' });
  const comment = input.comment?.trim() || null;
  if ((input.outcome === 'rejected' || input.outcome === 'returned' || input.outcome === 'opinion') && !comment) {
    return { ok: false, fieldErrors: { comment: ['commentRequired'] }, document: doc };
  }
  if (input.outcome === 'prepared') {
    const parsed = submissionSchema(def, { locale: actor.locale, stepId: mine.stepKey }).safeParse(input.raw ?? {});
    if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error.issues), document: doc };
    // What submission checks, the step checks for what it fills in: the people, units and
    // documents it names, and the rules that read its fields (serialised as at submission).
    const referenceErrors = await checkReferences(tx, actor, def, parsed.data as Record<string, unknown>);
    if (Object.keys(referenceErrors).length) return { ok: false, fieldErrors: referenceErrors, document: doc };
    const values = { ...(doc.values as Record<string, unknown>), ...parsed.data } as SubmissionValues;
    const reading = rulesReading(def, new Set(Object.keys(parsed.data)));
    await serialiseRuleChecks(tx, actor.tenantId, reading, { values, tenantParameters: parameters });
    const violations = await checkRules(reading, { values, tenantParameters: parameters, lookups: tenantLookups(tx, actor.tenantId), documentId: doc.id });
    if (violations.length) {
      const fieldErrors: FieldErrors = {};
      for (const v of violations) (fieldErrors[v.field] ??= []).push(formatMessage(actor.locale, v.code, v.params));
      return { ok: false, fieldErrors, document: doc };
    }
    doc = await bump(tx, doc, { values, computed: computeValues(def, { values, tenantParameters: parameters }) });
    await addRevision(tx, actor, doc.id, values, 'prepared');
  }
  const onBehalfOf = mine.assigneeId === actor.membershipId ? null : mine.assigneeId;
  const now = new Date();
  const closing = input.outcome === 'rejected' || input.outcome === 'returned';
  const notifyAuthor = (kind: NotificationKind) => notify(tx, actor.tenantId, [doc.authorId], kind, doc.id, { step: mine.stepKey });
  // Sent together: the statements run in this order on the transaction's connection, so the
  // stage's done steps are read after this one is marked done. A step that does not close the
  // document moves it to its next version whatever the stage's state, so that goes out too, and
  // so does the delegation an approval may hold.
  const [, , absentUserId, doneRows, bumped, delegated] = await Promise.all([
    stepDone(tx, { tenantId: actor.tenantId, stepId: mine.id, outcome: input.outcome, actedById: actor.membershipId, onBehalfOfId: onBehalfOf, comment, actedAt: now.toISOString() }),
    // Other candidates for the same step (another holder of the role) no longer need to act.
    skipPending(tx, doc, [mine.stepKey]),
    onBehalfOf ? userOf(tx, actor.tenantId, onBehalfOf) : null,
    closing ? [] : doneOfStage(tx, { tenantId: actor.tenantId, documentId: doc.id, round: doc.round, stage: mine.stage }),
    closing ? doc : bumpVersion(tx, doc),
    input.outcome === 'approved' && holdsDelegation(tx, actor.tenantId, doc.templateId, onBehalfOf ?? actor.membershipId),
  ]);
  await audit(tx, actor, `document.step.${input.outcome}`, doc.id, { step: mine.stepKey, comment, onBehalfOfMembershipId: onBehalfOf }, absentUserId);
  // Notifications go out with what follows and are awaited with it.
  const writes: Promise<unknown>[] = [];
  if (onBehalfOf) writes.push(sendNow(notify(tx, actor.tenantId, [onBehalfOf], 'step.actedOnYourBehalf', doc.id, { step: mine.stepKey, outcome: input.outcome })));

  if (closing) {
    const [, closed] = await Promise.all([
      closeOpenSteps(tx, actor.tenantId, doc),
      bump(tx, doc, { state: input.outcome === 'rejected' ? 'rejected' : 'returned', decidedAt: input.outcome === 'rejected' ? now : null }),
      notifyAuthor(input.outcome === 'rejected' ? 'document.rejected' : 'document.returned'),
      ...writes,
    ]);
    if (input.outcome === 'returned') await emitDocumentEvent(tx, actor.tenantId, 'document.returned', doc.id);
    return { ok: true, document: closed };
  }
  if (input.outcome === 'opinion') writes.push(sendNow(notifyAuthor('document.opinion')));

  const stages = stagesOf(def);
  const stage = stages[mine.stage];
  const stepDef = stage.find((s) => s.id === mine.stepKey)!;
  const complete = isGate(stepDef) && stageComplete(stage, new Set(doneRows.map((r) => r.stepKey)));
  if (!complete) {
    await Promise.all(writes);
    return { ok: true, document: bumped };
  }
  // The stage is decided: gates still open in it (a parallel quorum already met) are no longer needed.
  const gateKeys = stage.filter(isGate).map((s) => s.id);
  writes.push(sendNow(skipPending(tx, doc, gateKeys)));
  const line: LineContext = { tenantId: actor.tenantId, authorId: doc.authorId, authorUnitId: doc.authorUnitId, values: doc.values as Record<string, unknown>, positions };
  return { ok: true, document: await advance(tx, actor, bumped, def, line, parameters, mine.stage + 1, delegated, writes) };
}

const stepDone = reusableSelect((db) =>
  db
    .update(documentSteps)
    .set({
      state: 'done',
      outcome: sql`${sql.placeholder('outcome')}`,
      actedById: sql`${sql.placeholder('actedById')}`,
      onBehalfOfId: sql`${sql.placeholder('onBehalfOfId')}`,
      comment: sql`${sql.placeholder('comment')}`,
      actedAt: sql`${sql.placeholder('actedAt')}`,
    })
    .where(and(eq(documentSteps.tenantId, sql.placeholder('tenantId')), eq(documentSteps.id, sql.placeholder('stepId')))),
);

/** The keys of the stage's steps done in this round. */
const doneOfStage = reusableSelect((db) =>
  db
    .select({ stepKey: documentSteps.stepKey })
    .from(documentSteps)
    .where(
      and(
        eq(documentSteps.tenantId, sql.placeholder('tenantId')),
        eq(documentSteps.documentId, sql.placeholder('documentId')),
        eq(documentSteps.round, sql.placeholder('round')),
        eq(documentSteps.stage, sql.placeholder('stage')),
        eq(documentSteps.state, 'done'),
      ),
    ),
);

const delegationSelect = reusableSelect((db) => {
  const tenantId = sql.placeholder('tenantId');
  return db
    .select({ id: delegations.id })
    .from(delegations)
    .innerJoin(memberships, and(eq(memberships.tenantId, delegations.tenantId), eq(memberships.id, sql.placeholder('membershipId'))))
    .where(and(eq(delegations.tenantId, tenantId), eq(delegations.templateId, sql.placeholder('templateId')), sql`${delegations.role} = any(${memberships.roles})`));
});

async function holdsDelegation(tx: Tx, tenantId: string, templateId: string, membershipId: string): Promise<boolean> {
  return (await delegationSelect(tx, { tenantId, templateId, membershipId })).length > 0;
}

const userOfSelect = reusableSelect((db) =>
  db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.tenantId, sql.placeholder('tenantId')), eq(memberships.id, sql.placeholder('membershipId')))),
);

async function userOf(tx: Tx, tenantId: string, membershipId: string): Promise<string | null> {
  const [m] = await userOfSelect(tx, { tenantId, membershipId });
  return m?.userId ?? null;
}

async function closeOpenSteps(tx: Tx, tenantId: string, doc: DocumentRow) {
  await tx
    .update(documentSteps)
    .set({ state: 'skipped' })
    .where(and(eq(documentSteps.tenantId, tenantId), eq(documentSteps.documentId, doc.id), eq(documentSteps.state, 'pending')));
}

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
