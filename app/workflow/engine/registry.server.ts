// Registry numbers (delovodni broj): per tenant, per year, per classification, gapless.
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { documents, orgUnits, registryCounters, tenants } from '#db/schema';

const belgradeYearFormat = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Belgrade', year: 'numeric' });

/** The calendar year in Serbia at this instant (a registration at 00:30 on 1 January counts in the new year). */
export function belgradeYear(at: Date): number {
  return Number(belgradeYearFormat.format(at));
}

/**
 * The update of a document that gives it the next number of `classification`, with `set`. The
 * tenant's counter is counted up in the same statement, which also writes the number out in the
 * tenant's format (onboarding/registry-format.ts, token by token) with the code of the author's
 * unit: a registration costs no round trip of its own. The counter row stays locked until the
 * transaction ends, so concurrent registrations queue; a rollback returns the number.
 */
export function registration(tx: Tx, document: { tenantId: string; id: string }, classification: string, at: Date, set: Partial<typeof documents.$inferInsert>) {
  const { tenantId } = document;
  const year = belgradeYear(at);
  const counted = tx.$with('counted', { seq: registryCounters.lastSeq }).as(
    tx
      .insert(registryCounters)
      .values({ tenantId, year, classification, lastSeq: 1 })
      .onConflictDoUpdate({ target: [registryCounters.tenantId, registryCounters.year, registryCounters.classification], set: { lastSeq: sql`${registryCounters.lastSeq} + 1` } })
      .returning({ seq: registryCounters.lastSeq })
      .getSQL(),
  );
  const seq = sql`(select ${counted.seq} from ${counted})`;
  const format = sql`(select ${tenants.registryFormat} from ${tenants} where ${tenants.id} = ${tenantId})`;
  const unit = sql`coalesce((select ${orgUnits.code} from ${orgUnits} where ${orgUnits.tenantId} = ${tenantId} and ${orgUnits.id} = ${documents.authorUnitId}), '')`;
  const number = sql<string>`replace(replace(replace(replace(${format}, '{class}', ${classification}::text), '{seq}', ${seq}::text), '{year}', ${String(year)}::text), '{unit}', ${unit})`;
  return tx
    .with(counted)
    .update(documents)
    .set({ ...set, registryNumber: number, registryYear: year, registryClass: classification, registrySeq: sql`${seq}`, registeredAt: at })
    .where(and(eq(documents.tenantId, tenantId), eq(documents.id, document.id)));
}
