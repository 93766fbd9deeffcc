// The national statistics: per tenant and template, documents started and completed and the
// median hours from submission to decision, read only through the definer function
// national_document_stats() — aggregates, never a tenant's document.
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Queryable } from '#db/client';
import { rowsOf } from '#db/rows';
import { tenants } from '#db/schema';
import { BELGRADE } from '../time/belgrade';

export interface StatsPeriod {
  /** 'YYYY-MM-DD', both days included, Belgrade calendar. */
  from: string;
  to: string;
}

/** The period asked for in the query, or this year so far; null when what was typed cannot be used. */
export function parsePeriod(search: URLSearchParams, now: Date): StatsPeriod | null {
  const today = DateTime.fromJSDate(now, { zone: BELGRADE });
  const from = search.get('from') || today.startOf('year').toISODate()!;
  const to = search.get('to') || today.toISODate()!;
  const day = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s, { zone: BELGRADE }).isValid;
  if (!day(from) || !day(to) || from > to) return null;
  return { from, to };
}

export interface TemplateStats {
  tenantId: string;
  templateKey: string;
  started: number;
  completed: number;
  medianHours: number | null;
}

export async function nationalStats(db: Queryable, period: StatsPeriod): Promise<TemplateStats[]> {
  const start = DateTime.fromISO(period.from, { zone: BELGRADE }).startOf('day').toUTC().toISO();
  const end = DateTime.fromISO(period.to, { zone: BELGRADE }).plus({ days: 1 }).startOf('day').toUTC().toISO();
  const rows = rowsOf<{ tenant_id: string; template_key: string; started: string | number; completed: string | number; median_hours: number | null }>(
    await db.execute(sql`select * from national_document_stats(${start}::timestamptz, ${end}::timestamptz)`),
  );
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    templateKey: r.template_key,
    started: Number(r.started),
    completed: Number(r.completed),
    medianHours: r.median_hours === null ? null : Number(r.median_hours),
  }));
}

export function tenantNames(db: Queryable) {
  return db.select({ id: tenants.id, nameCyrl: tenants.nameCyrl, nameLatn: tenants.nameLatn, nameEn: tenants.nameEn }).from(tenants);
}
