// Rules that count what other documents hold (the labour-law overtime caps) are invariants only
// if no two checks on the same employee interleave. Each check takes a transaction-scoped
// advisory lock per (tenant, rule scope, value) before it reads, and keeps it until COMMIT, so a
// second check waits and then reads the first one's committed rows (READ COMMITTED takes a new
// snapshot per statement). Keys are sorted, so two checks never wait on each other in a cycle.
// See docs/decisions/017-concurrency-invariants.md.
import { sql } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { serialisationKeys } from '../template/rules';
import type { SubmissionValues, TenantParameterValues } from '../template/compute';
import type { TemplateVersion } from '../template/schema';

export async function serialise(tx: Tx, tenantId: string, keys: readonly string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort()) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${tenantId}|${key}`}, 0))`);
  }
}

/** Serialises the template's rule checks on these values (no-op when no rule needs it). */
export function serialiseRuleChecks(tx: Tx, tenantId: string, def: TemplateVersion, input: { values: SubmissionValues; tenantParameters: TenantParameterValues }) {
  return serialise(tx, tenantId, serialisationKeys(def, input));
}
