// Registry numbers (delovodni broj): per tenant, per year, per classification, gapless.
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { documents, registryCounters, tenants } from '#db/schema';
import { formatRegistryNumber } from '#app/onboarding/registry-format';
import { belgradeYear } from '#app/time/belgrade';

/**
 * Gives the document the next number of `classification` and writes `set` with it. The database
 * only counts: the tenant's counter is counted up, and the same statement reads the tenant's
 * format and the code of the author's unit; the number is written out by formatRegistryNumber,
 * the one definition the settings page previews with. The counter row stays locked until the
 * transaction ends, so concurrent registrations queue; a rollback returns the number (ADR 005).
 */
export async function registerDocument(tx: Tx, document: { tenantId: string; id: string }, classification: string, at: Date, set: Partial<typeof documents.$inferInsert>) {
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
  const [allocated] = await tx
    .with(counted)
    .select({
      seq: counted.seq,
      format: sql<string>`(select ${tenants.registryFormat} from ${tenants} where ${tenants.id} = ${tenantId})`,
      // Aliased: drizzle writes the columns of a select's subqueries without their table.
      unit: sql<string>`coalesce((select u.code from documents d join org_units u on u.tenant_id = d.tenant_id and u.id = d.author_unit_id where d.tenant_id = ${tenantId} and d.id = ${document.id}), '')`,
    })
    .from(counted);
  const seq = Number(allocated.seq);
  const registryNumber = formatRegistryNumber(allocated.format, { class: classification, seq, year, unit: allocated.unit });
  const [row] = await tx
    .update(documents)
    .set({ ...set, registryNumber, registryYear: year, registryClass: classification, registrySeq: seq, registeredAt: at })
    .where(and(eq(documents.tenantId, tenantId), eq(documents.id, document.id)))
    .returning();
  return row;
}
