// One month, one payment (issue 22): a periodic document (an employee's monthly overtime pay
// slip) pays what its key names — the period and the match values — at most once. A second
// ordinary slip for the key is refused while one is in approval or paid; a correction is an
// explicit corrective slip referencing the registered one, and pays only the difference to
// what the key's registered slips already paid — negative when the confirmed hours went down,
// an amount to recover. Checked under a per-key advisory lock in the
// submission's transaction; two partial unique indexes (migration 0020) are the backstop.
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { documents } from '#db/schema';
import { formatDecimal, toDecimal } from '../template/expressions';
import type { TemplateVersion } from '../template/schema';
import { serialise } from './serialise.server';

type Row = typeof documents.$inferSelect;

/** `<period>|<match values>` of a periodic document, or null when it names no complete period. */
export function periodKeyOf(def: TemplateVersion, values: Record<string, unknown>): string | null {
  const agg = def.aggregate;
  if (!agg) return null;
  const period = values[agg.periodField];
  if (typeof period !== 'string' || !/^\d{4}-\d{2}$/.test(period)) return null;
  const matched = Object.keys(agg.match)
    .sort()
    .map((mine) => values[mine]);
  if (matched.some((v) => typeof v !== 'string' || !v)) return null;
  return [period, ...matched].join('|');
}

/** The sums the registered documents of the key already paid, per summed field. */
export async function paidSoFar(tx: Tx, tenantId: string, templateId: string, periodKey: string, def: TemplateVersion): Promise<Record<string, string>> {
  const agg = def.aggregate!;
  const rows = await tx
    .select({ values: documents.values })
    .from(documents)
    .where(and(eq(documents.tenantId, tenantId), eq(documents.templateId, templateId), eq(documents.periodKey, periodKey), eq(documents.state, 'registered')));
  const paid: Record<string, string> = {};
  for (const mine of Object.keys(agg.sum)) {
    const total = rows.reduce((sum, r) => {
      const v = (r.values as Record<string, unknown>)[mine];
      return typeof v === 'string' || typeof v === 'number' ? sum.plus(toDecimal(v)) : sum;
    }, toDecimal(0));
    paid[mine] = formatDecimal(total, { mode: 'halfUp', decimals: 2 });
  }
  return paid;
}

export type PaymentRefusal = { code: 'monthAlreadyPaid' | 'monthPaymentPending' | 'correctionPending' | 'nothingToCorrect'; params: Record<string, string> };

/**
 * Takes the key's lock (held until COMMIT) and says why the document may not enter the line
 * for it, if it may not. `values` are the document's values with its sums already computed.
 */
export async function checkOnePayment(tx: Tx, doc: Row, def: TemplateVersion, periodKey: string, values: Record<string, unknown>): Promise<PaymentRefusal | null> {
  await serialise(tx, doc.tenantId, [`payment|${doc.templateId}|${periodKey}`]);
  const month = periodKey.split('|')[0];
  const others = await tx
    .select({ id: documents.id, state: documents.state, registryNumber: documents.registryNumber, correctsId: documents.correctsId })
    .from(documents)
    .where(
      and(
        eq(documents.tenantId, doc.tenantId),
        eq(documents.templateId, doc.templateId),
        eq(documents.periodKey, periodKey),
        ne(documents.id, doc.id),
        inArray(documents.state, ['in_approval', 'approved', 'registered']),
      ),
    );
  if (!doc.correctsId) {
    const paid = others.find((o) => !o.correctsId && o.state === 'registered');
    if (paid) return { code: 'monthAlreadyPaid', params: { month, number: paid.registryNumber ?? '' } };
    if (others.some((o) => !o.correctsId)) return { code: 'monthPaymentPending', params: { month } };
    return null;
  }
  if (others.some((o) => o.correctsId && o.state !== 'registered')) return { code: 'correctionPending', params: { month } };
  // A difference either way is a correction: more hours confirmed since pays the rest, fewer
  // (a report corrected downward) is a negative difference — an amount to recover. Only no
  // difference at all leaves nothing to correct.
  const sums = Object.keys(def.aggregate!.sum).map((mine) => values[mine]);
  if (sums.every((v) => v === undefined || toDecimal(v as string).isZero())) return { code: 'nothingToCorrect', params: { month } };
  return null;
}

/** Whether a registered document may be corrected by a corrective one (an ordinary, registered, periodic one). */
export async function correctable(tx: Tx, tenantId: string, documentId: string): Promise<Row | undefined> {
  const [row] = await tx
    .select()
    .from(documents)
    .where(and(eq(documents.tenantId, tenantId), eq(documents.id, documentId), eq(documents.state, 'registered'), sql`${documents.periodKey} is not null`, sql`${documents.correctsId} is null`));
  return row;
}
