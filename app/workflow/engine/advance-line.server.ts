// Moving a document's approval line forward: opening the next stage, or approving (and
// registering) the document when no decision is left. Submission and step actions both end here.
import { awaitAtCommit } from '#db/audit';
import type { Tx } from '#db/client';
import { sendNow } from '#db/tenant';
import { documentSteps } from '#db/schema';
import { AppError } from '../../errors';
import { emitDocumentEvent } from '../../api/webhooks/events.server';
import { addBusinessHours, defaultSchedule } from '../calendar/business-hours';
import { tenantHolidays } from '../calendar/tenant-calendar.server';
import { requestSeal } from '../sealing/request-seal.server';
import type { Step, TemplateVersion } from '../template/schema';
import type { Actor } from './actor';
import { resolveAssignees, type LineContext } from './assignees.server';
import { createDocument } from './create-document.server';
import { isDecisive, stagesOf } from './line';
import { notify } from './notify.server';
import { audit, bumpAtCommit, register, type DocumentRow } from './transition.server';

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
export async function advance(
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
