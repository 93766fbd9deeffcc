// Who an email goes to and in which language: the user's chosen locale, else the tenant's.
import { and, eq } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { memberships, tenants, users } from '#db/schema';
import type { Locale } from '#app/workflow/template/labels';

export interface Recipient {
  email: string;
  name: string;
  locale: Locale;
  disabled: boolean;
}

export async function memberRecipient(tx: Tx, tenantId: string, membershipId: string): Promise<Recipient | null> {
  const [row] = await tx
    .select({ email: users.email, name: memberships.fullName, locale: users.locale, tenantLocale: tenants.defaultLocale, disabledAt: users.disabledAt, active: memberships.active })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.id, membershipId)));
  if (!row) return null;
  return { email: row.email, name: row.name, locale: row.locale ?? row.tenantLocale, disabled: !row.active || row.disabledAt !== null };
}

export function tenantNameIn(t: { nameCyrl: string; nameLatn: string; nameEn: string }, locale: Locale): string {
  return locale === 'en' ? t.nameEn : locale === 'sr-Latn' ? t.nameLatn : t.nameCyrl;
}
