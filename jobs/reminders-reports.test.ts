// Reminders on the business calendar (a holiday, a substitute on duty, escalation) and the
// monthly overtime report against figures computed directly from the seeded slips.
import { and, eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import { parseCsv } from '#app/csv/csv.server';
import type { Actor } from '#app/workflow/engine/actor';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { rowsOf } from '#db/rows';
import { adoptions, documents, documentSteps, holidays, notifications, reports, substitutes, templates } from '#db/schema';
import { seedDemo } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { submitted } from '#tests/support/documents';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { createMailer } from './email/transport';
import { sweepReminders } from './definitions/reminders';
import { buildReport, requestMonthlyReports } from './definitions/reports';

let database: TestDatabase;
let app: DatabaseHandle;
let nikola: Actor, marija: Actor, jelena: Actor, milos: Actor, ivana: Actor, zoran: Actor;
const ctxAt = (iso: string) => ({ db: app.db, mailer: createMailer({ mailDir: '/nonexistent', from: 'test@delovod.test' }), log: pino({ level: 'silent' }), now: () => new Date(iso) });

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(database.appUrl, { max: 6 });
  await seedDemo(app.db, hashPassword);
  const s = (n: string) => actorOf(app.db, 'surdulica', `${n}@surdulica.test`);
  [nikola, marija, jelena, milos, ivana, zoran] = await Promise.all(['nikola.petrovic', 'marija.stojanovic', 'jelena.djordjevic', 'milos.tomic', 'ivana.stankovic', 'zoran.ilic'].map(s));
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('reminders', () => {
  it('remind once when due and not before, skip a holiday, include the substitute on duty, then escalate once', async () => {
    const doc = await submitted(app.db, nikola, 'overtime-request', { date: '2026-10-29', plannedStart: '16:00', plannedEnd: '18:00', ground: 'workloadIncrease', description: 'Буџет' });
    // Friday 30 October 2026, 15:00 in Belgrade; Monday 2 November made a holiday.
    await inTenant(app.db, milos, async (tx) => {
      await tx.update(documentSteps).set({ dueAt: new Date('2026-10-30T14:00:00Z') }).where(and(eq(documentSteps.tenantId, milos.tenantId), eq(documentSteps.documentId, doc.id)));
      await tx.insert(holidays).values({ tenantId: milos.tenantId, date: '2026-11-02', name: 'Дан општине' }).onConflictDoNothing();
      await tx.insert(substitutes).values({ tenantId: milos.tenantId, absentMembershipId: marija.membershipId, substituteMembershipId: jelena.membershipId, startsOn: '2026-10-29', endsOn: '2026-10-31' });
    });
    const reminded = async () =>
      (await inTenant(app.db, milos, (tx) => tx.select().from(notifications).where(and(eq(notifications.documentId, doc.id), sql`${notifications.kind} in ('step.reminder', 'step.escalated')`))))
        .map((n) => `${n.kind}:${(n.data as { round: number }).round}:${n.recipientId}`)
        .sort();

    await sweepReminders(ctxAt('2026-10-30T13:59:00Z'));
    expect(await reminded()).toEqual([]);
    await Promise.all([sweepReminders(ctxAt('2026-10-30T14:01:00Z')), sweepReminders(ctxAt('2026-10-30T14:01:00Z'))]);
    expect(await reminded()).toEqual([`step.reminder:1:${jelena.membershipId}`, `step.reminder:1:${marija.membershipId}`].sort());
    // Eight business hours later would be Monday 15:00, but Monday is a holiday.
    await sweepReminders(ctxAt('2026-11-02T15:00:00Z'));
    await sweepReminders(ctxAt('2026-11-03T13:59:00Z'));
    expect(await reminded()).toHaveLength(2);
    await sweepReminders(ctxAt('2026-11-03T14:01:00Z'));
    const second = await reminded();
    expect(second).toHaveLength(3);
    expect(second).toContain(`step.reminder:2:${marija.membershipId}`);
    for (let i = 0; i < 4; i++) await sweepReminders(ctxAt('2026-12-31T12:00:00Z'));
    expect(await reminded()).toEqual(
      [`step.reminder:1:${jelena.membershipId}`, `step.reminder:1:${marija.membershipId}`, `step.reminder:2:${marija.membershipId}`, `step.reminder:3:${marija.membershipId}`, `step.escalated:4:${milos.membershipId}`].sort(),
    );
  });
});

describe('the monthly overtime report', () => {
  it('sums the month’s approved and registered slips per person and per unit, and tells finance and the admin', async () => {
    const tenantId = milos.tenantId;
    await inTenant(app.db, milos, async (tx) => {
      const [slip] = await tx.select({ templateId: adoptions.templateId, versionId: adoptions.versionId }).from(adoptions).innerJoin(templates, eq(templates.id, adoptions.templateId)).where(and(eq(adoptions.tenantId, tenantId), eq(templates.key, 'overtime-pay-slip')));
      const row = (employee: string, month: string, state: 'registered' | 'approved' | 'draft', hours: string, total: string) => ({
        tenantId, templateId: slip.templateId, versionId: slip.versionId, authorId: ivana.membershipId, state,
        values: { employee, month, totalHours: hours, nightHours: '1.50', holidayHours: '0.00', hourlyRate: '812.40' },
        computed: { baseAmount: '100.10', overtimeIncrease: '26.03', nightIncrease: '10.01', holidayIncrease: '0.00', totalAmount: total },
      });
      await tx.insert(documents).values([
        row(nikola.membershipId, '2026-05', 'registered', '6.50', '5280.61'),
        row(nikola.membershipId, '2026-05', 'approved', '2.25', '1827.90'),
        row(jelena.membershipId, '2026-05', 'registered', '4.00', '3249.61'),
        row(jelena.membershipId, '2026-05', 'draft', '9.00', '9999.99'),
        row(nikola.membershipId, '2026-04', 'registered', '3.00', '2437.21'),
      ]);
    });
    expect(await requestMonthlyReports(ctxAt('2026-06-01T04:00:00Z'))).toBeGreaterThan(0);
    expect(await requestMonthlyReports(ctxAt('2026-06-01T05:00:00Z'))).toBe(0);
    const [report] = await inTenant(app.db, milos, (tx) => tx.select().from(reports).where(and(eq(reports.tenantId, tenantId), eq(reports.period, '2026-05'))));
    await buildReport.handler({ tenantId, reportId: report.id }, ctxAt('2026-06-01T04:00:05Z'), { outboxId: report.id, attempt: 1 });
    await buildReport.handler({ tenantId, reportId: report.id }, ctxAt('2026-06-01T04:00:09Z'), { outboxId: report.id, attempt: 2 });
    const [done] = await inTenant(app.db, milos, (tx) => tx.select().from(reports).where(and(eq(reports.tenantId, tenantId), eq(reports.id, report.id))));
    expect(done).toMatchObject({ status: 'done', progress: 100 });
    expect(done.pdf!.subarray(0, 5).toString()).toBe('%PDF-');

    // Expected figures straight from the slips, by SQL numeric arithmetic.
    const expected = rowsOf<{ employee: string; hours: string; total: string }>(
      await inTenant(app.db, milos, (tx) =>
        tx.execute(sql`select d.values->>'employee' as employee, sum((d.values->>'totalHours')::numeric)::text as hours, sum((d.computed->>'totalAmount')::numeric)::text as total
          from documents d join templates t on t.id = d.template_id
          where d.tenant_id = ${tenantId} and t.key = 'overtime-pay-slip' and d.state in ('approved', 'registered') and d.values->>'month' = '2026-05'
          group by 1`),
      ),
    );
    const csv = parseCsv(done.csv!.toString('utf8').replace(/^\uFEFF/, ''));
    const header = csv[0];
    const col = (name: string) => header.indexOf(name);
    for (const e of expected) {
      const person = e.employee === nikola.membershipId ? 'Никола Петровић' : 'Јелена Ђорђевић';
      const line = csv.find((l) => l[col('Име и презиме')] === person)!;
      expect(line[col('Прековремених часова')]).toBe(Number(e.hours).toFixed(2));
      expect(line[col('Укупно (дин.)')]).toBe(Number(e.total).toFixed(2));
    }
    const total = csv.at(-1)!;
    expect(total[col('Укупно (дин.)')]).toBe(expected.reduce((n, e) => n + Math.round(Number(e.total) * 100), 0) / 100 + '');
    const told = await inTenant(app.db, milos, (tx) => tx.select({ to: notifications.recipientId }).from(notifications).where(and(eq(notifications.tenantId, tenantId), eq(notifications.kind, 'report.ready'))));
    expect(told.map((t) => t.to).sort()).toEqual([ivana.membershipId, zoran.membershipId, milos.membershipId].sort());
  });
});

describe('the reminder sweep’s index', () => {
  it('holds the steps still owed one of REMINDER_ROUNDS reminders or the escalation, and the sweep’s query says the same', async () => {
    const { REMINDER_ROUNDS } = await import('./definitions/reminders');
    const [row] = rowsOf<{ index: string; fn: string }>(
      await app.db.execute(sql`select pg_get_indexdef('document_steps_due_idx'::regclass) as index, pg_get_functiondef('overdue_steps(timestamptz, integer, integer)'::regprocedure) as fn`),
    );
    expect(row.index).toContain(`reminders_sent <= ${REMINDER_ROUNDS}`);
    // All the sweep reads and filters on, so it is an index-only scan.
    expect(row.index).toContain('INCLUDE (tenant_id, id, reminders_sent)');
    expect(row.fn).toContain(`s.reminders_sent <= ${REMINDER_ROUNDS}`);
  });
});
