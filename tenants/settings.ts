// Tenant settings: registry number format, default language, whether a second factor is required.
import { eq } from 'drizzle-orm';
import { appendAudit } from '#db/audit';
import type { Tx } from '#db/client';
import { tenants } from '#db/schema';
import type { Locale } from '#app/i18n/resources';
import { auditActor, type Actor } from './actor';

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
