// A tenant's holiday calendar as the administrator sees and keeps it: the public holidays the law
// sets for the year (computed, not stored, so no year is ever without them) and the tenant's own
// days, which the administrator adds and removes.
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import { appendAudit } from '#db/audit';
import type { Tx } from '#db/client';
import { holidays } from '#db/schema';
import { publicHolidayOn, serbianPublicHolidays, type HolidayKey } from '#app/workflow/calendar/holidays';
import { auditActor, type Actor } from './actor';

export type CalendarDay =
  | { date: string; byLaw: true; key: HolidayKey; shifted: boolean }
  | { date: string; byLaw: false; name: string };

/** The year's non-working days in date order; a stored day on a public holiday shows as the law's. */
export async function holidaysOfYear(tx: Tx, tenantId: string, year: number): Promise<CalendarDay[]> {
  const own = await tx
    .select({ date: holidays.date, name: holidays.name })
    .from(holidays)
    .where(and(eq(holidays.tenantId, tenantId), gte(holidays.date, `${year}-01-01`), lt(holidays.date, `${year + 1}-01-01`)))
    .orderBy(asc(holidays.date));
  const days = new Map<string, CalendarDay>(own.map((h) => [h.date, { date: h.date, byLaw: false, name: h.name }]));
  for (const h of serbianPublicHolidays(year)) days.set(h.date, { date: h.date, byLaw: true, key: h.key, shifted: h.shifted ?? false });
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

export type HolidayRefusal = 'holidayByLaw';

/** Adds (or renames) one of the tenant's own days; a public holiday is the law's and stays as it is. */
export async function saveHoliday(tx: Tx, tenantId: string, actor: Actor, holiday: { date: string; name: string }): Promise<HolidayRefusal | null> {
  if (publicHolidayOn(holiday.date)) return 'holidayByLaw';
  await tx
    .insert(holidays)
    .values({ tenantId, ...holiday })
    .onConflictDoUpdate({ target: [holidays.tenantId, holidays.date], set: { name: holiday.name } });
  await appendAudit(tx, tenantId, { type: 'holiday.saved', subjectType: 'holiday', subjectId: holiday.date, ...auditActor(actor), data: holiday });
  return null;
}

/** Removes one of the tenant's own days; a public holiday cannot be removed. */
export async function removeHoliday(tx: Tx, tenantId: string, actor: Actor, date: string): Promise<boolean> {
  if (publicHolidayOn(date)) return false;
  const rows = await tx.delete(holidays).where(and(eq(holidays.tenantId, tenantId), eq(holidays.date, date))).returning();
  if (rows.length) await appendAudit(tx, tenantId, { type: 'holiday.removed', subjectType: 'holiday', subjectId: date, ...auditActor(actor), data: { name: rows[0].name } });
  return rows.length > 0;
}
