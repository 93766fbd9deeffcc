// Submission of a draft (or resubmission after a return): the whole form, the template's rules
// and the approval line are checked before the line opens.
import type { Tx } from '#db/client';
import { emitDocumentEvent } from '../../api/webhooks/events.server';
import { computeValues, type SubmissionValues } from '../template/compute';
import { submissionSchema } from '../template/form';
import { formatMessage } from '../template/messages';
import { checkRules } from '../template/rules';
import type { Actor } from './actor';
import { tenantParametersFor } from './adoption.server';
import { advance } from './advance-line.server';
import { correctionOf, withAggregates } from './aggregates.server';
import { resolveAssignees, type LineContext } from './assignees.server';
import { checkReferences } from './check-references.server';
import { definitionOf } from './definitions.server';
import { isDecisive, stagesOf } from './line';
import { tenantLookups } from './lookups.server';
import { checkOnePayment, periodKeyOf } from './payments.server';
import { saveDraft, type AttachmentChanges } from './save-draft.server';
import { serialiseRuleChecks } from './serialise.server';
import { addRevision, audit, bump, fieldErrorsOf, register, type DocumentRow, type FieldErrors, type RawValues, type Visibility } from './transition.server';

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
    // The amounts and the parameters they were computed with, together: what the card and the
    // PDF state as their basis once the tenant's parameters have moved on.
    computed: computeValues(def, { values, tenantParameters: parameters }),
    computedParameters: parameters,
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
