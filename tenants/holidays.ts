// A tenant's holiday calendar as the administrator sees it: the public holidays the law sets for
// the year (computed, not stored, so no year is ever without them) and the tenant's own days.
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { holidays } from '#db/schema';
import { serbianPublicHolidays, type HolidayKey } from '#app/workflow/calendar/holidays';

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
