// What a new organisation's administrator still has to do before the first document can go
// all the way through its approval line: read from the tenant's own data, never stored.
import { and, count, eq, gte, lt, ne, sql } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { holidays, invitations, memberships, orgUnits, substitutes } from '#db/schema';
import { serbianPublicHolidays } from '../workflow/calendar/holidays';
import { tenantAdoptions } from '#tenants/adoption';
import { templateVersionSchema } from '../workflow/template/schema';

export const firstStepKeys = ['units', 'staff', 'templates', 'approvers', 'substitutes', 'holidays'] as const;
export type FirstStepKey = (typeof firstStepKeys)[number];

export interface FirstStep {
  key: FirstStepKey;
  done: boolean;
  /** Admin page that does it. */
  page: 'units' | 'staff' | 'templates' | 'substitutes' | 'settings';
  /** Numbers the item's text names (units, people, templates…). */
  counts: Record<string, number>;
  /** Roles the adopted approval lines route to that nobody active holds. */
  missingRoles: string[];
}

/** The roles the adopted templates' approval lines send steps to. */
export function rolesRoutedTo(definitions: unknown[]): string[] {
  const roles = new Set<string>();
  for (const raw of definitions) {
    const parsed = templateVersionSchema.safeParse(raw);
    if (!parsed.success) continue;
    for (const step of parsed.data.route) {
      if (step.assignee.type === 'authorUnitHead') roles.add('unit_head');
      else if (step.assignee.type === 'role' || step.assignee.type === 'unitRole') roles.add(step.assignee.role);
    }
  }
  return [...roles].sort();
}

export async function firstSteps(tx: Tx, tenantId: string, today: string): Promise<FirstStep[]> {
  const year = today.slice(0, 4);
  const [[units], [staff], [pending], adopted, [subs], [days], held] = await Promise.all([
    tx.select({ n: count() }).from(orgUnits).where(eq(orgUnits.tenantId, tenantId)),
    tx.select({ n: count() }).from(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.active, true))),
    tx
      .select({ n: count() })
      .from(invitations)
      .where(and(eq(invitations.tenantId, tenantId), sql`${invitations.acceptedAt} is null`)),
    tenantAdoptions(tx, tenantId),
    tx.select({ n: count() }).from(substitutes).where(eq(substitutes.tenantId, tenantId)),
    tx
      .select({ n: count() })
      .from(holidays)
      .where(and(eq(holidays.tenantId, tenantId), gte(holidays.date, `${year}-01-01`), lt(holidays.date, `${Number(year) + 1}-01-01`))),
    tx
      .select({ role: sql<string>`unnest(${memberships.roles})` })
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.active, true), ne(sql`cardinality(${memberships.roles})`, 0))),
  ]);
  const heldRoles = new Set(held.map((r) => r.role));
  const missingRoles = rolesRoutedTo(adopted.map((a) => a.definition)).filter((r) => !heldRoles.has(r));
  return [
    { key: 'units', done: units.n > 0, page: 'units', counts: { count: units.n }, missingRoles: [] },
    // The administrator alone is not a staff yet; invited people count (they are on their way).
    { key: 'staff', done: staff.n > 1, page: 'staff', counts: { count: staff.n, pending: pending.n }, missingRoles: [] },
    { key: 'templates', done: adopted.length > 0, page: 'templates', counts: { count: adopted.length }, missingRoles: [] },
    { key: 'approvers', done: adopted.length > 0 && missingRoles.length === 0, page: 'staff', counts: { count: missingRoles.length }, missingRoles },
    { key: 'substitutes', done: subs.n > 0, page: 'substitutes', counts: { count: subs.n }, missingRoles: [] },
    // The law's holidays are computed for every year (workflow/calendar/holidays.ts): nothing to
    // add; the count shows them with the organisation's own days, which settings adds.
    { key: 'holidays', done: true, page: 'settings', counts: { count: new Set([...serbianPublicHolidays(Number(year)).map((h) => h.date)]).size + days.n, year: Number(year) }, missingRoles: [] },
  ];
}
