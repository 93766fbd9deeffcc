// Reminders (DESIGN §6): a pending step past its due time reminds its assignee and any
// substitute on duty today, again every REPEAT business hours up to ROUNDS reminders, and then
// escalates once to the tenant admins. reminders_sent counts the rounds done; each round is
// claimed by a conditional UPDATE in the transaction that writes its notifications and outbox
// rows, so a round happens exactly once whatever runs twice or crashes.
import { and, arrayContains, eq, gte, lte, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Tx } from '#db/client';
import { rowsOf } from '#db/rows';
import { documentSteps, memberships, substitutes } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { addBusinessHours, defaultSchedule, type BusinessCalendar } from '#app/workflow/calendar/business-hours';
import { tenantHolidays } from '#app/workflow/calendar/tenant-calendar.server';
import { defineSchedule, type JobContext } from '../job';
import { notifyFromJob } from '../notify';

export const REMINDER_ROUNDS = 3;
/** One working day between reminders. */
export const REMINDER_REPEAT_HOURS = 8;

async function calendarOf(tx: Tx, tenantId: string): Promise<BusinessCalendar> {
  return { schedule: defaultSchedule, holidays: await tenantHolidays(tx, tenantId) };
}

export type ReminderOutcome = 'reminded' | 'escalated' | 'notYet' | 'gone';

/** Sends the round of one step that is due at `now`, if any. */
export async function remindStep(tx: Tx, tenantId: string, stepId: string, now: Date, calendar: BusinessCalendar): Promise<ReminderOutcome> {
  const [step] = await tx.select().from(documentSteps).where(and(eq(documentSteps.tenantId, tenantId), eq(documentSteps.id, stepId)));
  if (!step || step.state !== 'pending' || !step.dueAt || step.remindersSent > REMINDER_ROUNDS) return 'gone';
  const sent = step.remindersSent;
  // The first round is due with the step itself (due_at already counts business hours).
  const roundDue = sent === 0 ? step.dueAt : addBusinessHours(step.dueAt, sent * REMINDER_REPEAT_HOURS, calendar);
  if (roundDue > now) return 'notYet';
  const claimed = await tx
    .update(documentSteps)
    .set({ remindersSent: sent + 1 })
    .where(and(eq(documentSteps.tenantId, tenantId), eq(documentSteps.id, stepId), eq(documentSteps.remindersSent, sent), eq(documentSteps.state, 'pending')))
    .returning({ id: documentSteps.id });
  if (!claimed.length) return 'gone';
  const data = { step: step.stepKey, assigneeId: step.assigneeId, dueAt: step.dueAt.toISOString(), round: sent + 1, rounds: REMINDER_ROUNDS };
  if (sent < REMINDER_ROUNDS) {
    const today = DateTime.fromJSDate(now, { zone: calendar.schedule.timeZone }).toISODate()!;
    const onDuty = await tx
      .select({ id: substitutes.substituteMembershipId })
      .from(substitutes)
      .where(and(eq(substitutes.tenantId, tenantId), eq(substitutes.absentMembershipId, step.assigneeId), lte(substitutes.startsOn, today), gte(substitutes.endsOn, today)));
    await notifyFromJob(tx, tenantId, [step.assigneeId, ...onDuty.map((s) => s.id)], 'step.reminder', step.documentId, data);
    return 'reminded';
  }
  const admins = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.active, true), arrayContains(memberships.roles, ['tenant_admin'])));
  await notifyFromJob(tx, tenantId, admins.map((a) => a.id), 'step.escalated', step.documentId, data);
  return 'escalated';
}

/** Every tenant's overdue steps, each tenant in its own transaction. */
export async function sweepReminders(ctx: JobContext, limit = 5000): Promise<Record<ReminderOutcome, number>> {
  const now = ctx.now();
  const due = rowsOf<{ tenant_id: string; step_id: string }>(
    await ctx.db.execute(sql`select tenant_id, step_id from overdue_steps(${now.toISOString()}::timestamptz, ${REMINDER_ROUNDS}, ${limit})`),
  );
  const byTenant = new Map<string, typeof due>();
  for (const row of due) byTenant.set(row.tenant_id, [...(byTenant.get(row.tenant_id) ?? []), row]);
  const counts: Record<ReminderOutcome, number> = { reminded: 0, escalated: 0, notYet: 0, gone: 0 };
  for (const [tenantId, steps] of byTenant) {
    try {
      await withTenantOn(ctx.db, { tenantId }, async (tx) => {
        const calendar = await calendarOf(tx, tenantId);
        for (const s of steps) counts[await remindStep(tx, tenantId, s.step_id, now, calendar)]++;
      });
    } catch (error) {
      // One tenant's failure must not hold back the others' reminders.
      ctx.log.error({ err: error, tenantId }, 'reminder sweep failed for a tenant');
    }
  }
  return counts;
}

export const reminderSweep = defineSchedule({
  name: 'reminders.sweep',
  every: 5 * 60_000,
  inlineEvery: 60_000,
  handler: (ctx) => sweepReminders(ctx),
});
