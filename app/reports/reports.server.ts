// The tenant's overtime reports: requested from the reports page (the row and its build job in
// the caller's transaction) and listed for it. The build itself is the 'reports.build' job.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { and, desc, eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Tx } from '#db/client';
import { memberships, reports } from '#db/schema';
import { enqueue } from '#jobs/kinds';
import { notFound, requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';

export async function requestReport(tx: Tx, options: { tenantId: string; period: string; requestedBy: string }): Promise<string> {
  const [row] = await tx
    .insert(reports)
    .values({ tenantId: options.tenantId, kind: 'overtime-monthly', period: options.period, requestedBy: options.requestedBy })
    .returning({ id: reports.id });
  await enqueue(tx, { name: 'reports.build', payload: { tenantId: options.tenantId, reportId: row.id } });
  return row.id;
}

const RECENT = 100;

/** The newest reports without their files. */
export function listReports(tx: Tx, tenantId: string) {
  return tx
    .select({
      id: reports.id,
      period: reports.period,
      status: reports.status,
      progress: reports.progress,
      requester: memberships.fullName,
      requestedBy: reports.requestedBy,
      createdAt: reports.createdAt,
      finishedAt: reports.finishedAt,
    })
    .from(reports)
    .leftJoin(memberships, and(eq(memberships.tenantId, reports.tenantId), eq(memberships.id, reports.requestedBy)))
    .where(eq(reports.tenantId, tenantId))
    .orderBy(desc(reports.createdAt), desc(reports.period))
    .limit(RECENT);
}

export const reportFiles = {
  csv: { column: reports.csv, type: 'text/csv; charset=utf-8' },
  pdf: { column: reports.pdf, type: 'application/pdf' },
} as const;

/** A finished report's file, or null (an id that is not one, another tenant's, not ready yet). */
export async function reportFile(tx: Tx, tenantId: string, id: string, kind: keyof typeof reportFiles): Promise<{ period: string; bytes: Buffer } | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const [row] = await tx
    .select({ period: reports.period, bytes: reportFiles[kind].column })
    .from(reports)
    .where(and(eq(reports.tenantId, tenantId), eq(reports.id, id), eq(reports.status, 'done'), sql`${reportFiles[kind].column} is not null`));
  return row?.bytes ? { period: row.period, bytes: row.bytes } : null;
}

/** The loader of both download routes: the permission, then the tenant's own finished report. */
export async function downloadReport({ request, context, params }: LoaderFunctionArgs, kind: keyof typeof reportFiles): Promise<Response> {
  const { tenant, signedIn } = await requireTenantMember(context, request, params.tenant, 'read:reports:tenant');
  const file = await withTenant(tenant.id, (tx) => reportFile(tx, tenant.id, params.id ?? '', kind), { userId: signedIn.user.id });
  if (!file) notFound();
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      'Content-Type': reportFiles[kind].type,
      'Content-Disposition': `attachment; filename="prekovremeni-rad-${tenant.slug}-${file.period}.${kind}"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
