// A tenant's non-working days: the public holidays computed by the law's rules for any year,
// with the tenant's own days (e.g. a municipality's day) layered on top. Nothing has to be seeded
// for a year to have its holidays.
import { and, eq } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { holidays } from '#db/schema';
import { publicHolidayOn } from './holidays';

export interface HolidayCalendar {
  has(date: string): boolean;
}

/** The tenant's whole calendar, loaded once (the tenant's own days are few). */
export async function tenantHolidays(tx: Tx, tenantId: string): Promise<HolidayCalendar> {
  const rows = await tx.select({ date: holidays.date }).from(holidays).where(eq(holidays.tenantId, tenantId));
  const own = new Set(rows.map((r) => r.date));
  return { has: (date) => own.has(date) || publicHolidayOn(date) !== undefined };
}

export async function isTenantHoliday(tx: Tx, tenantId: string, date: string): Promise<boolean> {
  if (publicHolidayOn(date)) return true;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const rows = await tx
    .select({ date: holidays.date })
    .from(holidays)
    .where(and(eq(holidays.tenantId, tenantId), eq(holidays.date, date)));
  return rows.length > 0;
}
