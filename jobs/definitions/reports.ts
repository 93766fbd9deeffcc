// Reports: the monthly overtime report of every tenant on the 1st at 06:00 Belgrade time for
// the month before, and any report requested from the reports page; both are built by
// 'reports.build', which records its progress on the report row for the page to show.
import { and, arrayOverlaps, eq, ne } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { emitReportReady } from '#app/api/webhooks/events.server';
import { BELGRADE } from '#app/time/belgrade';
import { memberships, reports, tenants } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { defineJob, defineSchedule, type JobContext } from '../job';
import { enqueue } from '../kinds';
import { notifyFromJob } from '../notify';
import { tenantNameIn } from '../email/recipients';
import { overtimeFigures } from '../reports/overtime';
import { overtimeCsv, overtimePdf } from '../reports/render';

/** Who hears that the monthly report is ready. */
const REPORT_ROLES = ['finance', 'finance_head', 'tenant_admin'];

export const buildReport = defineJob({
  name: 'reports.build',
  version: 1,
  handler: async ({ tenantId, reportId }, ctx) => {
    const scope = { tenantId };
    const where = and(eq(reports.tenantId, tenantId), eq(reports.id, reportId));
    const progress = (values: Partial<typeof reports.$inferInsert>) => withTenantOn(ctx.db, scope, (tx) => tx.update(reports).set(values).where(where));
    const [report] = await withTenantOn(ctx.db, scope, (tx) => tx.select({ status: reports.status, period: reports.period, requestedBy: reports.requestedBy }).from(reports).where(where));
    if (!report || report.status === 'done') return;
    try {
      await progress({ status: 'running', progress: 10, error: null });
      const { figures, tenant } = await withTenantOn(ctx.db, scope, async (tx) => ({
        figures: await overtimeFigures(tx, tenantId, report.period),
        tenant: (await tx.select().from(tenants).where(eq(tenants.id, tenantId)))[0],
      }));
      await progress({ progress: 40 });
      const csv = overtimeCsv(figures, tenant.defaultLocale);
      await progress({ progress: 60 });
      const pdf = await overtimePdf(figures, tenantNameIn(tenant, tenant.defaultLocale), tenant.defaultLocale);
      await withTenantOn(ctx.db, scope, async (tx) => {
        const done = await tx
          .update(reports)
          .set({ status: 'done', progress: 100, csv, pdf, finishedAt: ctx.now() })
          .where(and(where, ne(reports.status, 'done')))
          .returning({ id: reports.id });
        // Subscribed webhooks hear of every report that is finished, once.
        if (done.length) await emitReportReady(tx, tenantId, reportId);
        // The scheduled report is announced, once: only the run that finished it notifies.
        if (!done.length || report.requestedBy) return;
        const readers = await tx
          .select({ id: memberships.id })
          .from(memberships)
          .where(and(eq(memberships.tenantId, tenantId), eq(memberships.active, true), arrayOverlaps(memberships.roles, REPORT_ROLES)));
        await notifyFromJob(tx, tenantId, readers.map((r) => r.id), 'report.ready', null, { period: report.period, reportId });
      });
    } catch (error) {
      await progress({ status: 'failed', error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  },
});

/** The month before `now` in Belgrade, 'YYYY-MM'. */
export function previousMonth(now: Date): string {
  return DateTime.fromJSDate(now, { zone: BELGRADE }).minus({ months: 1 }).toFormat('yyyy-MM');
}

/** Queues the previous month's report for every active tenant that has none yet. */
export async function requestMonthlyReports(ctx: JobContext): Promise<number> {
  const period = previousMonth(ctx.now());
  const active = await ctx.db.select({ id: tenants.id }).from(tenants).where(and(eq(tenants.status, 'active'), ne(tenants.kind, 'national')));
  let queued = 0;
  for (const { id: tenantId } of active) {
    await withTenantOn(ctx.db, { tenantId }, async (tx) => {
      const [row] = await tx.insert(reports).values({ tenantId, kind: 'overtime-monthly', period }).onConflictDoNothing().returning({ id: reports.id });
      if (!row) return;
      await enqueue(tx, { name: 'reports.build', payload: { tenantId, reportId: row.id } });
      queued++;
    });
  }
  return queued;
}

export const monthlyReports = defineSchedule({
  name: 'reports.monthly',
  pattern: '0 6 1 * *',
  inlineEvery: 60 * 60_000,
  handler: requestMonthlyReports,
});
