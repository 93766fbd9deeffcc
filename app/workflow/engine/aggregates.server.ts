// A periodic document's sums (e.g. the month's confirmed overtime hours of one employee),
// recomputed from its source documents whenever its period and match fields are set.
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { documents } from '#db/schema';
import { formatDecimal, toDecimal } from '../template/expressions';
import type { TemplateVersion } from '../template/schema';
import { templateIdOf } from './definitions.server';
import { paidSoFar } from './payments.server';
import type { DocumentRow } from './transition.server';
import { byValue, inMonth } from './values.server';

/** What a corrective document corrects: the key (template and period) whose payments it adjusts. */
export function correctionOf(doc: DocumentRow) {
  return doc.correctsId && doc.periodKey ? { templateId: doc.templateId, periodKey: doc.periodKey } : undefined;
}

export async function withAggregates(
  tx: Tx,
  tenantId: string,
  def: TemplateVersion,
  values: Record<string, unknown>,
  /** A corrective document: what the key's registered documents paid is subtracted. */
  correction?: { templateId: string; periodKey: string },
): Promise<Record<string, unknown>> {
  const agg = def.aggregate;
  if (!agg) return values;
  const period = values[agg.periodField];
  if (typeof period !== 'string' || !/^\d{4}-\d{2}$/.test(period)) return values;
  const match = Object.entries(agg.match).map(([mine, theirs]) => [theirs, values[mine]] as const);
  if (match.some(([, v]) => typeof v !== 'string' || !v)) return values;
  const sourceId = await templateIdOf(tx, agg.from);
  if (!sourceId) return values;
  const states = agg.status === 'registered' ? ['registered'] : ['approved', 'registered'];
  const rows = await tx
    .select({ values: documents.values, computed: documents.computed })
    .from(documents)
    .where(
      and(
        eq(documents.tenantId, tenantId),
        eq(documents.templateId, sourceId),
        inArray(documents.state, states as DocumentRow['state'][]),
        inMonth(agg.dateField, period),
        ...match.map(([theirs, v]) => byValue(theirs, v as string)),
      ),
    );
  const paid = correction ? await paidSoFar(tx, tenantId, correction.templateId, correction.periodKey, def) : {};
  const out = { ...values };
  for (const [mine, theirs] of Object.entries(agg.sum)) {
    const total = rows.reduce((sum, r) => {
      const v = (r.values as Record<string, unknown>)[theirs] ?? (r.computed as Record<string, unknown>)[theirs];
      return typeof v === 'string' || typeof v === 'number' ? sum.plus(toDecimal(v)) : sum;
    }, toDecimal(0));
    out[mine] = formatDecimal(total.minus(toDecimal(paid[mine] ?? 0)), { mode: 'halfUp', decimals: 2 });
  }
  return out;
}
