// Tenant settings (registry number format, default language) and the holiday calendar.
import { and, eq } from 'drizzle-orm';
import { appendAudit } from '#db/audit';
import type { Tx } from '#db/client';
import { holidays, tenants } from '#db/schema';
import type { Locale } from '#app/i18n/resources';
import { auditActor, type Actor } from './actor';
import { publicHolidayOn } from '#app/workflow/calendar/holidays';

export async function updateSettings(tx: Tx, tenantId: string, actor: Actor, settings: { registryFormat: string; defaultLocale: Locale }): Promise<void> {
  const [before] = await tx.select({ registryFormat: tenants.registryFormat, defaultLocale: tenants.defaultLocale }).from(tenants).where(eq(tenants.id, tenantId));
  await tx.update(tenants).set(settings).where(eq(tenants.id, tenantId));
  await appendAudit(tx, tenantId, { type: 'settings.updated', subjectType: 'tenant', subjectId: tenantId, ...auditActor(actor), data: { before, after: settings } });
}

/** Whether every member must use a second factor (they set one up at their next sign-in). */
export async function setRequireMfa(tx: Tx, tenantId: string, actor: Actor, requireMfa: boolean): Promise<void> {
  await tx.update(tenants).set({ requireMfa }).where(eq(tenants.id, tenantId));
  await appendAudit(tx, tenantId, { type: 'settings.updated', subjectType: 'tenant', subjectId: tenantId, ...auditActor(actor), data: { after: { requireMfa } } });
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
