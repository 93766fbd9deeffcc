// Who an email goes to and in which language: the user's chosen locale, else the tenant's.
import { and, eq, sql } from 'drizzle-orm';
import { anyOf } from '#db/any';
import type { Tx } from '#db/client';
import { reusableSelect } from '#db/reusable';
import { memberships, tenants, users } from '#db/schema';
import type { Locale } from '#app/workflow/template/labels';

export interface Recipient {
  email: string;
  name: string;
  locale: Locale;
  disabled: boolean;
}

// Built once (db/reusable.ts): every email a worker sends reads its recipients.
const recipientsSelect = reusableSelect((db) =>
  db
    .select({ id: memberships.id, email: users.email, name: memberships.fullName, locale: users.locale, tenantLocale: tenants.defaultLocale, disabledAt: users.disabledAt, active: memberships.active })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.tenantId, sql.placeholder('tenantId')), anyOf(memberships.id, sql.placeholder('ids')))),
);

/** The recipients among the members named, by membership id, in one query. */
export async function memberRecipients(tx: Tx, tenantId: string, membershipIds: readonly string[]): Promise<Map<string, Recipient>> {
  const wanted = [...new Set(membershipIds)];
  if (!wanted.length) return new Map();
  const rows = await recipientsSelect(tx, { tenantId, ids: wanted });
  return new Map(rows.map((row) => [row.id, { email: row.email, name: row.name, locale: row.locale ?? row.tenantLocale, disabled: !row.active || row.disabledAt !== null }]));
}

export async function memberRecipient(tx: Tx, tenantId: string, membershipId: string): Promise<Recipient | null> {
  return (await memberRecipients(tx, tenantId, [membershipId])).get(membershipId) ?? null;
}

export function tenantNameIn(t: { nameCyrl: string; nameLatn: string; nameEn: string }, locale: Locale): string {
  return locale === 'en' ? t.nameEn : locale === 'sr-Latn' ? t.nameLatn : t.nameCyrl;
}
