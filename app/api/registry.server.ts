// The API's registry log (delovodnik) and monthly reports (ADR 014): the same log, filters and
// keyset pages as the registry page, and the reports the reports page lists.
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Tx } from '#db/client';
import { reports } from '#db/schema';
import { isUuid } from '../ids';
import { parseRegistryQuery, registryLog, type RegistryEntry } from '../workflow/documents/registry-log.server';
import { CLASSIFICATION } from '../workflow/template/schema';
import { ApiProblem, cursorTime, decodeCursor, encodeCursor, nextLink, pageLimit, type ApiCall, type ApiReply } from './http.server';

// Bounded as the columns are (registry_seq is an integer): a forged position past them is a 400, not a failed query.
const registryCursor = z.object({ y: z.number().int().min(1900).max(2999), k: z.string().regex(CLASSIFICATION), s: z.number().int().min(0).max(2_147_483_647) });

const entryJson = (e: RegistryEntry) => ({
  documentId: e.id,
  registryNumber: e.registryNumber,
  year: e.year,
  classification: e.classification,
  seq: e.seq,
  registeredAt: e.registeredAt.toISOString(),
  state: e.state,
  template: e.templateKey,
  title: { 'sr-Cyrl': e.title['sr-Cyrl'], en: e.title.en },
  author: e.authorName,
  unit: e.unitName,
  links: { document: `/api/v1/documents/${e.id}` },
});

const FILTERS = ['year', 'classification', 'template', 'from', 'to', 'q', 'order'];

/** GET /registry: the log in registry-number order (newest first unless order=asc). */
export async function listRegistry(tx: Tx, call: ApiCall): Promise<ApiReply> {
  const limit = pageLimit(call.url);
  const params = new URLSearchParams([...call.url.searchParams].filter(([k]) => FILTERS.includes(k)));
  const order = params.get('order');
  if (order !== null && order !== 'asc' && order !== 'desc') throw new ApiProblem('invalid', 'The query is not valid.', { errors: { order: ['asc or desc'] } });
  const { filter, errors } = parseRegistryQuery(params);
  if (Object.keys(errors).length) throw new ApiProblem('invalid', 'The query is not valid.', { errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, [v]])) });
  const after = decodeCursor(call.url, registryCursor);
  const page = await registryLog(tx, call.client.tenantId, filter, { after: after && { year: after.y, classification: after.k, seq: after.s }, limit });
  const cursor = page.next ? encodeCursor({ y: page.next.year, k: page.next.classification, s: page.next.seq }) : null;
  return { json: { total: page.total, items: page.entries.map(entryJson), next: nextLink(call.url, cursor) } };
}

const reportPath = (id: string) => `/api/v1/reports/${id}`;
type ReportRow = Pick<typeof reports.$inferSelect, 'id' | 'kind' | 'period' | 'status' | 'progress' | 'createdAt' | 'finishedAt'>;
const reportColumns = { id: reports.id, kind: reports.kind, period: reports.period, status: reports.status, progress: reports.progress, createdAt: reports.createdAt, finishedAt: reports.finishedAt };

const reportJson = (r: ReportRow) => ({
  id: r.id,
  kind: r.kind,
  period: r.period,
  status: r.status,
  progress: r.progress,
  createdAt: r.createdAt.toISOString(),
  finishedAt: r.finishedAt ? r.finishedAt.toISOString() : null,
  links: { self: reportPath(r.id), ...(r.status === 'done' ? { csv: `${reportPath(r.id)}/csv`, pdf: `${reportPath(r.id)}/pdf` } : {}) },
});

const reportCursor = z.object({ c: cursorTime, i: z.uuid() });
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** GET /reports: the monthly reports, newest first; `period=YYYY-MM` narrows to one month. */
export async function listReports(tx: Tx, call: ApiCall): Promise<ApiReply> {
  const limit = pageLimit(call.url);
  const period = call.url.searchParams.get('period');
  if (period !== null && !PERIOD.test(period)) throw new ApiProblem('invalid', 'The query is not valid.', { errors: { period: ['YYYY-MM'] } });
  const after = decodeCursor(call.url, reportCursor);
  const rows = await tx
    .select(reportColumns)
    .from(reports)
    .where(
      and(
        eq(reports.tenantId, call.client.tenantId),
        period ? eq(reports.period, period) : undefined,
        after ? or(lt(reports.createdAt, new Date(after.c)), and(eq(reports.createdAt, new Date(after.c)), sql`${reports.id} < ${after.i}`)) : undefined,
      ),
    )
    .orderBy(desc(reports.createdAt), desc(reports.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const cursor = rows.length > limit && last ? encodeCursor({ c: last.createdAt.toISOString(), i: last.id }) : null;
  return { json: { items: page.map(reportJson), next: nextLink(call.url, cursor) } };
}

async function reportRow(tx: Tx, call: ApiCall) {
  const id = call.params.id;
  if (!isUuid(id)) throw new ApiProblem('notFound', 'No such report.');
  const [row] = await tx.select({ ...reportColumns, csv: reports.csv, pdf: reports.pdf }).from(reports).where(and(eq(reports.tenantId, call.client.tenantId), eq(reports.id, id)));
  if (!row) throw new ApiProblem('notFound', 'No such report.');
  return row;
}

/** GET /reports/{id} */
export async function readReport(tx: Tx, call: ApiCall): Promise<ApiReply> {
  return { json: reportJson(await reportRow(tx, call)) };
}

/** GET /reports/{id}/csv and /pdf: a finished report's file. */
export async function reportFileReply(tx: Tx, call: ApiCall, kind: 'csv' | 'pdf'): Promise<ApiReply> {
  const row = await reportRow(tx, call);
  const bytes = row[kind];
  if (row.status !== 'done' || !bytes) throw new ApiProblem('conflict', 'The report is not ready yet.', { reportStatus: row.status });
  return {
    bytes,
    contentType: kind === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf',
    headers: { 'Content-Disposition': `attachment; filename="overtime-${row.period}.${kind}"` },
  };
}
