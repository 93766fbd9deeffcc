// A tenant's holiday calendar: seeded with the public holidays, then the tenant's to edit.
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { holidays } from '#db/schema';
import { serbianPublicHolidays, type HolidayKey } from '#app/workflow/calendar/holidays';

// Stored in Cyrillic, the official script, like the rest of a tenant's Serbian data.
const names: Record<HolidayKey, string> = {
  newYear: 'Нова година',
  orthodoxChristmas: 'Божић',
  statehood: 'Сретење — Дан државности Србије',
  labourDay: 'Празник рада',
  armistice: 'Дан примирја у Првом светском рату',
  goodFriday: 'Велики петак',
  holySaturday: 'Велика субота',
  easterSunday: 'Васкрс',
  easterMonday: 'Други дан Васкрса',
};

/** Adds the public holidays of the given years; dates the tenant already has stay as they are. */
export async function seedPublicHolidays(tx: Tx, tenantId: string, years: number[]): Promise<number> {
  const rows = years.flatMap((year) =>
    serbianPublicHolidays(year).map((h) => ({
      tenantId,
      date: h.date,
      name: h.shifted ? `${names[h.key]} (нерадни дан уместо недеље)` : names[h.key],
    })),
  );
  if (!rows.length) return 0;
  const inserted = await tx.insert(holidays).values(rows).onConflictDoNothing().returning({ date: holidays.date });
  return inserted.length;
}

export function holidaysOfYear(tx: Tx, tenantId: string, year: number) {
  return tx
    .select({ date: holidays.date, name: holidays.name })
    .from(holidays)
    .where(and(eq(holidays.tenantId, tenantId), gte(holidays.date, `${year}-01-01`), lt(holidays.date, `${year + 1}-01-01`)))
    .orderBy(asc(holidays.date));
}
