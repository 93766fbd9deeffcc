// A member's action on a step of the approval line (DESIGN §5), for every kind of step: approve,
// reject or return for correction, give an opinion, acknowledge, or prepare (fill the step's own
// fields) — their own step, or one of a colleague they stand in for today (proxy approval). One
// transaction: the step done, the line moved on or closed, the audit event and the notifications.
import { and, eq, sql } from 'drizzle-orm';
import { anyOf } from '#db/any';
import type { Tx } from '#db/client';
import { reusableSelect } from '#db/reusable';
import { sendNow } from '#db/tenant';
import { delegations, documents, documentSteps, memberships } from '#db/schema';
import { AppError } from '../../errors';
import { emitDocumentEvent } from '../../api/webhooks/events.server';
import { computeValues, type SubmissionValues } from '../template/compute';
import { submissionSchema } from '../template/form';
import { formatMessage } from '../template/messages';
import { checkRules, rulesReading } from '../template/rules';
import type { Actor } from './actor';
import { adoptionOfDocument, tenantSettingsOf } from './adoption.server';
import { advance } from './advance-line.server';
import type { LineContext } from './assignees.server';
import { checkReferences } from './check-references.server';
import { definitionOf } from './definitions.server';
import { actionableSteps } from './find-steps.server';
import { isGate, outcomesOf, stageComplete, stagesOf } from './line';
import { tenantLookups } from './lookups.server';
import { notify, type NotificationKind } from './notify.server';
import { serialiseRuleChecks } from './serialise.server';
import { addRevision, audit, bump, closeOpenSteps, fieldErrorsOf, lockDocument, type DocumentRow, type FieldErrors, type Outcome, type RawValues, type Visibility } from './transition.server';

// An approval's own statements are built once (db/reusable.ts), as the document's lock is:
// every step action sends them. Those sent together go out in the order they are made, as
// reusable selects do. A value set through a placeholder reaches the driver as given, not
// through its column's mapping: times go as ISO strings.
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
    // As at submission: the amounts with the parameters they were computed with.
    doc = await bump(tx, doc, { values, computed: computeValues(def, { values, tenantParameters: parameters }), computedParameters: parameters });
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
