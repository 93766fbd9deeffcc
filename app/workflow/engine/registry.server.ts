// Registry numbers (delovodni broj): per tenant, per year, per classification, gapless.
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { rowsOf } from '#db/rows';
import { tenants } from '#db/schema';

export const DEFAULT_REGISTRY_FORMAT = '{class}-{seq}/{year}';

export interface RegistryNumber {
  year: number;
  classification: string;
  seq: number;
  display: string;
}

export function formatRegistryNumber(format: string, parts: { classification: string; seq: number; year: number; unit?: string | null }): string {
  return format
    .replaceAll('{class}', parts.classification)
    .replaceAll('{seq}', String(parts.seq))
    .replaceAll('{year}', String(parts.year))
    .replaceAll('{unit}', parts.unit ?? '');
}

const belgradeYearFormat = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Belgrade', year: 'numeric' });

/** The calendar year in Serbia at this instant (a registration at 00:30 on 1 January counts in the new year). */
export function belgradeYear(at: Date): number {
  return Number(belgradeYearFormat.format(at));
}

/**
 * Takes the next number inside the caller's transaction. The counter row stays locked until
 * the transaction ends, so concurrent registrations queue; a rollback returns the number.
 */
export async function nextRegistryNumber(
  tx: Tx,
  tenantId: string,
  classification: string,
  at: Date,
  unit?: string | null | Promise<string | null>,
): Promise<RegistryNumber> {
  const year = belgradeYear(at);
  // The tenant's format is read in the same round trip (and the unit, when its read was sent just
  // before): the counter row stays locked until COMMIT.
  const [counted, [tenant], unitCode] = await Promise.all([
    tx.execute(sql`
      insert into registry_counters (tenant_id, year, classification, last_seq) values (${tenantId}, ${year}, ${classification}, 1)
      on conflict (tenant_id, year, classification) do update set last_seq = registry_counters.last_seq + 1
      returning last_seq`),
    tx.select({ format: tenants.registryFormat }).from(tenants).where(eq(tenants.id, tenantId)),
    unit,
  ]);
  const [row] = rowsOf<{ last_seq: string | number }>(counted);
  const seq = Number(row.last_seq);
  return { year, classification, seq, display: formatRegistryNumber(tenant?.format ?? DEFAULT_REGISTRY_FORMAT, { classification, seq, year, unit: unitCode }) };
}
